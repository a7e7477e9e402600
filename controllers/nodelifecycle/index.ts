// Node lifecycle: health monitoring and taints per node (monitor.ts), NoExecute eviction per
// pod (eviction.ts). Two queues on the same shared informers.
import type { Lease, Node, Pod } from '../../api/index.js';
import { Controller, indexers, keyOf } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { TaintEvictor } from './eviction.js';
import { HealthMonitor } from './monitor.js';

export * from './taints.js';

export interface NodeLifecycleOptions {
  /** A node whose lease has not moved this long becomes Unknown (kube: 40 s). */
  gracePeriodMs: number;
  /** How often each node is looked at (kube: 5 s). */
  monitorPeriodMs: number;
}

export function nodeLifecycleController(opts: NodeLifecycleOptions): ControllerDef {
  return {
    name: 'nodelifecycle',
    setup(ctx) {
      const nodes = ctx.factory.informer<Node>('nodes');
      const leases = ctx.factory.informer<Lease>('leases', { namespace: 'kube-node-lease' });
      const pods = ctx.factory.informer<Pod>('pods');
      pods.addIndexer('nodeName', indexers.nodeName);
      const monitor = new HealthMonitor(ctx, nodes, pods, opts.gracePeriodMs, opts.monitorPeriodMs);
      const evictor = new TaintEvictor(ctx, nodes, pods);
      leases.on({ add: (l) => monitor.observeLease(l), update: (_o, l) => monitor.observeLease(l) });
      nodes.on({ add: (n) => monitor.observeNode(n), update: (_o, n) => monitor.observeNode(n), delete: (n) => monitor.forget(n.metadata?.name ?? '') });

      const health = new Controller({ name: 'nodelifecycle', workers: 2, log: ctx.log, reconcile: (k) => monitor.reconcile(k) });
      health.watch(nodes, (n) => n.metadata?.name);
      const eviction = new Controller({ name: 'taint-eviction', workers: 4, log: ctx.log, reconcile: (k) => evictor.reconcile(k) });
      eviction.watch(pods, (p) => (p.spec?.nodeName ? keyOf(p) : undefined));
      // A node's taints changing concerns every pod on it.
      nodes.on({
        delete: (n) => evictor.taintsChanged({ ...n, spec: {} }),
        update: (o, n) => {
          if (JSON.stringify(o.spec?.taints ?? []) === JSON.stringify(n.spec?.taints ?? [])) return;
          evictor.taintsChanged(n);
          for (const p of pods.store.byIndex('nodeName', n.metadata?.name ?? '')) eviction.enqueue(keyOf(p));
        },
      });
      return {
        run: async (signal: AbortSignal) => {
          await Promise.all([health.run(signal), eviction.run(signal)]);
        },
      };
    },
  };
}
