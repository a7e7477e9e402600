// The `kube-dns` Service every pod's resolv.conf points at: kube-system/kube-dns on the fixed
// ClusterIP 10.96.0.10, ports 53/UDP (dns) and 53/TCP (dns-tcp), without a selector, plus an
// EndpointSlice (managed by skiff-dns, so the endpointslice controller leaves it alone) and an
// Endpoints object naming the address the DNS server listens on, so the proxy DNATs the VIP to
// it. Idempotent: `skiff dns` and `skiff up` can both call it on every start.
import type { EndpointSlice, Endpoints, Service } from '../api/index.js';
import { isAlreadyExists, isNotFound, type Clientset } from '../client/index.js';

export const kubeDnsIP = '10.96.0.10';
export const managedBy = 'skiff-dns';

export interface KubeDnsTarget {
  /** Where the DNS server listens (must be reachable from the nodes, not 127.0.0.1 for pods). */
  ip: string;
  port: number;
  clusterIP?: string;
}

async function upsert<T extends { metadata?: { resourceVersion?: string | undefined } }>(
  get: () => Promise<T>,
  create: () => Promise<T>,
  update: (rv: string | undefined) => Promise<T>,
): Promise<T> {
  let existing: T | undefined;
  try {
    existing = await get();
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  if (!existing) {
    try {
      return await create();
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      existing = await get();
    }
  }
  return update(existing.metadata?.resourceVersion);
}

export async function ensureKubeDnsService(cs: Clientset, t: KubeDnsTarget): Promise<Service> {
  const ns = 'kube-system';
  const clusterIP = t.clusterIP ?? kubeDnsIP;
  const labels = { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' };
  const ports = [
    { name: 'dns', port: 53, protocol: 'UDP', targetPort: t.port },
    { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: t.port },
  ];
  const svc = await upsert<Service>(
    () => cs.services.get(ns, 'kube-dns'),
    () => cs.services.create(ns, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'kube-dns', namespace: ns, labels }, spec: { clusterIP, ports } }),
    // A Service's clusterIP is immutable: keep whatever it got, refresh the ports.
    () => cs.services.patch(ns, 'kube-dns', { metadata: { labels }, spec: { ports } }, 'merge'),
  );
  const slice = (rv?: string): EndpointSlice => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: {
      name: 'kube-dns-skiff', namespace: ns,
      labels: { 'kubernetes.io/service-name': 'kube-dns', 'endpointslice.kubernetes.io/managed-by': managedBy },
      ...(rv ? { resourceVersion: rv } : {}),
    },
    endpoints: [{ addresses: [t.ip], conditions: { ready: true, serving: true, terminating: false } }],
    ports: [{ name: 'dns', port: t.port, protocol: 'UDP' }, { name: 'dns-tcp', port: t.port, protocol: 'TCP' }],
  });
  await upsert<EndpointSlice>(() => cs.endpointSlices.get(ns, 'kube-dns-skiff'), () => cs.endpointSlices.create(ns, slice()), (rv) => cs.endpointSlices.update(slice(rv)));
  const endpoints = (rv?: string): Endpoints => ({
    apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kube-dns', namespace: ns, labels, ...(rv ? { resourceVersion: rv } : {}) },
    subsets: [{ addresses: [{ ip: t.ip }], ports: [{ name: 'dns', port: t.port, protocol: 'UDP' }, { name: 'dns-tcp', port: t.port, protocol: 'TCP' }] }],
  });
  await upsert<Endpoints>(() => cs.endpoints.get(ns, 'kube-dns'), () => cs.endpoints.create(ns, endpoints()), (rv) => cs.endpoints.update(endpoints(rv)));
  return svc;
}
