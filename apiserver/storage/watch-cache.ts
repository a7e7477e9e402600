// One etcd watch for the whole registry, fanned out to every API watcher from a ring of
// recent events, so a thousand watchers cost one etcd watch (as kube-apiserver's cacher does).
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { KubeObject } from '../../api/resource.js';
import { decodeKv, jsonWithRv } from './store.js';

export interface CacheEvent {
  type: 'put' | 'delete';
  key: string;
  rev: number;
  /** Whether the key existed before this event (etcd sent its previous value). */
  hasPrev: boolean;
  /** Parsed lazily and shared by all watchers: never mutate. */
  object(): KubeObject | undefined;
  prevObject(): KubeObject | undefined;
  /** The same objects as JSON (with resourceVersion), made once and shared by all watchers. */
  json(): string | undefined;
  prevJson(): string | undefined;
}

export type Listener = (ev: CacheEvent) => void;

interface Subscription {
  prefix: string;
  listener: Listener;
  /** Called when the cache lost events and restarted: the subscriber must relist. */
  onReset?: () => void;
}

function lazy(kv: IKeyValue | undefined, rev?: string): () => KubeObject | undefined {
  let parsed: KubeObject | undefined;
  return () => {
    if (!hasValue(kv)) return undefined;
    if (!parsed) {
      parsed = decodeKv(kv!);
      // A deleted object is reported at the revision of its deletion.
      if (rev) parsed.metadata.resourceVersion = rev;
    }
    return parsed;
  };
}

const hasValue = (kv: IKeyValue | undefined): boolean => !!kv && !!kv.value && kv.value.length > 0;

/** JSON of a lazily parsed object: spliced from the stored bytes when it can be, else stringified. */
function lazyJson(kv: IKeyValue | undefined, parsed: () => KubeObject | undefined, rev?: string): () => string | undefined {
  let json: string | undefined;
  return () => {
    if (json === undefined && hasValue(kv)) json = jsonWithRv(kv!.value, rev ?? kv!.mod_revision) ?? JSON.stringify(parsed());
    return json;
  };
}

function putEvent(key: string, rev: number, kv: IKeyValue, prev: IKeyValue | undefined): CacheEvent {
  const object = lazy(kv);
  const prevObject = lazy(prev);
  return { type: 'put', key, rev, hasPrev: hasValue(prev), object, prevObject, json: lazyJson(kv, object), prevJson: lazyJson(prev, prevObject) };
}

function deleteEvent(key: string, rev: number, kv: IKeyValue, prev: IKeyValue | undefined): CacheEvent {
  // A deleted object is reported at the revision of its deletion.
  const prevObject = lazy(prev, kv.mod_revision);
  return { type: 'delete', key, rev, hasPrev: hasValue(prev), object: () => undefined, prevObject, json: () => undefined, prevJson: lazyJson(prev, prevObject, kv.mod_revision) };
}

