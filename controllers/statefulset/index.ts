// The StatefulSet controller: pods with stable names and hostnames, started and stopped in order.
import type { ControllerRevision, Pod, StatefulSet } from '../../api/index.js';
import { Controller, indexers } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { Expectations, trackOwnedPods } from '../replicaset/index.js';
import { statefulSetReconciler } from './reconcile.js';

export { podIndexLabel, podNameLabel } from './reconcile.js';

export function statefulSetController(opts: { now?: () => number } = {}): ControllerDef {
  return {
    name: 'statefulset',
    setup(ctx) {
      const statefulSets = ctx.factory.informer<StatefulSet>('statefulsets');
      const pods = ctx.factory.informer<Pod>('pods');
      const revisions = ctx.factory.informer<ControllerRevision>('controllerrevisions');
      pods.addIndexer('namespace', indexers.namespace);
      revisions.addIndexer('namespace', indexers.namespace);
      const expectations = new Expectations();
      const controller = new Controller({
        name: 'statefulset',
        log: ctx.log,
        reconcile: statefulSetReconciler({ clientset: ctx.clientset, statefulSets, pods, revisions, expectations, recorder: ctx.recorder, now: opts.now ?? Date.now }),
      });
      controller.watch(statefulSets);
      trackOwnedPods(pods, 'StatefulSet', expectations, (key) => controller.enqueue(key));
      return { run: (signal) => controller.run(signal) };
    },
  };
}
