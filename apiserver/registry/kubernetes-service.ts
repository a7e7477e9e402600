// The `kubernetes` Service in `default`: the first ClusterIP, with the apiserver as its endpoint,
// so in-cluster clients find the API the way they do on Kubernetes.
import { findResource } from '../../api/registry.js';
import type { KubeObject } from '../../api/resource.js';
import type { Logger } from '../log.js';
import type { Registry } from './rest.js';

export async function ensureKubernetesService(registry: Registry, clusterIp: string, host: string, port: number, log: Logger): Promise<void> {
  const services = findResource('', 'v1', 'services')!;
  const endpoints = findResource('', 'v1', 'endpoints')!;
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  const svc = {
    metadata: { name: 'kubernetes', labels },
    spec: { type: 'ClusterIP', clusterIP: clusterIp, ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: port }], sessionAffinity: 'None' },
  };
  // A wildcard bind address is not an endpoint; loopback is what this machine reaches.
  const ip = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const eps = {
    metadata: { name: 'kubernetes', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip }], ports: [{ name: 'https', port, protocol: 'TCP' }] }],
  };
  await upsert(registry, services, svc, log, (cur) => ({ ...cur, spec: { ...(cur.spec as object), ports: svc.spec.ports } }));
  await upsert(registry, endpoints, eps, log, (cur) => ({ ...cur, subsets: eps.subsets }));
}

async function upsert(
  registry: Registry,
  rt: NonNullable<ReturnType<typeof findResource>>,
  desired: { metadata: { name: string } },
  log: Logger,
  refresh: (cur: KubeObject) => KubeObject,
): Promise<void> {
  try {
    await registry.create(rt, 'default', desired);
    log.info({ kind: rt.kind, name: desired.metadata.name }, 'created the kubernetes service object');
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
    // Another port after a restart: point the existing objects at this apiserver.
    const cur = await registry.get(rt, 'default', desired.metadata.name);
    await registry.update(rt, 'default', desired.metadata.name, refresh(cur));
  }
}
