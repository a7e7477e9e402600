// type: LoadBalancer without a cloud: every proxy writes the same thing — the sorted InternalIPs
// of all Ready nodes — into status.loadBalancer.ingress (as k3s's servicelb does), and only when
// the stored value differs. Several proxies therefore agree and converge instead of fighting.
import type { Node, Service } from '../api/index.js';
import { Controller, done, keyOf, splitKey, type Informer, type Logger, type Outcome, type Clientset } from '../client/index.js';

export function readyNodeIPs(nodes: readonly Node[]): string[] {
  const ips = new Set<string>();
  for (const n of nodes) {
    const ready = n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (!ready || n.spec?.unschedulable === true) continue;
    const internal = n.status?.addresses?.find((a) => a.type === 'InternalIP');
    if (internal) ips.add(internal.address);
  }
  return [...ips].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

function wantsIngress(svc: Service): boolean {
  return svc.spec?.type === 'LoadBalancer' && !svc.spec.loadBalancerClass;
}

export function loadBalancerController(clientset: Clientset, services: Informer<Service>, nodes: Informer<Node>, log: Logger): Controller {
  const reconcile = async (key: string): Promise<Outcome> => {
    const svc = services.store.get(key);
    if (!svc || !wantsIngress(svc)) return done;
    const want = readyNodeIPs(nodes.store.list()).map((ip) => ({ ip, ipMode: 'VIP' }));
    const have = (svc.status?.loadBalancer?.ingress ?? []).map((i) => ({ ip: i.ip, ipMode: i.ipMode }));
    if (JSON.stringify(have) === JSON.stringify(want)) return done;
    const { namespace, name } = splitKey(key);
    await clientset.services.patchStatus(namespace, name, { status: { loadBalancer: { ingress: want } } });
    log.info({ service: key, ingress: want.map((i) => i.ip) }, 'set load balancer ingress');
    return done;
  };
  const c = new Controller({ name: 'service-lb', reconcile, workers: 1, log });
  c.watch(services);
  // Any node change may change the address set: revisit every LoadBalancer Service.
  c.watch(nodes, () => services.store.list().filter(wantsIngress).map(keyOf));
  return c;
}
