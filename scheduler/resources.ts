// Resource arithmetic for scheduling: quantities as integers (milli-CPU, bytes, counts) and a
// pod's effective request, computed the way Kubernetes' resource helpers do.
import { parseQuantity, type Container, type Pod } from '../api/index.js';

/** Requested or allocatable amounts. cpu in milli-cores, memory in bytes; `other` for everything else. */
export interface Resources {
  cpu: number;
  memory: number;
  /** ephemeral-storage and extended resources (nvidia.com/gpu, …), only those present. */
  other: Map<string, number> | undefined;
}

export const CPU = 'cpu';
export const MEMORY = 'memory';
export const PODS = 'pods';

/** What scoring assumes for a container that requests nothing (kube-scheduler's non-zero defaults). */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

export function emptyResources(): Resources {
  return { cpu: 0, memory: 0, other: undefined };
}

/** The integer amount of one named resource: CPU rounded up to milli-cores, the rest rounded up to units. */
export function quantityValue(name: string, q: string | number | undefined): number {
  if (q === undefined) return 0;
  const v = parseQuantity(q) ?? 0;
  return name === CPU ? Math.ceil(v * 1000 - 1e-9) : Math.ceil(v - 1e-9);
}

export function resourcesFromList(list: Record<string, string | number> | undefined): Resources {
  const r = emptyResources();
  if (!list) return r;
  for (const [name, q] of Object.entries(list)) {
    const v = quantityValue(name, q);
    if (name === CPU) r.cpu = v;
    else if (name === MEMORY) r.memory = v;
    else if (name !== PODS) (r.other ??= new Map()).set(name, v);
  }
  return r;
}

export function addInto(into: Resources, r: Resources, sign = 1): void {
  into.cpu += sign * r.cpu;
  into.memory += sign * r.memory;
  if (r.other) {
    for (const [k, v] of r.other) {
      const m = (into.other ??= new Map());
      m.set(k, (m.get(k) ?? 0) + sign * v);
    }
  }
}

function maxInto(into: Resources, r: Resources): void {
  into.cpu = Math.max(into.cpu, r.cpu);
  into.memory = Math.max(into.memory, r.memory);
  if (r.other) {
    for (const [k, v] of r.other) {
      const m = (into.other ??= new Map());
      m.set(k, Math.max(m.get(k) ?? 0, v));
    }
  }
}

function cloneResources(r: Resources): Resources {
  return { cpu: r.cpu, memory: r.memory, other: r.other ? new Map(r.other) : undefined };
}

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = resourcesFromList(c.resources?.requests);
  if (nonZero) {
    const req = c.resources?.requests;
    if (req?.[CPU] === undefined) r.cpu = DEFAULT_MILLI_CPU;
    if (req?.[MEMORY] === undefined) r.memory = DEFAULT_MEMORY;
  }
  return r;
}

/**
 * A pod's effective request: max(sum of app containers plus sidecars, the largest init container
 * plus the sidecars started before it) plus the pod overhead. With `nonZero`, containers without
 * a cpu/memory request count as 100m / 200Mi, which is what the scoring plugins use.
 */
export function podRequests(pod: Pod, nonZero = false): Resources {
  const spec = pod.spec;
  const total = emptyResources();
  if (!spec) return total;
  for (const c of spec.containers) addInto(total, containerRequests(c, nonZero));
  const sidecars = emptyResources();
  const initMax = emptyResources();
  for (const c of spec.initContainers ?? []) {
    const r = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      // Sidecars run for the pod's whole life, alongside the app containers.
      addInto(total, r);
      addInto(sidecars, r);
    } else {
      const during = cloneResources(r);
      addInto(during, sidecars);
      maxInto(initMax, during);
    }
  }
  maxInto(total, initMax);
  if (spec.overhead) addInto(total, resourcesFromList(spec.overhead));
  return total;
}
