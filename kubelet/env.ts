// A container's environment as the kubelet builds it: envFrom, then env (values, configMap and
// secret keys, the downward API, resource fields) with $(VAR) expansion, then the Service
// variables of the pod's namespace (plus the `kubernetes` Service) for names not already set.
import type { ConfigMap, Container, EnvVar, Pod, Secret, Service } from '../api/index.js';
import { parseQuantity } from '../api/validation.js';

/** Where env and volume sources come from (the API, through a small per-sync cache). */
export interface SourceLookup {
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  services(namespace: string): Promise<Service[]>;
}

/** A container that cannot be configured: it waits with reason CreateContainerConfigError. */
export class ConfigError extends Error {}

export interface PodAddresses {
  podIP: string;
  hostIP: string;
}

export interface NodeAllocatable {
  cpu: number;
  memory: number;
  ephemeralStorage: number;
}

/** Expands $(NAME) from `vars`; `$$` escapes; unknown references stay as written (Kubernetes' expansion). */
export function expand(input: string, vars: Map<string, string>): string {
  return input.replace(/\$\$|\$\(([A-Za-z_.\-][A-Za-z0-9_.\-]*)\)/g, (m, name: string | undefined) => {
    if (m === '$$') return '$';
    const v = name === undefined ? undefined : vars.get(name);
    return v ?? m;
  });
}

function secretValue(secret: Secret, key: string): string | undefined {
  const b64 = secret.data?.[key];
  if (b64 !== undefined) return Buffer.from(b64, 'base64').toString('utf8');
  return secret.stringData?.[key];
}

/** Formats a label or annotation map as the downward API does: key="value" lines, sorted. */
export function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m?.[k] ?? '')}`)
    .join('\n');
}

/** metadata.*, spec.*, status.* as the downward API exposes them. */
export function fieldValue(pod: Pod, path: string, addr: PodAddresses): string {
  const m = pod.metadata ?? {};
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub) return (sub[1] === 'labels' ? m.labels : m.annotations)?.[sub[2]!] ?? '';
  switch (path) {
    case 'metadata.name': return m.name ?? '';
    case 'metadata.namespace': return m.namespace ?? '';
    case 'metadata.uid': return m.uid ?? '';
    case 'metadata.labels': return formatMap(m.labels);
    case 'metadata.annotations': return formatMap(m.annotations);
    case 'spec.nodeName': return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName': return pod.spec?.serviceAccountName ?? '';
    case 'status.podIP': case 'status.podIPs': return addr.podIP;
    case 'status.hostIP': case 'status.hostIPs': return addr.hostIP;
    default: throw new ConfigError(`unsupported fieldRef path ${path}`);
  }
}

/** limits.cpu / requests.memory / … of a container, in units of `divisor` rounded up; node allocatable when no limit. */
export function resourceValue(container: Container, resource: string, divisor: string | number | undefined, node: NodeAllocatable): string {
  const [kind, name] = resource.split('.', 2) as [string, string | undefined];
  const res = container.resources ?? {};
  const from = kind === 'limits' ? res.limits : kind === 'requests' ? res.requests : undefined;
  if (!from || !name) throw new ConfigError(`unsupported resource ${resource}`);
  let value = from[name] !== undefined ? parseQuantity(from[name] as string) : undefined;
  if (value === undefined) {
    // Kubernetes reports node allocatable for an unset limit, and 0 for an unset request.
    const alloc = name === 'cpu' ? node.cpu : name === 'memory' ? node.memory : name === 'ephemeral-storage' ? node.ephemeralStorage : 0;
    value = kind === 'limits' ? alloc : 0;
  }
  const div = divisor === undefined ? 1 : (parseQuantity(divisor) ?? 1);
  return String(Math.ceil(value / (div || 1)));
}

/** Kubernetes' Service environment: FOO_SERVICE_HOST, FOO_SERVICE_PORT, FOO_PORT_80_TCP, … */
export function serviceEnv(services: Service[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const svc of services) {
    const ip = svc.spec?.clusterIP;
    if (!ip || ip === 'None') continue;
    const ports = svc.spec?.ports ?? [];
    const first = ports[0];
    if (!first) continue;
    const name = (svc.metadata?.name ?? '').toUpperCase().replace(/-/g, '_');
    out.push([`${name}_SERVICE_HOST`, ip], [`${name}_SERVICE_PORT`, String(first.port)]);
    for (const p of ports) if (p.name) out.push([`${name}_SERVICE_PORT_${p.name.toUpperCase().replace(/-/g, '_')}`, String(p.port)]);
    const proto = (first.protocol ?? 'TCP').toLowerCase();
    out.push([`${name}_PORT`, `${proto}://${ip}:${first.port}`]);
    for (const p of ports) {
      const pr = p.protocol ?? 'TCP';
      const prefix = `${name}_PORT_${p.port}_${pr}`;
      out.push([prefix, `${pr.toLowerCase()}://${ip}:${p.port}`], [`${prefix}_PROTO`, pr.toLowerCase()], [`${prefix}_PORT`, String(p.port)], [`${prefix}_ADDR`, ip]);
    }
  }
  return out;
}

