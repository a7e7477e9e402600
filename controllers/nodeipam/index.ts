// Node IPAM: every Node gets a spec.podCIDR (and podCIDRs) of its own from the cluster CIDR.
// The used set is rebuilt from the nodes the informer lists at start, then kept current from
// its events; one worker allocates, so two nodes never get the same subnet.
import type { Node } from '../../api/index.js';
import { Controller, done, requeueAfter, retry, type Outcome } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { CidrSet, parseCidr } from './cidr.js';

export { CidrSet, parseCidr, formatCidr } from './cidr.js';

export interface NodeIpamOptions {
  clusterCidr: string;
  maskSize: number;
}

export function nodeIpamController(opts: NodeIpamOptions): ControllerDef {
  return {
    name: 'nodeipam',
    setup(ctx) {
      const cidrs = new CidrSet(parseCidr(opts.clusterCidr), opts.maskSize);
      const nodes = ctx.factory.informer<Node>('nodes');
      const assigned = new Map<string, string>();
      const track = (n: Node): void => {
        const name = n.metadata?.name ?? '';
        const cidr = n.spec?.podCIDR;
        if (!cidr || assigned.get(name) === cidr) return;
        if (!cidrs.occupy(cidr)) ctx.log.warn({ node: name, podCIDR: cidr }, 'podCIDR outside the cluster CIDR or already in use by another node');
        assigned.set(name, cidr);
      };
      nodes.on({
        add: track,
        update: (_o, n) => track(n),
        delete: (n) => {
          const cidr = assigned.get(n.metadata?.name ?? '');
          assigned.delete(n.metadata?.name ?? '');
          if (cidr) cidrs.release(cidr);
        },
      });
      const reconcile = async (key: string): Promise<Outcome> => {
        const node = nodes.store.get(key);
        if (!node || node.spec?.podCIDR || assigned.has(key)) return done;
        const cidr = cidrs.allocate();
        if (!cidr) {
          ctx.recorder.event({ apiVersion: 'v1', kind: 'Node', ...node }, 'Warning', 'CIDRNotAvailable', `Node ${key} status is now: CIDRNotAvailable`);
          return requeueAfter(30_000);
        }
        // Recorded first, so the update event that follows is recognised as ours.
        assigned.set(key, cidr);
        try {
          // An update on the cached resourceVersion: if anything changed meanwhile, it conflicts.
          await ctx.clientset.nodes.update({ ...node, spec: { ...node.spec, podCIDR: cidr, podCIDRs: [cidr] } });
          ctx.log.info({ node: key, podCIDR: cidr }, 'allocated podCIDR');
          return done;
        } catch (err) {
          if (assigned.get(key) === cidr) assigned.delete(key);
          cidrs.release(cidr);
          return retry(err instanceof Error ? err : new Error(String(err)));
        }
      };
      const controller = new Controller({ name: 'nodeipam', workers: 1, log: ctx.log, reconcile });
      controller.watch(nodes);
      return controller;
    },
  };
}
