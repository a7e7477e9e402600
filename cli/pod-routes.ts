// Host-gw routing for local nodes: keeps a host route from each node's pod CIDR to that node's
// address, following the Node objects (the controller manager assigns the CIDRs after the
// kubelets register). The route controller of kube-controller-manager and flannel's host-gw
// backend do the same job.
import type { Node } from '../api/index.js';
import { Clientset, InformerFactory, type Logger } from '../client/index.js';
import { routePodCidr, unroutePodCidr } from '../host/node-net.js';

export function startPodRoutes(clientset: Clientset, localNodeIps: Set<string>, log: Logger): () => void {
  const factory = new InformerFactory(clientset);
  const nodes = factory.informer<Node>('nodes');
  const routed = new Map<string, string>(); // node name → cidr
  const sync = (node: Node): void => {
    const name = node.metadata?.name ?? '';
    const cidr = node.spec?.podCIDR;
    const addr = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    if (!cidr || !addr || !localNodeIps.has(addr) || routed.get(name) === cidr) return;
    try {
      routePodCidr(cidr, addr);
      routed.set(name, cidr);
      log.info({ node: name, cidr, via: addr }, 'routed pod CIDR');
    } catch (err) {
      log.warn({ node: name, cidr, err: (err as Error).message }, 'could not route pod CIDR');
    }
  };
  nodes.on({
    add: sync,
    update: (_, n) => sync(n),
    delete: (n) => {
      const cidr = routed.get(n.metadata?.name ?? '');
      if (cidr) unroutePodCidr(cidr);
      routed.delete(n.metadata?.name ?? '');
    },
  });
  void factory.start();
  return () => {
    factory.stop();
    for (const cidr of routed.values()) unroutePodCidr(cidr);
  };
}
