// Every object under one etcd prefix, kept in memory from the watch cache: what the RBAC and
// Node authorizers read on each request without touching etcd.
import type { KubeObject } from '../../api/resource.js';
import type { Store } from './store.js';
import type { WatchCache } from './watch-cache.js';

export class ObjectIndex {
  readonly objects = new Map<string, KubeObject>();
  /** Bumped on every change, so derived views know when to rebuild. */
  version = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly store: Store,
    readonly prefix: string,
  ) {}

  async start(cache: WatchCache, atRev?: number): Promise<void> {
    const { items, revision } = await this.store.list(this.prefix, atRev ? { revision: atRev } : {});
    this.objects.clear();
    for (const o of items) this.objects.set(this.keyOf(o), o);
    this.changed();
    const relist = () => void this.start(cache).catch(() => setTimeout(relist, 1000));
    cache.subscribe(
      this.prefix,
      revision,
      (ev) => {
        const obj = ev.type === 'put' ? ev.object() : undefined;
        const key = ev.key.slice(this.prefix.length);
        if (obj) this.objects.set(key, obj);
        else this.objects.delete(key);
        this.changed();
      },
      { onReset: relist },
    );
  }

  /** `<namespace>/<name>` or `<name>`, as the etcd key ends. */
  private keyOf(o: KubeObject): string {
    return o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
  }

  get(namespace: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(namespace ? `${namespace}/${name}` : name);
  }

  onChange(fn: () => void): void {
    this.listeners.add(fn);
  }

  private changed(): void {
    this.version++;
    for (const l of this.listeners) l();
  }
}
