// The Endpoints subsets a Service should have, from its selected pods. Pods whose named target
// ports resolve to different numbers land in different subsets (one subset per distinct port
// list), as the upstream endpoints controller packs them.
import type { EndpointAddress, EndpointPort, EndpointSubset, Pod, Service } from '../../api/index.js';
import { hasServingAddress, isPodReady, podPorts, podRef } from './pods.js';

export function desiredSubsets(svc: Service, pods: Pod[]): EndpointSubset[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, { ports: EndpointPort[]; ready: EndpointAddress[]; notReady: EndpointAddress[] }>();
  for (const pod of pods) {
    if (!hasServingAddress(pod) || pod.metadata?.deletionTimestamp) continue;
    const ports: EndpointPort[] | undefined = podPorts(svc, pod);
    if (!ports) continue;
    const id = JSON.stringify(ports);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { ports, ready: [], notReady: [] }));
    const addr: EndpointAddress = { ip: pod.status?.podIP ?? '', ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}), targetRef: podRef(pod) };
    if (pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name) addr.hostname = pod.spec.hostname;
    (publishNotReady || isPodReady(pod) ? g.ready : g.notReady).push(addr);
  }
  const byIp = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip) || (a.targetRef?.name ?? '').localeCompare(b.targetRef?.name ?? '');
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, g]) => ({
      ...(g.ready.length ? { addresses: g.ready.sort(byIp) } : {}),
      ...(g.notReady.length ? { notReadyAddresses: g.notReady.sort(byIp) } : {}),
      ...(g.ports.length ? { ports: g.ports } : {}),
    }));
}
