// Per-kind behaviour on top of the generic registry: what a create resets, how a delete
// proceeds, which objects expire. Everything not listed here behaves generically.
import type { KubeObject, ResourceType } from '../../api/resource.js';

export type DeletePlan = { kind: 'remove' } | { kind: 'mark'; graceSeconds: number };

export interface Strategy {
  /** Status a new object starts with (status is owned by controllers, not by creators). */
  initialStatus?(obj: KubeObject): unknown;
  /** Seconds after which etcd drops the object (Events). */
  ttlSeconds?: number;
  /** Called when a delete arrives for an object with no finalizers. */
  planDelete?(obj: KubeObject, graceSeconds: number | undefined): DeletePlan;
}

type Quantities = Record<string, string | number> | undefined;
interface ContainerLike {
  resources?: { requests?: Quantities; limits?: Quantities };
}

/** The pod's QoS class, as the kubelet and `kubectl describe` report it. */
export function qosClass(spec: { containers?: ContainerLike[]; initContainers?: ContainerLike[] }): string {
  const all = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      const want = req[r] ?? lim[r];
      if (lim[r] === undefined || String(want) !== String(lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

const podStrategy: Strategy = {
  initialStatus: (obj) => ({ phase: 'Pending', qosClass: qosClass((obj.spec ?? {}) as Parameters<typeof qosClass>[0]) }),
  // A pod on a node is only marked: its kubelet stops the containers and then removes it.
  planDelete(obj, grace) {
    const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const status = (obj.status ?? {}) as { phase?: string };
    const seconds = grace ?? spec.terminationGracePeriodSeconds ?? 30;
    const finished = status.phase === 'Succeeded' || status.phase === 'Failed';
    if (!spec.nodeName || seconds <= 0 || finished) return { kind: 'remove' };
    return { kind: 'mark', graceSeconds: seconds };
  },
};

const strategies: Record<string, Strategy> = {
  '/pods': podStrategy,
  'apps/deployments': { initialStatus: () => ({}) },
  '/replicationcontrollers': { initialStatus: () => ({ replicas: 0 }) },
  'apps/replicasets': { initialStatus: () => ({ replicas: 0 }) },
  'apps/daemonsets': { initialStatus: () => ({ currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 }) },
  'apps/statefulsets': { initialStatus: () => ({ replicas: 0, availableReplicas: 0 }) },
  'batch/jobs': { initialStatus: () => ({}) },
  'batch/cronjobs': { initialStatus: () => ({}) },
  '/services': { initialStatus: () => ({ loadBalancer: {} }) },
  '/namespaces': {
    initialStatus: () => ({ phase: 'Active' }),
    // The namespace finalizer empties it first (namespace-lifecycle.ts).
    planDelete: () => ({ kind: 'mark', graceSeconds: 0 }),
  },
  '/events': { ttlSeconds: 3600 },
  'policy/poddisruptionbudgets': {
    initialStatus: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  },
};

export function strategyFor(rt: Pick<ResourceType, 'group' | 'plural'>): Strategy {
  return strategies[`${rt.group}/${rt.plural}`] ?? {};
}
