// A Job's pods: how they are built from the template (finalizer, completion index) and how the
// controller reads them (finished? succeeded? which index?).
import type { Container, Job, OwnerReference, Pod } from '../../api/index.js';
import { podFromTemplate } from '../replicaset/index.js';

/** Keeps a finished pod until the controller has counted it in the Job status. */
export const trackingFinalizer = 'batch.kubernetes.io/job-tracking';
export const completionIndexKey = 'batch.kubernetes.io/job-completion-index';
export const indexFailureCountKey = 'batch.kubernetes.io/job-index-failure-count';
const indexEnv = 'JOB_COMPLETION_INDEX';

export const isIndexed = (job: Job): boolean => job.spec?.completionMode === 'Indexed';

export function hasTracking(pod: Pod): boolean {
  return pod.metadata?.finalizers?.includes(trackingFinalizer) === true;
}

export function isSucceeded(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded';
}

/**
 * Finished for counting: Succeeded or Failed, or — unless the Job replaces only Failed pods —
 * deleted before it could succeed (an orphan that never reaches a phase still counts as failed).
 */
export function isFinished(pod: Pod, job: Job): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return true;
  return job.spec?.podReplacementPolicy !== 'Failed' && !!pod.metadata?.deletionTimestamp;
}

/** Deleted but not yet stopped by its kubelet. */
export function isTerminating(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return !!pod.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function indexOf(pod: Pod): number | undefined {
  const v = pod.metadata?.annotations?.[completionIndexKey];
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
}

export function indexFailureCount(pod: Pod): number {
  const v = Number(pod.metadata?.annotations?.[indexFailureCountKey] ?? 0);
  return Number.isInteger(v) ? v : 0;
}

/**
 * When the pod finished: its latest container termination, else `now`. Statuses are written to
 * the second; the end of that second (never later than now) keeps a back-off from running short.
 */
export function finishTime(pod: Pod, now: number): number {
  const times = (pod.status?.containerStatuses ?? []).map((s) => Date.parse(s.state?.terminated?.finishedAt ?? '')).filter(Number.isFinite);
  return times.length > 0 ? Math.min(now, Math.max(...times) + 999) : now;
}

function withIndexEnv(c: Container): Container {
  if (c.env?.some((e) => e.name === indexEnv)) return c;
  const ref = { name: indexEnv, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${completionIndexKey}']` } } };
  return { ...c, env: [...(c.env ?? []), ref] };
}

/**
 * A new pod of `job`: `<job>-` + random suffix, or for an Indexed Job `<job>-<index>-` + suffix
 * with the index as annotation, label, JOB_COMPLETION_INDEX and hostname `<job>-<index>`.
 */
export function jobPod(job: Job, owner: OwnerReference, index: number | undefined, indexFailures = 0): Pod {
  const m = job.metadata ?? {};
  const name = m.name ?? '';
  const ns = m.namespace ?? 'default';
  const prefix = index === undefined ? `${name}-` : `${name}-${index}-`;
  const pod = podFromTemplate(job.spec!.template, ns, prefix, owner);
  const meta = pod.metadata!;
  meta.finalizers = [...(meta.finalizers ?? []), trackingFinalizer];
  if (index !== undefined) {
    meta.annotations = { ...meta.annotations, [completionIndexKey]: String(index) };
    if (indexFailures > 0) meta.annotations[indexFailureCountKey] = String(indexFailures);
    meta.labels = { ...meta.labels, [completionIndexKey]: String(index) };
    const spec = pod.spec!;
    spec.containers = spec.containers.map(withIndexEnv);
    if (spec.initContainers) spec.initContainers = spec.initContainers.map(withIndexEnv);
    spec.hostname ??= `${name}-${index}`;
  }
  return pod;
}