export class WatchCache {
  private readonly ring: CacheEvent[] = [];
  private head = 0;
  /** Every event with rev > startRev is in the ring (or yet to arrive). */
  private startRev = 0;
  private rev = 0;
  private readonly subs = new Set<Subscription>();
  private readonly revWaiters: { rev: number; resolve: () => void }[] = [];
  private watcher?: Watcher;

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    private readonly capacity: number,
    private readonly currentRevision: () => Promise<number>,
    private readonly onError: (err: Error) => void = () => {},
    /** Decrypts values stored encrypted (encryption at rest) before anything reads them. */
    private readonly readValue?: (key: string, value: Buffer) => Buffer,
  ) {}

  /** Start watching after `fromRev` (the store's current revision at start-up). */
  async start(fromRev: number): Promise<void> {
    this.startRev = fromRev;
    this.rev = fromRev;
    const watcher = await this.client
      .watch()
      .prefix(this.prefix)
      .withPreviousKV()
      .startRevision(String(fromRev + 1))
      .create();
    this.watcher = watcher;
    watcher.on('data', (res) => {
      for (const e of res.events) {
        const rev = Number(e.kv.mod_revision);
        const key = e.kv.key.toString();
        if (this.readValue) {
          if (e.kv.value?.length) e.kv.value = this.readValue(key, e.kv.value);
          if (e.prev_kv?.value?.length) e.prev_kv.value = this.readValue(key, e.prev_kv.value);
        }
        this.push(e.type === 'Put' ? putEvent(key, rev, e.kv, e.prev_kv) : deleteEvent(key, rev, e.kv, e.prev_kv));
      }
      this.advance(Number(res.header.revision));
    });
    watcher.on('error', (err) => {
      this.onError(err);
      // etcd cancelled the watch (e.g. our revision was compacted): events are lost, so start
      // again from now and make every subscriber relist rather than go silently stale.
      if (/canceled/i.test(err.message) && this.watcher === watcher) void this.restart();
    });
  }

  private async restart(): Promise<void> {
    this.watcher = undefined;
    for (;;) {
      try {
        const rev = await this.currentRevision();
        this.ring.length = 0;
        this.head = 0;
        const subs = [...this.subs];
        this.subs.clear();
        await this.start(rev);
        for (const s of subs) s.onReset?.();
        return;
      } catch (err) {
        this.onError(err as Error);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  async stop(): Promise<void> {
    await this.watcher?.cancel();
  }

  get revision(): number {
    return this.rev;
  }

  /** The oldest resourceVersion a watch may resume from. */
  get oldestRevision(): number {
    return this.startRev;
  }

  private push(ev: CacheEvent): void {
    if (this.ring.length - this.head >= this.capacity) {
      this.startRev = this.ring[this.head]!.rev;
      this.head++;
      // Compact the array now and then instead of shifting on every event.
      if (this.head > this.capacity / 2) {
        this.ring.splice(0, this.head);
        this.head = 0;
      }
    }
    this.ring.push(ev);
    this.rev = Math.max(this.rev, ev.rev);
    for (const s of this.subs) if (ev.key.startsWith(s.prefix)) s.listener(ev);
  }

  private advance(rev: number): void {
    if (rev > this.rev) this.rev = rev;
    for (let i = this.revWaiters.length - 1; i >= 0; i--) {
      const w = this.revWaiters[i]!;
      if (w.rev <= this.rev) {
        this.revWaiters.splice(i, 1);
        w.resolve();
      }
    }
  }

  /** Resolves once the cache has seen `rev` (bounded by a deadline; callers tolerate lag). */
  waitFor(rev: number, timeoutMs = 3000): Promise<void> {
    if (rev <= this.rev) return Promise.resolve();
    return new Promise((resolve) => {
      const w = { rev, resolve };
      const t = setTimeout(() => {
        const i = this.revWaiters.indexOf(w);
        if (i >= 0) this.revWaiters.splice(i, 1);
        resolve();
      }, timeoutMs);
      w.resolve = () => {
        clearTimeout(t);
        resolve();
      };
      this.revWaiters.push(w);
    });
  }

  /**
   * Deliver every event under `prefix` with rev > fromRev: first the buffered ones, then live.
   * Returns undefined when fromRev is older than the buffer (the caller answers 410 Gone).
   */
  subscribe(prefix: string, fromRev: number, listener: Listener, onReset?: () => void): (() => void) | undefined {
    if (fromRev < this.startRev) return undefined;
    let from = this.head;
    for (let i = this.ring.length - 1; i >= this.head; i--) {
      if (this.ring[i]!.rev <= fromRev) {
        from = i + 1;
        break;
      }
    }
    this.replay(from, prefix, listener);
    const sub: Subscription = { prefix, listener, ...(onReset ? { onReset } : {}) };
    this.subs.add(sub);
    return () => this.subs.delete(sub);
  }

  private replay(from: number, prefix: string, listener: Listener): void {
    for (let i = from; i < this.ring.length; i++) {
      const ev = this.ring[i]!;
      if (ev.key.startsWith(prefix)) listener(ev);
    }
  }

  get watcherCount(): number {
    return this.subs.size;
  }
}