async function valueOf(env: EnvVar, pod: Pod, container: Container, ctx: EnvContext): Promise<string | undefined> {
  const ns = pod.metadata?.namespace ?? 'default';
  const from = env.valueFrom;
  if (!from) return env.value ?? '';
  if (from.fieldRef) return fieldValue(pod, from.fieldRef.fieldPath, ctx.addr);
  if (from.resourceFieldRef) {
    const target = from.resourceFieldRef.containerName
      ? [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].find((c) => c.name === from.resourceFieldRef?.containerName)
      : container;
    if (!target) throw new ConfigError(`resourceFieldRef: no container ${from.resourceFieldRef.containerName}`);
    return resourceValue(target, from.resourceFieldRef.resource, from.resourceFieldRef.divisor, ctx.node);
  }
  if (from.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const cm = await ctx.lookup.configMap(ns, ref.name ?? '');
    const v = cm?.data?.[ref.key] ?? (cm?.binaryData?.[ref.key] !== undefined ? Buffer.from(cm.binaryData[ref.key]!, 'base64').toString('utf8') : undefined);
    if (v !== undefined) return v;
    if (ref.optional) return undefined;
    throw new ConfigError(cm ? `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` : `configmap "${ref.name}" not found`);
  }
  if (from.secretKeyRef) {
    const ref = from.secretKeyRef;
    const secret = await ctx.lookup.secret(ns, ref.name ?? '');
    const v = secret ? secretValue(secret, ref.key) : undefined;
    if (v !== undefined) return v;
    if (ref.optional) return undefined;
    throw new ConfigError(secret ? `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` : `secret "${ref.name}" not found`);
  }
  return '';
}

export interface EnvContext {
  lookup: SourceLookup;
  addr: PodAddresses;
  node: NodeAllocatable;
}

/** The container's environment, in Kubernetes' order and precedence. */
export async function buildEnv(pod: Pod, container: Container, ctx: EnvContext): Promise<Array<{ key: string; value: string }>> {
  const ns = pod.metadata?.namespace ?? 'default';
  const vars = new Map<string, string>();
  for (const src of container.envFrom ?? []) {
    const prefix = src.prefix ?? '';
    if (src.configMapRef) {
      const cm = await ctx.lookup.configMap(ns, src.configMapRef.name ?? '');
      if (!cm && !src.configMapRef.optional) throw new ConfigError(`configmap "${src.configMapRef.name}" not found`);
      for (const [k, v] of Object.entries(cm?.data ?? {})) vars.set(prefix + k, v);
    }
    if (src.secretRef) {
      const s = await ctx.lookup.secret(ns, src.secretRef.name ?? '');
      if (!s && !src.secretRef.optional) throw new ConfigError(`secret "${src.secretRef.name}" not found`);
      for (const k of Object.keys({ ...(s?.data ?? {}), ...(s?.stringData ?? {}) })) vars.set(prefix + k, s ? (secretValue(s, k) ?? '') : '');
    }
  }
  // Service variables are visible to $(VAR) expansion but never override the pod's own.
  const services = pod.spec?.enableServiceLinks === false ? [] : await ctx.lookup.services(ns);
  const kubernetes = ns === 'default' ? [] : (await ctx.lookup.services('default')).filter((s) => s.metadata?.name === 'kubernetes');
  const svcVars = new Map(serviceEnv([...kubernetes, ...services]));
  for (const env of container.env ?? []) {
    const v = await valueOf(env, pod, container, ctx);
    if (v === undefined) continue;
    vars.set(env.name, env.valueFrom ? v : expand(v, new Map([...svcVars, ...vars])));
  }
  for (const [k, v] of svcVars) if (!vars.has(k)) vars.set(k, v);
  return [...vars].map(([key, value]) => ({ key, value }));
}
