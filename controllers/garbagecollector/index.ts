// The garbage collector: deletes objects whose owners are all gone (Background propagation),
// empties owners deleted with propagationPolicy Foreground (dependents first, blocking ones
// awaited, then the foregroundDeletion finalizer goes) and Orphan (ownerReferences to the owner
// removed from its dependents, then the orphan finalizer goes). The apiserver adds those
// finalizers. Nothing is deleted on the cache's word alone: absent owners are confirmed by a live
// GET and the dependent is re-read before it is deleted, with a uid precondition.
import type { OwnerReference } from '../../api/index.js';
import {
  Controller, done, isConflict, isNotFound, requeueAfter, retry,
  type KubeObject, type Outcome, type ResourceClient,
} from '../../client/index.js';
import type { ControllerContext, ControllerDef } from '../context.js';
import { Graph, hasFinalizer, ownerResource, waitingForDependents, type Node } from './graph.js';

export { Graph, watchedResources } from './graph.js';

export const garbageCollectorController: ControllerDef = {
  name: 'garbagecollector',
  setup(ctx) {
    const graph = new Graph(ctx.factory);
    const gc = new GarbageCollector(ctx, graph);
    const controller = new Controller({ name: 'garbagecollector', workers: 4, log: ctx.log, reconcile: (key) => gc.reconcile(key) });
    for (const [plural, inf] of graph.informers) {
      const changed = (obj: KubeObject): void => {
        const m = obj.metadata ?? {};
        if ((m.ownerReferences ?? []).length > 0 || hasFinalizer(obj, 'orphan') || hasFinalizer(obj, 'foregroundDeletion')) {
          controller.enqueue(Graph.key(plural, obj));
        }
        // An owner waiting for its dependents looks again whenever one of them changes.
        for (const ref of m.ownerReferences ?? []) {
          const owner = graph.owner(ref);
          if (owner && owner.obj.metadata?.deletionTimestamp) controller.enqueue(Graph.key(owner.plural, owner.obj));
        }
      };
      inf.on({
        add: changed,
        update: (_old, obj) => changed(obj),
        delete: (obj) => {
          changed(obj);
          // Its dependents may now be orphans.
          for (const d of graph.dependents(obj.metadata?.uid ?? '')) controller.enqueue(Graph.key(d.plural, d.obj));
        },
      });
    }
    return controller;
  },
};

type RefState = 'solid' | 'waiting' | 'absent';

