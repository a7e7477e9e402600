// Deleting a namespace deletes everything in it, then the namespace (the `kubernetes`
// finalizer in spec.finalizers). Kubernetes runs this in the controller manager; Skiff keeps
// it beside the storage so that namespace deletion works with the apiserver alone.
import { serves, type ResourceType } from '../../api/resource.js';
import type { NamespaceTracker } from './namespaces.js';
import { everything } from './predicate.js';
import type { Registry } from './rest.js';

const gracePeriodMs = 5000;

export class NamespaceFinalizer {
  private readonly pending = new Set<string>();
  private readonly firstSeen = new Map<string, number>();
  private running = false;
  private stopped = false;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: Registry,
    private readonly resources: ResourceType[],
    private readonly namespaces: NamespaceTracker,
    private readonly log: (msg: string, err?: unknown) => void,
  ) {}

  start(): void {
    this.namespaces.onChange((name, obj) => {
      if (obj?.metadata.deletionTimestamp) this.kick(name);
      if (!obj) this.firstSeen.delete(name);
    });
    for (const ns of this.namespaces.terminating()) this.kick(ns);
    // Objects with slow finalizers or graceful pods: look again until the namespace is gone.
    this.timer = setInterval(() => this.namespaces.terminating().forEach((ns) => this.kick(ns)), 5000);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** First sight of a terminating namespace waits a grace period, as Kubernetes' namespace
   *  controller does, so `kubectl delete -f` of a manifest can delete its own objects first. */
  private kick(ns: string): void {
    if (!this.firstSeen.has(ns)) {
      this.firstSeen.set(ns, Date.now());
      setTimeout(() => this.kick(ns), gracePeriodMs).unref();
      return;
    }
    if (Date.now() - this.firstSeen.get(ns)! < gracePeriodMs) return;
    this.pending.add(ns);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (const ns of this.pending) {
        this.pending.delete(ns);
        if (this.stopped) return;
        try {
          await this.finalize(ns);
        } catch (err) {
          if (!this.stopped) this.log(`namespace ${ns}: cleanup failed, will retry`, err);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async finalize(ns: string): Promise<void> {
    let remaining = 0;
    for (const rt of this.resources) {
      if (!rt.namespaced || !serves(rt, 'list')) continue;
      const { items } = await this.registry.list(rt, ns, { predicate: everything });
      for (const obj of items) {
        if (obj.metadata.deletionTimestamp) {
          remaining++;
          continue;
        }
        const res = await this.registry.delete(rt, ns, obj.metadata.name!, { propagationPolicy: 'Background' }).catch((err: unknown) => {
          if ((err as { code?: number }).code === 404) return { removed: true };
          throw err;
        });
        if (!res.removed) remaining++;
      }
    }
    if (remaining > 0) return;
    const nsType = this.resources.find((r) => r.group === '' && r.plural === 'namespaces')!;
    await this.registry.guaranteedUpdate(nsType, undefined, ns, (obj) => {
      const spec = (obj.spec ?? {}) as { finalizers?: string[] };
      obj.spec = { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') };
      return this.registry.finalizeIfDone(nsType, obj);
    });
  }
}
