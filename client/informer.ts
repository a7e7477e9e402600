// A shared informer: list once, then watch from the list's resourceVersion, keeping a cache and
// telling handlers what changed. It resumes a broken watch from the last version seen, relists on
// 410 Gone (telling handlers about whatever changed meanwhile), backs off on errors and never
// silently stops. Periodic resync replays every object as an update so level-triggered
// controllers heal missed work.
import { isGone } from './errors.js';
import { createLogger, type Logger } from './log.js';
import { keyOf, type KubeObject } from './objects.js';
import type { ResourceClient } from './resource-client.js';
import { Store, type IndexFunc } from './store.js';

export interface EventHandler<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  /** Gets the last known state of the object. */
  delete?(obj: T): void;
}

export interface InformerOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Replay every cached object to `update` this often (ms); 0 = never. */
  resyncMs?: number;
  log?: Logger;
}

const minBackoffMs = 200;
const maxBackoffMs = 30_000;

export class Informer<T extends KubeObject> {
  readonly store = new Store<T>();
  private readonly handlers: EventHandler<T>[] = [];
  private readonly log: Logger;
  private abort: AbortController | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private rv: string | undefined;

  constructor(
    readonly client: ResourceClient<T>,
    readonly opts: InformerOptions = {},
  ) {
    this.log = (opts.log ?? createLogger('informer')).child({ resource: client.info.plural });
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** The resourceVersion of the last list or event applied. */
  get lastResourceVersion(): string | undefined {
    return this.rv;
  }

  /** Adds a handler; if the cache is already filled, it first gets an `add` for every object. */
  on(handler: EventHandler<T>): void {
    this.handlers.push(handler);
    if (this.synced && handler.add) for (const obj of this.store.list()) this.call(() => handler.add?.(obj));
  }

  addIndexer(name: string, fn: IndexFunc<T>): void {
    this.store.addIndexer(name, fn);
  }

  /** Starts list+watch in the background; resolves once the first list is in the cache. */
  start(): Promise<void> {
    if (!this.abort) {
      this.abort = new AbortController();
      void this.run(this.abort.signal);
      const resync = this.opts.resyncMs ?? 0;
      if (resync > 0) {
        this.resyncTimer = setInterval(() => this.resync(), resync);
        this.resyncTimer.unref();
      }
    }
    return this.waitForSync();
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  stop(): void {
    this.abort?.abort();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  private async run(signal: AbortSignal): Promise<void> {
    let backoff = minBackoffMs;
    while (!signal.aborted) {
      const began = Date.now();
      try {
        if (this.rv === undefined) await this.relist();
        await this.client.watch(
          this.opts.namespace,
          {
            resourceVersion: this.rv,
            allowWatchBookmarks: true,
            labelSelector: this.opts.labelSelector,
            fieldSelector: this.opts.fieldSelector,
            // Spread reconnects like client-go (5–10 min) so many clients never reconnect at once.
            timeoutSeconds: 300 + Math.floor(Math.random() * 300),
          },
          (ev) => {
            const rv = ev.object.metadata?.resourceVersion;
            if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.apply(ev.object);
            else if (ev.type === 'DELETED') this.applyDelete(keyOf(ev.object), ev.object);
            if (rv) this.rv = rv;
          },
          signal,
        );
        backoff = minBackoffMs;
        // A stream the server ended at once (shutting down, overloaded) must not make us spin.
        if (Date.now() - began < 1000) await sleep(minBackoffMs, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          this.log.info({ rv: this.rv }, 'watch expired; relisting');
          this.rv = undefined;
          continue;
        }
        this.log.warn({ err: (err as Error).message, backoffMs: backoff }, 'list/watch failed; retrying');
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, maxBackoffMs);
      }
    }
  }

  /** Lists everything and turns the difference with the cache into add/update/delete calls. */
  private async relist(): Promise<void> {
    const list = await this.client.listAll(this.opts.namespace, {
      labelSelector: this.opts.labelSelector,
      fieldSelector: this.opts.fieldSelector,
    });
    const seen = new Set<string>();
    for (const obj of list.items) {
      // List items carry no kind; watch events do. Give cached objects one shape.
      seen.add(keyOf(obj));
      this.apply(obj);
    }
    for (const key of this.store.keys()) if (!seen.has(key)) this.applyDelete(key, undefined);
    this.rv = list.metadata.resourceVersion ?? '0';
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
  }

  private apply(obj: T): void {
    const old = this.store.set(obj);
    if (!old) {
      for (const h of this.handlers) if (h.add) this.call(() => h.add?.(obj));
    } else if (old.metadata?.resourceVersion !== obj.metadata?.resourceVersion) {
      for (const h of this.handlers) if (h.update) this.call(() => h.update?.(old, obj));
    }
  }

  private applyDelete(key: string, last: T | undefined): void {
    const old = this.store.remove(key);
    const obj = last ?? old;
    if (!old || !obj) return;
    for (const h of this.handlers) if (h.delete) this.call(() => h.delete?.(obj));
  }

  private resync(): void {
    for (const obj of this.store.list()) for (const h of this.handlers) if (h.update) this.call(() => h.update?.(obj, obj));
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log.error({ err }, 'event handler failed');
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
