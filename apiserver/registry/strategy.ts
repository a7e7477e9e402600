// Per-kind behaviour on top of the generic registry: what a create resets, which side keys a
// write allocates, how a delete proceeds, which objects expire. This table is the one place
// that names kinds; everything not listed here behaves generically.
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { evictPod } from './eviction.js';
import type { Registry } from './rest.js';
import type { ApiError } from '../errors.js';

export type DeletePlan = { kind: 'remove' } | { kind: 'mark'; graceSeconds: number };

/** Side keys (a Service's ClusterIP and NodePorts) claimed in the same etcd transaction as the object. */
export interface Allocator {
  held(obj: KubeObject): string[];
  /** Fills in what the object lacks (old: the stored object on update) and names the keys to claim. */
  assign(obj: KubeObject, old: KubeObject | undefined): { claim: string[] };
  /** The 422 for a key the user asked for that another object holds. */
  takenError(obj: KubeObject, key: string): ApiError;
}

/** A request to a subresource a kind serves itself (pods/eviction), with its body already decoded. */
export interface SubresourceRequest {
  method: string;
  namespace: string | undefined;
  name: string;
  body: unknown;
  dryRun: boolean;
}

export interface SubresourceResult {
  status: number;
  body: unknown;
}

export type SubresourceHandler = (registry: Registry, rt: ResourceType, req: SubresourceRequest) => Promise<SubresourceResult>;

export interface Strategy {
  /** Status a new object starts with (status is owned by controllers, not by creators). */
  initialStatus?(obj: KubeObject): unknown;
  /** Seconds after which etcd drops the object (Events). */
  ttlSeconds?: number;
  /** Whether metadata.generation is kept; default: kinds with a status subresource. */
  tracksGeneration?: boolean;
  allocate?: Allocator;
  /** Called when a delete arrives for an object with no finalizers. */
  planDelete?(obj: KubeObject, graceSeconds: number | undefined): DeletePlan;
  /** Status of an object a delete has only marked (a Namespace turns Terminating). */
  markedStatus?(obj: KubeObject): unknown;
  /** Whether an object whose finalizers are all gone must still wait (a Namespace's spec.finalizers). */
  holdsDeletion?(obj: KubeObject): boolean;
  /** Subresources with behaviour of their own, by name. */
  subresources?: Record<string, SubresourceHandler>;
}

export type StrategyTable = (rt: Pick<ResourceType, 'group' | 'plural'>) => Strategy;

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
  subresources: { eviction: evictPod },
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
    tracksGeneration: false,
    // The namespace finalizer empties it first (namespace-finalizer.ts).
    planDelete: () => ({ kind: 'mark', graceSeconds: 0 }),
    markedStatus: (obj) => ({ ...(obj.status as object), phase: 'Terminating' }),
    holdsDeletion: (obj) => ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers ?? []).length > 0,
  },
  '/nodes': { tracksGeneration: false },
  '/events': { ttlSeconds: 3600 },
  'policy/poddisruptionbudgets': {
    initialStatus: () => ({ disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 }),
  },
};

/** The table, with the allocator that hands Services their addresses. */
export function strategyTable(deps: { serviceAllocator?: Allocator } = {}): StrategyTable {
  const table: Record<string, Strategy> = { ...strategies };
  if (deps.serviceAllocator) table['/services'] = { ...table['/services'], allocate: deps.serviceAllocator };
  return (rt) => table[`${rt.group}/${rt.plural}`] ?? {};
}
