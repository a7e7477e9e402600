// The Deployment controller: rolls ReplicaSets to match a deployment's template and replicas.
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import { Controller, controllerOf, indexers, type Informer } from '../../client/index.js';
import { selectingOwners } from '../replicaset/index.js';
import type { ControllerDef } from '../context.js';
import { deploymentReconciler } from './reconcile.js';

export { computeHash, hashLabel } from './hash.js';

export const deploymentController: ControllerDef = {
  name: 'deployment',
  setup(ctx) {
    const deployments = ctx.factory.informer<Deployment>('deployments');
    const replicaSets = ctx.factory.informer<ReplicaSet>('replicasets');
    const pods = ctx.factory.informer<Pod>('pods');
    for (const inf of [deployments, replicaSets, pods] as Informer<Deployment | ReplicaSet | Pod>[]) inf.addIndexer('namespace', indexers.namespace);
    const log = ctx.log.child({ controller: 'deployment' });
    const controller = new Controller({
      name: 'deployment',
      workers: 5,
      log: ctx.log,
      reconcile: deploymentReconciler({ clientset: ctx.clientset, recorder: ctx.recorder, log, pods, deployments, replicaSets }),
    });
    controller.watch(deployments);
    controller.watch(replicaSets, (rs) => {
      const ref = controllerOf(rs);
      if (ref) return ref.kind === 'Deployment' ? `${rs.metadata?.namespace}/${ref.name}` : undefined;
      return selectingOwners(deployments.store.byIndex('namespace', rs.metadata?.namespace ?? ''), rs);
    });
    // Recreate waits for old pods to be gone: a pod's deletion wakes its deployment.
    pods.on({
      delete(pod) {
        const rsRef = controllerOf(pod);
        if (rsRef?.kind !== 'ReplicaSet') return;
        const rs = replicaSets.store.get(`${pod.metadata?.namespace}/${rsRef.name}`);
        const dRef = rs ? controllerOf(rs) : undefined;
        if (dRef?.kind === 'Deployment') controller.enqueue(`${pod.metadata?.namespace}/${dRef.name}`);
      },
    });
    return { run: (signal) => controller.run(signal) };
  },
};