class GarbageCollector {
  private readonly clients = new Map<string, ResourceClient<KubeObject>>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly graph: Graph,
  ) {}

  private client(plural: string): ResourceClient<KubeObject> {
    let c = this.clients.get(plural);
    if (!c) this.clients.set(plural, (c = this.ctx.clientset.resource<KubeObject>(plural)));
    return c;
  }

  async reconcile(key: string): Promise<Outcome> {
    const node = this.graph.get(key);
    if (!node) return done;
    try {
      const m = node.obj.metadata ?? {};
      if (m.deletionTimestamp) {
        if (hasFinalizer(node.obj, 'orphan')) return await this.orphanDependents(node);
        if (hasFinalizer(node.obj, 'foregroundDeletion')) return await this.deleteDependentsFirst(node);
        return done;
      }
      if ((m.ownerReferences ?? []).length === 0) return done;
      return await this.checkOwners(node);
    } catch (err) {
      return retry(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Background propagation: an object none of whose owners exists any more is deleted. */
  private async checkOwners(node: Node): Promise<Outcome> {
    const refs = node.obj.metadata?.ownerReferences ?? [];
    const states = new Map<string, RefState>();
    for (const ref of refs) states.set(ref.uid, await this.ownerState(node, ref));
    const solid = refs.filter((r) => states.get(r.uid) === 'solid');
    const gone = refs.filter((r) => states.get(r.uid) !== 'solid');
    if (gone.length === 0) return done;
    if (solid.length > 0) {
      // Some owner still holds it: only the references to owners that are going are dropped.
      await this.removeOwnerRefs(node, new Set(gone.map((r) => r.uid)));
      return done;
    }
    const live = await this.reread(node);
    if (!live) return done;
    if (JSON.stringify(live.metadata?.ownerReferences ?? []) !== JSON.stringify(refs)) return requeueAfter(100);
    // Under an owner deleted in the foreground, a dependent that itself owns things goes the same way.
    const foreground = refs.some((r) => states.get(r.uid) === 'waiting') && this.graph.dependents(live.metadata?.uid ?? '').length > 0;
    await this.delete(node.plural, live, foreground ? 'Foreground' : 'Background');
    return done;
  }

  private async ownerState(node: Node, ref: OwnerReference): Promise<RefState> {
    const cached = this.graph.owner(ref);
    let owner: KubeObject | undefined = cached?.obj;
    if (!owner) {
      const res = ownerResource(ref);
      // A kind we do not serve cannot be checked; never delete on a guess.
      if (!res) return 'solid';
      try {
        owner = await this.client(res.plural).get(res.namespaced ? node.obj.metadata?.namespace : undefined, ref.name);
      } catch (err) {
        if (isNotFound(err)) return 'absent';
        throw err;
      }
      if (owner.metadata?.uid !== ref.uid) return 'absent';
    }
    return waitingForDependents(owner) ? 'waiting' : 'solid';
  }

  /** Foreground: delete every dependent, wait for the blocking ones, then let the owner go. */
  private async deleteDependentsFirst(owner: Node): Promise<Outcome> {
    const uid = owner.obj.metadata?.uid ?? '';
    const dependents = this.graph.dependents(uid);
    for (const d of dependents) {
      if (d.obj.metadata?.deletionTimestamp) continue;
      const policy = this.graph.dependents(d.obj.metadata?.uid ?? '').length > 0 ? 'Foreground' : 'Background';
      await this.delete(d.plural, d.obj, policy);
    }
    const blocking = dependents.filter((d) => (d.obj.metadata?.ownerReferences ?? []).some((r) => r.uid === uid && r.blockOwnerDeletion === true));
    if (blocking.length > 0) return requeueAfter(1000);
    await this.removeFinalizer(owner, 'foregroundDeletion');
    return done;
  }

  /** Orphan: the dependents lose their reference to the owner and stay; then the owner goes. */
  private async orphanDependents(owner: Node): Promise<Outcome> {
    const uid = owner.obj.metadata?.uid ?? '';
    for (const d of this.graph.dependents(uid)) await this.removeOwnerRefs(d, new Set([uid]));
    await this.removeFinalizer(owner, 'orphan');
    return done;
  }

  private async reread(node: Node): Promise<KubeObject | undefined> {
    const m = node.obj.metadata ?? {};
    try {
      const live = await this.client(node.plural).get(m.namespace, m.name ?? '');
      return live.metadata?.uid === node.obj.metadata?.uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async delete(plural: string, obj: KubeObject, propagationPolicy: 'Foreground' | 'Background'): Promise<void> {
    const m = obj.metadata ?? {};
    try {
      await this.client(plural).delete(m.namespace, m.name ?? '', { propagationPolicy, ...(m.uid ? { preconditions: { uid: m.uid } } : {}) });
      this.ctx.log.info({ resource: plural, namespace: m.namespace, name: m.name, propagationPolicy }, 'garbage collected');
    } catch (err) {
      // Already gone, or a new object of the same name (precondition failed): nothing to do.
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /** Read-modify-write on the live object; a conflict surfaces as a retry of the whole reconcile. */
  private async modify(node: Node, change: (obj: KubeObject) => boolean): Promise<void> {
    const live = await this.reread(node);
    if (!live || !change(live)) return;
    await this.client(node.plural).update(live);
  }

  private removeOwnerRefs(node: Node, uids: Set<string>): Promise<void> {
    return this.modify(node, (obj) => {
      const m = obj.metadata ?? {};
      const refs = m.ownerReferences ?? [];
      const kept = refs.filter((r) => !uids.has(r.uid));
      if (kept.length === refs.length) return false;
      m.ownerReferences = kept;
      return true;
    });
  }

  private removeFinalizer(node: Node, finalizer: string): Promise<void> {
    return this.modify(node, (obj) => {
      const m = obj.metadata ?? {};
      if (!(m.finalizers ?? []).includes(finalizer)) return false;
      m.finalizers = (m.finalizers ?? []).filter((f) => f !== finalizer);
      return true;
    });
  }
}
