// pods/binding: the scheduler's way to place a pod. Sets spec.nodeName only if it is empty
// (else 409, so two schedulers can never bind one pod twice) and marks PodScheduled=True.
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { badRequest, conflict } from '../errors.js';
import { nowRfc3339 } from './admit.js';
import type { Registry } from './rest.js';

interface Binding {
  metadata?: { name?: string; uid?: string; resourceVersion?: string };
  target?: { kind?: string; name?: string };
}

interface PodCondition {
  type: string;
  status: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export async function bindPod(registry: Registry, pods: ResourceType, namespace: string, name: string, body: unknown): Promise<KubeObject> {
  const b = (body ?? {}) as Binding;
  const node = b.target?.name;
  if (typeof node !== 'string' || node === '') throw badRequest('Binding target.name: Required value: a node name is required');
  if (b.target?.kind !== undefined && b.target.kind !== 'Node' && b.target.kind !== '') {
    throw badRequest(`Binding target.kind: Unsupported value: "${b.target.kind}": supported values: "Node"`);
  }
  if (b.metadata?.name !== undefined && b.metadata.name !== name) {
    throw badRequest(`the name of the binding (${b.metadata.name}) does not match the pod on the URL (${name})`);
  }
  return registry.guaranteedUpdate(pods, namespace, name, (pod) => {
    const spec = (pod.spec ?? {}) as { nodeName?: string };
    if (b.metadata?.uid && b.metadata.uid !== pod.metadata.uid) throw conflict(pods, name, 'the UID in the binding does not match the pod');
    if (pod.metadata.deletionTimestamp) throw conflict(pods, name, 'pod is being deleted, cannot be assigned to a host');
    if (spec.nodeName) throw conflict(pods, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    spec.nodeName = node;
    pod.spec = spec;
    const status = (pod.status ?? {}) as { conditions?: PodCondition[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowRfc3339() });
    pod.status = { ...status, conditions };
    return pod;
  });
}
