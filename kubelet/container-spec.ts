// Pod spec → CRI configs: the sandbox (hostname, DNS, ports, labels, log directory) and each
// container (command, args, env, mounts, resources as Linux cgroup values).
import { join } from 'node:path';
import type { Container, Pod } from '../api/index.js';
import { parseQuantity } from '../api/validation.js';
import type { ContainerConfig, Input, LinuxContainerResources, PodSandboxConfig } from '../proto/index.js';
import { labels } from './runtime.js';

export interface DnsSettings {
  clusterDNS: string[];
  clusterDomain: string;
}

export function podLabels(pod: Pod): Record<string, string> {
  const m = pod.metadata ?? {};
  return { [labels.podName]: m.name ?? '', [labels.podNamespace]: m.namespace ?? '', [labels.podUid]: m.uid ?? '' };
}

export function logDirectory(root: string, pod: Pod): string {
  const m = pod.metadata ?? {};
  return join(root, 'logs', `${m.namespace}_${m.name}_${m.uid}`);
}

function dnsConfig(pod: Pod, dns: DnsSettings): Input<PodSandboxConfig>['dnsConfig'] {
  const policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  const ns = pod.metadata?.namespace ?? 'default';
  const custom = pod.spec?.dnsConfig;
  const extra = { servers: custom?.nameservers ?? [], searches: custom?.searches ?? [], options: (custom?.options ?? []).map((o) => (o.value !== undefined ? `${o.name}:${o.value}` : (o.name ?? ''))) };
  if (policy === 'None') return extra;
  // Host-network pods keep the host's resolver under ClusterFirst, as in Kubernetes.
  if (policy === 'Default' || (policy === 'ClusterFirst' && pod.spec?.hostNetwork) || dns.clusterDNS.length === 0) {
    return extra.servers.length || extra.searches.length || extra.options.length ? extra : null;
  }
  const d = dns.clusterDomain;
  return {
    servers: [...dns.clusterDNS, ...extra.servers],
    searches: [`${ns}.svc.${d}`, `svc.${d}`, d, ...extra.searches],
    options: extra.options.length ? extra.options : ['ndots:5'],
  };
}

export function sandboxConfig(pod: Pod, root: string, dns: DnsSettings, attempt: number): Input<PodSandboxConfig> {
  const m = pod.metadata ?? {};
  const spec = pod.spec;
  const hostname = spec?.hostname ?? (m.name ?? '').slice(0, 63);
  const ports = [];
  for (const c of spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (!p.hostPort) continue;
      ports.push({ protocol: (p.protocol ?? 'TCP') as 'TCP' | 'UDP' | 'SCTP', containerPort: p.containerPort, hostPort: p.hostPort, hostIp: p.hostIP ?? '' });
    }
  }
  return {
    metadata: { name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', attempt },
    hostname,
    logDirectory: logDirectory(root, pod),
    dnsConfig: dnsConfig(pod, dns),
    portMappings: ports,
    labels: podLabels(pod),
    annotations: { ...(m.annotations ?? {}) },
    linux: {
      securityContext: {
        namespaceOptions: { network: spec?.hostNetwork ? 'NODE' : 'POD', pid: spec?.hostPID ? 'NODE' : spec?.shareProcessNamespace ? 'POD' : 'CONTAINER', ipc: spec?.hostIPC ? 'NODE' : 'POD' },
      },
    },
  };
}

const cpuPeriod = 100_000;

/** requests/limits → cgroup values, as the kubelet computes them (shares from requests, quota from limits). */
export function linuxResources(c: Container): Input<LinuxContainerResources> {
  const req = c.resources?.requests ?? {};
  const lim = c.resources?.limits ?? {};
  const cpuReq = req.cpu !== undefined ? parseQuantity(req.cpu) : lim.cpu !== undefined ? parseQuantity(lim.cpu) : undefined;
  const cpuLim = lim.cpu !== undefined ? parseQuantity(lim.cpu) : undefined;
  const memLim = lim.memory !== undefined ? parseQuantity(lim.memory) : undefined;
  const out: Input<LinuxContainerResources> = { cpuShares: cpuReq === undefined ? 2 : Math.max(2, Math.floor(cpuReq * 1024)) };
  if (cpuLim !== undefined) {
    out.cpuPeriod = cpuPeriod;
    out.cpuQuota = Math.max(1000, Math.floor(cpuLim * cpuPeriod));
  }
  if (memLim !== undefined) out.memoryLimitInBytes = Math.floor(memLim);
  return out;
}

export function containerLogPath(name: string, attempt: number): string {
  return join(name, `${attempt}.log`);
}

export function containerConfig(
  pod: Pod,
  c: Container,
  type: 'init' | 'regular',
  attempt: number,
  env: Array<{ key: string; value: string }>,
  mounts: Array<{ containerPath: string; hostPath: string; readonly: boolean }>,
  expandVars: (s: string) => string,
): Input<ContainerConfig> {
  const sc = c.securityContext;
  return {
    metadata: { name: c.name, attempt },
    image: { image: c.image ?? '', userSpecifiedImage: c.image ?? '' },
    command: (c.command ?? []).map(expandVars),
    args: (c.args ?? []).map(expandVars),
    workingDir: c.workingDir ?? '',
    envs: env,
    mounts,
    labels: { ...podLabels(pod), [labels.containerName]: c.name, [labels.containerType]: type },
    annotations: {},
    logPath: containerLogPath(c.name, attempt),
    stdin: c.stdin ?? false,
    stdinOnce: c.stdinOnce ?? false,
    tty: c.tty ?? false,
    linux: {
      resources: linuxResources(c),
      securityContext: {
        privileged: sc?.privileged ?? false,
        readonlyRootfs: sc?.readOnlyRootFilesystem ?? false,
        ...(sc?.runAsUser !== undefined ? { runAsUser: { value: sc.runAsUser } } : pod.spec?.securityContext?.runAsUser !== undefined ? { runAsUser: { value: pod.spec.securityContext.runAsUser } } : {}),
        ...(sc?.runAsGroup !== undefined ? { runAsGroup: { value: sc.runAsGroup } } : {}),
        ...(sc?.capabilities ? { capabilities: { addCapabilities: sc.capabilities.add ?? [], dropCapabilities: sc.capabilities.drop ?? [] } } : {}),
        noNewPrivs: sc?.allowPrivilegeEscalation === false,
      },
    },
  };
}
