// One etcd watch for the whole registry, fanned out to every API watcher from a ring of
// recent events, so a thousand watchers cost one etcd watch (as kube-apiserver's cacher does).
import type { Etcd3, IKeyValue, Watcher } from 'etcd3';
import type { KubeObject } from '../../api/resource.js';
import { CacheState } from './cache-state.js';
import { decodeKv, jsonWithRv, type ListResult } from './store.js';

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

/**
 * A field the subscriber's selector pins to one value (pods by `spec.nodeName=<node>`): the
 * subscriber only gets events whose object has that value now or had it before, as
 * kube-apiserver's cacher "triggers" do. Whatever else the selector says, the listener judges.
 */
export interface Trigger {
  /** The collection the field belongs to, across namespaces (`/registry/pods/`). */
  scope: string;
  field: string;
  value: string;
  /** The field's value in an object ('' when absent, as field selectors read it). */
  get(obj: KubeObject): string;
}

export interface SubscribeOptions {
  /** Called when the cache lost events and restarted: the subscriber must relist. */
  onReset?: () => void;
  trigger?: Trigger;
}

interface Subscription extends SubscribeOptions {
  prefix: string;
  listener: Listener;
}

/** Subscribers of one (scope, field), by the value they want. */
interface TriggerIndex {
  scope: string;
  get(obj: KubeObject): string;
  byValue: Map<string, Set<Subscription>>;
}

const hasValue = (kv: IKeyValue | undefined): kv is IKeyValue => !!kv && !!kv.value && kv.value.length > 0;

/**
 * An event of the ring. It keeps only etcd's bytes: what is parsed or serialised for a
 * delivery is shared by every watcher of that delivery and then forgotten, so the ring (up to
 * 100,000 events) does not hold two parsed objects and two JSON strings per event.
 */
class RingEvent implements CacheEvent {
  private memo: { object?: KubeObject; prev?: KubeObject; json?: string; prevJson?: string } = {};
  readonly hasPrev: boolean;

  constructor(
    readonly type: 'put' | 'delete',
    readonly key: string,
    readonly rev: number,
    private readonly kv: IKeyValue,
    private readonly prev: IKeyValue | undefined,
  ) {
    this.hasPrev = hasValue(prev);
  }

  object(): KubeObject | undefined {
    if (this.type === 'delete' || !hasValue(this.kv)) return undefined;
    return (this.memo.object ??= decodeKv(this.kv));
  }

  /** A deleted object is reported at the revision of its deletion. */
  private get prevRev(): string | undefined {
    return this.type === 'delete' ? this.kv.mod_revision : this.prev?.mod_revision;
  }

  prevObject(): KubeObject | undefined {
    if (!hasValue(this.prev)) return undefined;
    if (!this.memo.prev) {
      this.memo.prev = decodeKv(this.prev);
      this.memo.prev.metadata.resourceVersion = this.prevRev;
    }
    return this.memo.prev;
  }

  /** Spliced from the stored bytes when it can be, else stringified. */
  json(): string | undefined {
    if (this.type === 'delete' || !hasValue(this.kv)) return undefined;
    return (this.memo.json ??= jsonWithRv(this.kv.value, this.kv.mod_revision) ?? JSON.stringify(this.object()));
  }

  prevJson(): string | undefined {
    if (!hasValue(this.prev)) return undefined;
    return (this.memo.prevJson ??= jsonWithRv(this.prev.value, this.prevRev!) ?? JSON.stringify(this.prevObject()));
  }

  /** Drops what one delivery parsed and serialised. */
  forget(): void {
    this.memo = {};
  }
}

