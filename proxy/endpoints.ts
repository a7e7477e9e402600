// Which endpoints of a Service port receive traffic, from the Service's EndpointSlices
// (kube-proxy's rules: ready endpoints; if none, the serving-but-terminating ones so a rolling
// update never drops connections; nothing else).
import type { EndpointSlice, Service, ServicePort } from '../api/index.js';

export const serviceNameLabel = 'kubernetes.io/service-name';

export interface Endpoint {
  ip: string;
  port: number;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export function protocolOf(port: { protocol?: string | undefined }): string {
  return port.protocol ?? 'TCP';
}

/** `ns/name:portName` — kube-proxy's ServicePortName, used in comments and chain hashes. */
export function servicePortName(svc: Service, port: ServicePort): string {
  return `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}:${port.name ?? ''}`;
}

/** Slices grouped by `namespace/service-name`. */
export function slicesByService(slices: readonly EndpointSlice[]): Map<string, EndpointSlice[]> {
  const out = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.[serviceNameLabel];
    if (!svc || s.addressType !== 'IPv4') continue;
    const key = `${s.metadata?.namespace ?? ''}/${svc}`;
    const list = out.get(key) ?? [];
    list.push(s);
    out.set(key, list);
  }
  return out;
}

function ipKey(ip: string): number {
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

/** Every endpoint of one Service port, deduplicated across slices, in a stable order. */
export function endpointsFor(port: ServicePort, slices: readonly EndpointSlice[]): Endpoint[] {
  const byAddr = new Map<string, Endpoint>();
  const protocol = protocolOf(port);
  for (const slice of slices) {
    const sp = slice.ports?.find((p) => (p.name ?? '') === (port.name ?? '') && protocolOf(p) === protocol);
    if (sp?.port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses[0];
      if (!ip) continue;
      const c = ep.conditions ?? {};
      // Unset `ready` means ready; unset `serving` follows `ready` (discovery/v1 semantics).
      const ready = c.ready !== false;
      const e: Endpoint = { ip, port: sp.port, ready, serving: c.serving ?? ready, terminating: c.terminating === true };
      const key = `${ip}:${sp.port}`;
      if (!byAddr.has(key) || e.ready) byAddr.set(key, e);
    }
  }
  return [...byAddr.values()].sort((a, b) => ipKey(a.ip) - ipKey(b.ip) || a.port - b.port);
}

/** The endpoints traffic goes to: ready ones, else serving terminating ones. */
export function usableEndpoints(eps: readonly Endpoint[]): Endpoint[] {
  const ready = eps.filter((e) => e.ready && !e.terminating);
  return ready.length > 0 ? ready : eps.filter((e) => e.serving && e.terminating);
}

/** Services the proxy programs: a ClusterIP (not headless, not ExternalName) and ports. */
export function hasClusterIP(svc: Service): boolean {
  const ip = svc.spec?.clusterIP;
  return svc.spec?.type !== 'ExternalName' && !!ip && ip !== 'None' && (svc.spec?.ports?.length ?? 0) > 0;
}

export function hasNodePorts(svc: Service): boolean {
  return svc.spec?.type === 'NodePort' || svc.spec?.type === 'LoadBalancer';
}
