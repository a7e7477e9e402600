// The DaemonSet controller: one daemon pod per eligible node, rolled out by revision.
import type { ControllerRevision, DaemonSet, Node, Pod } from '../../api/index.js';
import { Controller, indexers, keyOf } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { Expectations, trackOwnedPods } from '../replicaset/index.js';
import { daemonSetReconciler } from './reconcile.js';

export { revisionHashLabel } from './nodes.js';

export function daemonSetController(opts: { now?: () => number } = {}): ControllerDef {
  return {
    name: 'daemonset',
    setup(ctx) {
      const daemonSets = ctx.factory.informer<DaemonSet>('daemonsets');
      const pods = ctx.factory.informer<Pod>('pods');
      const nodes = ctx.factory.informer<Node>('nodes');
      const revisions = ctx.factory.informer<ControllerRevision>('controllerrevisions');
      pods.addIndexer('namespace', indexers.namespace);
      revisions.addIndexer('namespace', indexers.namespace);
      const expectations = new Expectations();
      const controller = new Controller({
        name: 'daemonset',
        workers: 2,
        log: ctx.log,
        reconcile: daemonSetReconciler({ clientset: ctx.clientset, daemonSets, pods, nodes, revisions, expectations, recorder: ctx.recorder, now: opts.now ?? Date.now }),
      });
      controller.watch(daemonSets);
      // Any node change (joins, leaves, labels, taints) may change where every DaemonSet runs.
      const all = (): string[] => daemonSets.store.list().map((ds) => keyOf(ds));
      controller.watch(nodes, all);
      trackOwnedPods(pods, 'DaemonSet', expectations, (key) => controller.enqueue(key));
      return { run: (signal) => controller.run(signal) };
    },
  };
}
