// Pod facts the workload controllers share: activity, readiness, availability, and building a
// pod from a template owned by its controller.
import type { OwnerReference, Pod, PodCondition, PodTemplateSpec } from '../../api/index.js';
import { clone } from '../../client/index.js';

/** Not finished and not being deleted: the pods a ReplicaSet counts. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata?.deletionTimestamp;
}

export function readyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds (measured from the Ready condition's transition). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  const cond = readyCondition(pod);
  if (cond?.status !== 'True') return false;
  if (minReadySeconds <= 0) return true;
  const since = cond.lastTransitionTime ? Date.parse(cond.lastTransitionTime) : NaN;
  return Number.isFinite(since) && since + minReadySeconds * 1000 <= now;
}

/** metav1.Time: RFC 3339 to the second, as Kubernetes writes it. */
export function nowTime(at: number = Date.now()): string {
  return new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function controllerRef(owner: { apiVersion: string; kind: string; name: string; uid: string }): OwnerReference {
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: true };
}

/** A pod from `template` named `<prefix><5 random chars>` by the apiserver, controlled by `owner`. */
export function podFromTemplate(template: PodTemplateSpec, namespace: string, generateName: string, owner: OwnerReference): Pod {
  const t = clone(template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace,
      ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
      ...(t.metadata?.annotations ? { annotations: t.metadata.annotations } : {}),
      ...(t.metadata?.finalizers ? { finalizers: t.metadata.finalizers } : {}),
      ownerReferences: [owner],
    },
    spec: t.spec,
  } as Pod;
}
