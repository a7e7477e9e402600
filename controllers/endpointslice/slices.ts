// The EndpointSlices a Service should have: one group per distinct port list (named target ports
// may resolve differently per pod), each group cut into slices of at most 100 endpoints.
import type { EndpointSlice, EndpointSliceEndpoint, EndpointSlicePort, Pod, Service } from '../../api/index.js';
import { hasServingAddress, isPodReady, podPorts, podRef } from '../endpoints/index.js';

export const maxEndpointsPerSlice = 100;
export const managedBy = 'endpointslice-controller.k8s.io';
export const serviceNameLabel = 'kubernetes.io/service-name';
export const managedByLabel = 'endpointslice.kubernetes.io/managed-by';

export interface DesiredSlice {
  ports: EndpointSlicePort[];
  endpoints: EndpointSliceEndpoint[];
}

export function portsKey(ports: EndpointSlicePort[] | undefined): string {
  return JSON.stringify(ports ?? []);
}

export function desiredSlices(svc: Service, pods: Pod[], max = maxEndpointsPerSlice): DesiredSlice[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  const groups = new Map<string, DesiredSlice>();
  const sorted = [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of sorted) {
    if (!hasServingAddress(pod)) continue;
    const resolved = podPorts(svc, pod);
    if (!resolved) continue;
    // Slices always carry the port name ("" when the Service port has none).
    const ports: EndpointSlicePort[] = resolved.map((p) => ({ ...p, name: p.name ?? '' }));
    const id = portsKey(ports);
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { ports, endpoints: [] }));
    const terminating = !!pod.metadata?.deletionTimestamp;
    const serving = publishNotReady || isPodReady(pod);
    g.endpoints.push({
      addresses: [pod.status?.podIP ?? ''],
      conditions: { ready: serving && !terminating, serving, terminating },
      ...(pod.spec?.hostname && pod.spec.subdomain === svc.metadata?.name ? { hostname: pod.spec.hostname } : {}),
      targetRef: podRef(pod),
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    });
  }
  const out: DesiredSlice[] = [];
  for (const [, g] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (let i = 0; i < g.endpoints.length; i += max) out.push({ ports: g.ports, endpoints: g.endpoints.slice(i, i + max) });
  }
  // Kubernetes keeps one empty placeholder slice for a Service that selects nothing.
  if (out.length === 0) out.push({ ports: [], endpoints: [] });
  return out;
}

/** Pairs desired slices with existing ones of the same ports; what is left over is created or deleted. */
export function planSlices(desired: DesiredSlice[], existing: EndpointSlice[]): {
  update: Array<{ slice: EndpointSlice; want: DesiredSlice }>;
  create: DesiredSlice[];
  remove: EndpointSlice[];
} {
  const pool = new Map<string, EndpointSlice[]>();
  for (const s of [...existing].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    const k = portsKey(s.ports);
    pool.set(k, [...(pool.get(k) ?? []), s]);
  }
  const update: Array<{ slice: EndpointSlice; want: DesiredSlice }> = [];
  const create: DesiredSlice[] = [];
  for (const want of desired) {
    const slice = pool.get(portsKey(want.ports))?.shift();
    if (slice) update.push({ slice, want });
    else create.push(want);
  }
  return { update, create, remove: [...pool.values()].flat() };
}