export class WatchCache {
  private readonly ring: RingEvent[] = [];
  private head = 0;
  /** Every event with rev > startRev is in the ring (or yet to arrive). */
  private startRev = 0;
  private rev = 0;
  /** Subscribers offered every event under their prefix. */
  private readonly plain = new Set<Subscription>();
  /** Subscribers with a trigger, offered only the events whose objects carry their value. */
  private readonly indexes = new Map<string, TriggerIndex>();
  private count = 0;
  private readonly revWaiters: { rev: number; resolve: () => void }[] = [];
  private watcher?: Watcher;
  /** Every object at `rev`, for lists served from the cache. */
  private readonly state: CacheState;

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    private readonly capacity: number,
    private readonly currentRevision: () => Promise<number>,
    private readonly onError: (err: Error) => void = () => {},
    /** Decrypts values stored encrypted (encryption at rest) before anything reads them. */
    private readonly readValue?: (key: string, value: Buffer) => Buffer,
  ) {
    this.state = new CacheState(prefix);
  }

  /** Start watching after `fromRev` (the store's current revision at start-up). */
  async start(fromRev: number): Promise<void> {
    await this.state.load(this.client, fromRev, this.readValue);
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
        if (e.type === 'Put') this.state.put(key, e.kv.value, rev);
        else this.state.delete(key);
        this.push(new RingEvent(e.type === 'Put' ? 'put' : 'delete', key, rev, e.kv, e.prev_kv));
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
        const subs = [...this.plain, ...[...this.indexes.values()].flatMap((x) => [...x.byValue.values()].flatMap((set) => [...set]))];
        this.plain.clear();
        this.indexes.clear();
        this.count = 0;
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

  private push(ev: RingEvent): void {
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
    this.dispatch(ev);
    ev.forget();
  }

  private dispatch(ev: CacheEvent): void {
    for (const s of this.plain) if (ev.key.startsWith(s.prefix)) s.listener(ev);
    for (const index of this.indexes.values()) {
      if (!ev.key.startsWith(index.scope)) continue;
      const cur = ev.object();
      const prev = ev.prevObject();
      const now = cur ? index.get(cur) : undefined;
      const before = prev ? index.get(prev) : undefined;
      // An object that moved (pod off its node) goes to the watchers of both values: one sees it
      // leave (DELETED), the other arrive (ADDED). A subscriber sits under one value: no duplicates.
      if (now !== undefined) this.offer(index.byValue.get(now), ev);
      if (before !== undefined && before !== now) this.offer(index.byValue.get(before), ev);
    }
  }

  private offer(subs: Set<Subscription> | undefined, ev: CacheEvent): void {
    if (subs) for (const s of subs) if (ev.key.startsWith(s.prefix)) s.listener(ev);
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
   * One page of `prefix` from the cache, at the cache's revision (see Store.list for the
   * options). Callers wanting "not older than N" wait for N first (waitFor).
   */
  async list(prefix: string, opts: { startKey?: string; limit?: number; filter?: (o: KubeObject) => boolean } = {}): Promise<ListResult> {
    return this.state.list(prefix, this.rev, opts);
  }

  /**
   * Deliver every event under `prefix` with rev > fromRev: first the buffered ones, then live.
   * Returns undefined when fromRev is older than the buffer (the caller answers 410 Gone).
   */
  subscribe(prefix: string, fromRev: number, listener: Listener, opts: SubscribeOptions = {}): (() => void) | undefined {
    if (fromRev < this.startRev) return undefined;
    let from = this.head;
    for (let i = this.ring.length - 1; i >= this.head; i--) {
      if (this.ring[i]!.rev <= fromRev) {
        from = i + 1;
        break;
      }
    }
    this.replay(from, prefix, listener);
    const sub: Subscription = { prefix, listener, ...opts };
    const set = opts.trigger ? this.triggerSet(opts.trigger) : this.plain;
    set.add(sub);
    this.count++;
    return () => {
      if (set.delete(sub)) this.count--;
      if (set.size === 0 && opts.trigger) this.dropEmpty(opts.trigger);
    };
  }

  private triggerSet(t: Trigger): Set<Subscription> {
    const id = `${t.scope}\n${t.field}`;
    let index = this.indexes.get(id);
    if (!index) this.indexes.set(id, (index = { scope: t.scope, get: t.get, byValue: new Map() }));
    let set = index.byValue.get(t.value);
    if (!set) index.byValue.set(t.value, (set = new Set()));
    return set;
  }

  private dropEmpty(t: Trigger): void {
    const id = `${t.scope}\n${t.field}`;
    const index = this.indexes.get(id);
    if (!index || index.byValue.get(t.value)?.size !== 0) return;
    index.byValue.delete(t.value);
    if (index.byValue.size === 0) this.indexes.delete(id);
  }

  private replay(from: number, prefix: string, listener: Listener): void {
    for (let i = from; i < this.ring.length; i++) {
      const ev = this.ring[i]!;
      if (!ev.key.startsWith(prefix)) continue;
      listener(ev);
      ev.forget();
    }
  }

  get watcherCount(): number {
    return this.count;
  }
}
