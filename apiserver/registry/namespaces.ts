// Namespace lifecycle admission: objects may only be created in a namespace that exists and
// is not terminating. Namespaces are tracked from the watch cache, so the check costs no etcd read.
import type { KubeObject } from '../../api/resource.js';
import { ApiError, forbidden } from '../errors.js';
import type { Store } from '../storage/store.js';
import type { WatchCache } from '../storage/watch-cache.js';

export class NamespaceTracker {
  /** name → terminating */
  private readonly known = new Map<string, boolean>();
  private readonly listeners = new Set<(name: string, obj: KubeObject | undefined) => void>();

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
  ) {}

  async start(cache: WatchCache, atRev?: number): Promise<void> {
    const { items, revision } = await this.store.list(this.prefix, atRev ? { revision: atRev } : {});
    this.known.clear();
    for (const ns of items) this.observe(ns.metadata.name!, ns);
    const relist = () => void this.start(cache).catch(() => setTimeout(relist, 1000));
    cache.subscribe(
      this.prefix,
      revision,
      (ev) => {
        const name = ev.key.slice(this.prefix.length);
        this.observe(name, ev.type === 'put' ? ev.object() : undefined);
      },
      { onReset: relist },
    );
  }

  private observe(name: string, obj: KubeObject | undefined): void {
    if (obj) this.known.set(name, Boolean(obj.metadata.deletionTimestamp));
    else this.known.delete(name);
    for (const l of this.listeners) l(name, obj);
  }

  onChange(l: (name: string, obj: KubeObject | undefined) => void): void {
    this.listeners.add(l);
  }

  terminating(): string[] {
    return [...this.known].filter(([, t]) => t).map(([n]) => n);
  }

  /** Throws unless new objects may be created in `ns`. */
  async admitCreate(ns: string, what: { plural: string; group: string }, name: string): Promise<void> {
    let terminating = this.known.get(ns);
    if (terminating === undefined) {
      // Possibly created a moment ago and not yet seen on the watch: ask etcd.
      const got = await this.store.get(this.prefix + ns);
      if (!got) throw new ApiError(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' });
      terminating = Boolean(got.obj.metadata.deletionTimestamp);
    }
    if (terminating) {
      throw forbidden(what, name, `unable to create new content in namespace ${ns} because it is being terminated`);
    }
  }
}
