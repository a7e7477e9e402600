// What the endpoints and endpointslice controllers both need to know about a Service's pods:
// which pods a Service selects, whether a pod is ready, and which port a target port is on it.
import type { Pod, Service, ServicePort } from '../../api/index.js';
import { selectorFromSet } from '../../api/labels.js';
import type { Informer } from '../../client/index.js';

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Pods that can serve at all: an IP assigned, not finished. */
export function hasServingAddress(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.status?.podIP && phase !== 'Succeeded' && phase !== 'Failed';
}

/** The `kubernetes` Service's endpoints are the apiserver's own business. */
export function isApiserverService(svc: Service): boolean {
  return svc.metadata?.namespace === 'default' && svc.metadata?.name === 'kubernetes';
}

/** The pods a Service with a selector selects (none for a Service without one). */
export function selectedPods(svc: Service, pods: Informer<Pod>): Pod[] {
  const sel = svc.spec?.selector;
  if (!sel || Object.keys(sel).length === 0) return [];
  const match = selectorFromSet(sel);
  return pods.store.byIndex('namespace', svc.metadata?.namespace ?? '').filter((p) => match.matches(p.metadata?.labels));
}

/** Services in the pod's namespace whose selector matches the pod's labels. */
export function servicesForPod(pod: Pod, services: Informer<Service>): string[] {
  const ns = pod.metadata?.namespace ?? '';
  const out: string[] = [];
  for (const svc of services.store.byIndex('namespace', ns)) {
    const sel = svc.spec?.selector;
    if (sel && Object.keys(sel).length > 0 && selectorFromSet(sel).matches(pod.metadata?.labels)) out.push(`${ns}/${svc.metadata?.name ?? ''}`);
  }
  return out;
}

/**
 * The port number a Service port's targetPort means on this pod: a number as is (the port
 * itself when unset), a name looked up among the pod's container ports of the same protocol.
 */
export function resolveTargetPort(pod: Pod, port: ServicePort): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = port.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    for (const cp of c.ports ?? []) if (cp.name === target && (cp.protocol ?? 'TCP') === protocol) return cp.containerPort;
  }
  return undefined;
}

export interface ResolvedPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

/**
 * The Service's ports as this pod serves them, sorted; undefined when the Service has ports and
 * the pod serves none of them (such a pod contributes nothing).
 */
export function podPorts(svc: Service, pod: Pod): ResolvedPort[] | undefined {
  const ports: ResolvedPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const port = resolveTargetPort(pod, sp);
    if (port !== undefined) ports.push({ ...(sp.name ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  if ((svc.spec?.ports ?? []).length > 0 && ports.length === 0) return undefined;
  return ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port);
}

export function podRef(pod: Pod): { kind: string; namespace?: string; name?: string; uid?: string } {
  return { kind: 'Pod', namespace: pod.metadata?.namespace, name: pod.metadata?.name, uid: pod.metadata?.uid };
}

/** Deep equality for plain JSON values (the shapes we compare are small). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
