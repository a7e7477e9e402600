// Mutating admission for new pods, as kube-apiserver's Priority and DefaultTolerationSeconds
// plugins do: resolve priorityClassName to spec.priority, and let pods ride out a node that is
// not ready or unreachable for 300 s before they are evicted.
import { findResource } from '../../api/registry.js';
import type { FieldError, KubeObject } from '../../api/resource.js';
import { invalid, ApiError } from '../errors.js';
import type { AdmissionPlugin, AdmissionRequest, ObjectReader } from './chain.js';

interface PodSpecLike {
  priorityClassName?: string;
  priority?: number;
  preemptionPolicy?: string;
  tolerations?: Array<{ key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number }>;
}

interface PriorityClassLike {
  metadata: { name?: string };
  value: number;
  globalDefault?: boolean;
  preemptionPolicy?: string;
}

/** How long a pod stays on a NotReady/unreachable node before eviction (the plugin's default). */
export const defaultTolerationSeconds = 300;
const notReadyTaint = 'node.kubernetes.io/not-ready';
const unreachableTaint = 'node.kubernetes.io/unreachable';

const priorityClasses = () => findResource('scheduling.k8s.io', 'v1', 'priorityclasses')!;

const isPodCreate = (a: AdmissionRequest): boolean => a.operation === 'CREATE' && !a.subresource && a.rt.group === '' && a.rt.plural === 'pods' && !!a.object;

/** Priority: spec.priority from the PriorityClass; 422 naming the field when it cannot be admitted. */
export function priorityPlugin(registry: ObjectReader): AdmissionPlugin {
  return {
    name: 'Priority',
    async mutate(a) {
      if (!isPodCreate(a)) return;
      const pod = a.object!;
      const errors = await resolvePriority(registry, (pod.spec ??= {}) as PodSpecLike);
      if (errors.length > 0) throw invalid({ group: '', kind: 'Pod' }, pod.metadata.name ?? '', errors);
    },
  };
}

/** DefaultTolerationSeconds: new pods tolerate a not-ready or unreachable node for 300 s. */
export const defaultTolerationSecondsPlugin: AdmissionPlugin = {
  name: 'DefaultTolerationSeconds',
  mutate(a) {
    if (isPodCreate(a)) addDefaultTolerations((a.object!.spec ??= {}) as PodSpecLike);
  },
};

async function resolvePriority(registry: ObjectReader, spec: PodSpecLike): Promise<FieldError[]> {
  let pc: PriorityClassLike | undefined;
  if (spec.priorityClassName) {
    pc = await findClass(registry, spec.priorityClassName);
    if (!pc) {
      return [{ field: 'spec.priorityClassName', reason: 'FieldValueNotFound', message: `Not found: "${spec.priorityClassName}": no PriorityClass with this name was found` }];
    }
  } else {
    pc = await globalDefault(registry);
    if (pc?.metadata.name) spec.priorityClassName = pc.metadata.name;
  }
  const value = pc?.value ?? 0;
  if (spec.priority !== undefined && spec.priority !== value) {
    return [{
      field: 'spec.priority',
      reason: 'FieldValueForbidden',
      message: `Forbidden: the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`,
    }];
  }
  spec.priority = value;
  if (pc?.preemptionPolicy && spec.preemptionPolicy === undefined) spec.preemptionPolicy = pc.preemptionPolicy;
  return [];
}

async function findClass(registry: ObjectReader, name: string): Promise<PriorityClassLike | undefined> {
  try {
    return (await registry.get(priorityClasses(), undefined, name)) as unknown as PriorityClassLike;
  } catch (err) {
    if (err instanceof ApiError && err.code === 404) return undefined;
    throw err;
  }
}

/** The class with globalDefault; of several (a race Kubernetes also allows), the lowest value, as Kubernetes picks. */
async function globalDefault(registry: ObjectReader): Promise<PriorityClassLike | undefined> {
  const page = await registry.list(priorityClasses(), undefined, { predicate: { everything: true, matches: () => true } });
  const defaults = (page.items as unknown as PriorityClassLike[]).filter((pc) => pc.globalDefault === true);
  return defaults.sort((a, b) => a.value - b.value)[0];
}

function addDefaultTolerations(spec: PodSpecLike): void {
  const tolerations = spec.tolerations ?? [];
  // A toleration with no key (or this key) and no effect (or NoExecute) already covers the taint.
  const tolerates = (key: string) => tolerations.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === 'NoExecute'));
  const added = [notReadyTaint, unreachableTaint]
    .filter((key) => !tolerates(key))
    .map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultTolerationSeconds }));
  if (added.length > 0) spec.tolerations = [...tolerations, ...added];
}

/** Creates the built-in PriorityClasses when missing (Kubernetes' scheduling bootstrap does the same). */
export async function ensureSystemPriorityClasses(registry: { create(rt: ReturnType<typeof priorityClasses>, ns: undefined, body: unknown): Promise<unknown> }, classes: Record<string, number>): Promise<void> {
  for (const [name, value] of Object.entries(classes)) {
    const description = name === 'system-node-critical' ? 'Used for system critical pods that must not be moved from their current node.' : 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.';
    try {
      await registry.create(priorityClasses(), undefined, { metadata: { name }, value, description });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 409)) throw err;
    }
  }
}
