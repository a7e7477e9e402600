// The Deployment controller: rolls ReplicaSets to match a deployment's template and replicas.
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import { labels } from '../../api/index.js';
import { Controller, controllerOf, indexers, keyOf, type Informer } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { deploymentReconciler } from './reconcile.js';

export { computeHash, hashLabel } from './hash.js';

function matchingDeployments(deployments: Informer<Deployment>, obj: { metadata?: { namespace?: string; labels?: Record<string, string> } }): string[] {
  const out: string[] = [];
  for (const d of deployments.store.byIndex('namespace', obj.metadata?.namespace ?? '')) {
    try {
      const sel = labels.selectorFromLabelSelector(d.spec?.selector);
      if (!sel.empty && sel.matches(obj.metadata?.labels)) out.push(keyOf(d));
    } catch {
      // An invalid selector adopts nothing.
    }
  }
  return out;
}

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
      log,
      reconcile: deploymentReconciler({ clientset: ctx.clientset, recorder: ctx.recorder, log, pods, deployments, replicaSets }),
    });
    controller.watch(deployments);
    controller.watch(replicaSets, (rs) => {
      const ref = controllerOf(rs);
      if (ref) return ref.kind === 'Deployment' ? `${rs.metadata?.namespace}/${ref.name}` : undefined;
      return matchingDeployments(deployments, rs);
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
