// The ReplicaSet controller: keeps spec.replicas pods running from spec.template.
import type { Pod, ReplicaSet } from '../../api/index.js';
import { Controller, controllerOf, indexers, keyOf } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { Expectations } from './expectations.js';
import { replicaSetKind, replicaSetReconciler, type ReplicaKind } from './reconcile.js';

export { replicaSetKind, type ReplicaKind } from './reconcile.js';
import { selectingOwners } from './selectors.js';

export { claim, type ClaimOwner } from './claim.js';
export { isPodActive, isPodAvailable, isPodReady, controllerRef, nowTime, podFromTemplate } from './pods.js';
export { podsToDelete } from './ranking.js';
export { slowStartBatch } from './slow-start.js';
export { Expectations } from './expectations.js';
export { trackOwnedPods } from './owned-pods.js';
export { createOwnedPods, deleteOwnedPods, type PodControl } from './pod-control.js';
export { stableJson } from './stable-json.js';
export { isOutcome, parseSelector, selectingOwners } from './selectors.js';

/** A controller keeping replicas of `kind` (ReplicaSet, or ReplicationController which shares this reconcile). */
export function replicaController(name: string, kind: ReplicaKind): ControllerDef {
  return {
    name,
    setup(ctx) {
      const pods = ctx.factory.informer<Pod>('pods');
      const replicaSets = ctx.factory.informer<ReplicaSet>(kind.plural);
      pods.addIndexer('namespace', indexers.namespace);
      replicaSets.addIndexer('namespace', indexers.namespace);
      const expectations = new Expectations();
      const log = ctx.log.child({ controller: name });
      const controller = new Controller({
        name,
        workers: 5,
        log: ctx.log,
        reconcile: replicaSetReconciler({ kind, clientset: ctx.clientset, replicaSets, pods, expectations, recorder: ctx.recorder, log }),
      });
      controller.watch(replicaSets);

      // The owning ReplicaSet's key if it is one we know (same uid), else undefined.
      const ownerOf = (pod: Pod): string | undefined => {
        const ref = controllerOf(pod);
        if (!ref || ref.kind !== kind.kind) return undefined;
        const key = `${pod.metadata?.namespace}/${ref.name}`;
        return replicaSets.store.get(key)?.metadata?.uid === ref.uid ? key : undefined;
      };
      const enqueueFor = (pod: Pod): void => {
        const owner = ownerOf(pod);
        if (owner) controller.enqueue(owner);
        else if (!controllerOf(pod)) {
          const owners = replicaSets.store.byIndex('namespace', pod.metadata?.namespace ?? '').map((o) => ({ ...o, spec: { selector: kind.selector(o) } }));
          for (const k of selectingOwners(owners, pod)) controller.enqueue(k);
        }
      };
      const gone = (pod: Pod): void => {
        const owner = ownerOf(pod);
        if (owner) expectations.deletionObserved(owner, keyOf(pod));
      };
      pods.on({
        add(pod) {
          if (pod.metadata?.deletionTimestamp) gone(pod);
          else {
            const owner = ownerOf(pod);
            if (owner) expectations.creationObserved(owner);
          }
          enqueueFor(pod);
        },
        update(oldPod, pod) {
          if (pod.metadata?.deletionTimestamp && !oldPod.metadata?.deletionTimestamp) gone(pod);
          enqueueFor(pod);
          if (oldPod !== pod) enqueueFor(oldPod);
        },
        delete(pod) {
          gone(pod);
          enqueueFor(pod);
        },
      });
      return { run: (signal) => controller.run(signal) };
    },
  };
}

export const replicaSetController: ControllerDef = replicaController('replicaset', replicaSetKind);
