// Finalizer-based pod tracking (KEP-2307): a finished pod is first recorded by uid in
// status.uncountedTerminatedPods, then its `batch.kubernetes.io/job-tracking` finalizer is
// removed, then it moves into the succeeded/failed counters. A crash at any step leaves enough
// behind to finish the job on restart, and no pod is counted twice or lost.
import type { Job, JobStatus, Pod } from '../../api/index.js';
import { isNotFound, type Clientset } from '../../client/index.js';
import { matchPodFailurePolicy } from './failure-policy.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import {
  finishTime, hasTracking, indexFailureCount, indexOf, isFinished, isIndexed, isSucceeded, trackingFinalizer,
} from './pods.js';

export interface Tracked {
  status: JobStatus;
  /** Whether `status` differs from the stored one in what must be written before finalizers go. */
  recordFirst: boolean;
  /** Finished pods whose finalizer is to be removed. */
  release: Pod[];
  /** A FailJob rule of the podFailurePolicy matched: the FailureTarget message. */
  failJob?: string;
}

/** Step 1: record newly finished pods (by uid) and, for Indexed Jobs, their indexes. */
export function recordFinished(job: Job, pods: Pod[]): Tracked {
  const status: JobStatus = structuredClone(job.status ?? {});
  const succeeded = new Set(status.uncountedTerminatedPods?.succeeded ?? []);
  const failed = new Set(status.uncountedTerminatedPods?.failed ?? []);
  const completions = job.spec?.completions ?? 0;
  const indexed = isIndexed(job);
  const completedIdx = parseIndexes(status.completedIndexes, completions);
  const perIndexLimit = job.spec?.backoffLimitPerIndex;
  const failedIdx = parseIndexes(status.failedIndexes, completions);
  const release: Pod[] = [];
  let recordFirst = false;
  let failJob: string | undefined;
  for (const pod of pods) {
    if (!hasTracking(pod) || !isFinished(pod, job)) continue;
    release.push(pod);
    const uid = pod.metadata?.uid ?? '';
    if (succeeded.has(uid) || failed.has(uid)) continue;
    const index = indexOf(pod);
    if (isSucceeded(pod)) {
      // A second success of an index (or of one out of range) is not a completion.
      if (indexed && (index === undefined || index >= completions || completedIdx.has(index))) continue;
      succeeded.add(uid);
      if (indexed && index !== undefined) completedIdx.add(index);
    } else {
      const match = pod.status?.phase === 'Failed' ? matchPodFailurePolicy(job.spec?.podFailurePolicy, pod) : undefined;
      if (match?.action === 'Ignore') continue;
      if (match?.action === 'FailJob') failJob ??= match.message;
      failed.add(uid);
      if (indexed && perIndexLimit !== undefined && index !== undefined && index < completions) {
        if (match?.action === 'FailIndex' || indexFailureCount(pod) + 1 > perIndexLimit) failedIdx.add(index);
      }
    }
    recordFirst = true;
  }
  status.uncountedTerminatedPods = {
    ...(succeeded.size > 0 ? { succeeded: [...succeeded] } : {}),
    ...(failed.size > 0 ? { failed: [...failed] } : {}),
  };
  if (indexed) status.completedIndexes = formatIndexes(completedIdx);
  if (indexed && perIndexLimit !== undefined) status.failedIndexes = formatIndexes(failedIdx);
  return { status, recordFirst, release, ...(failJob ? { failJob } : {}) };
}

/** Step 2: removes the tracking finalizer (guarded by a JSON-patch test); the errors, if any. */
export async function releasePods(clientset: Clientset, pods: Pod[]): Promise<Error[]> {
  const errors: Error[] = [];
  await Promise.all(pods.map(async (pod) => {
    const i = pod.metadata?.finalizers?.indexOf(trackingFinalizer) ?? -1;
    if (i < 0) return;
    const path = `/metadata/finalizers/${i}`;
    try {
      await clientset.pods.patch(pod.metadata?.namespace, pod.metadata?.name ?? '', [{ op: 'test', path, value: trackingFinalizer }, { op: 'remove', path }], 'json');
    } catch (err) {
      if (!isNotFound(err)) errors.push(err as Error);
    }
  }));
  return errors;
}

/**
 * Step 3: uids whose pod no longer holds the finalizer (released, or gone) move into the
 * counters. Returns the pods moved, for the back-off record.
 */
export function countReleased(job: Job, status: JobStatus, pods: Pod[], released: Set<string>, now: number): Array<{ failed: boolean; at: number }> {
  const byUid = new Map(pods.map((p) => [p.metadata?.uid ?? '', p]));
  const moved: Array<{ failed: boolean; at: number }> = [];
  const stillHeld = (uid: string): boolean => {
    const p = byUid.get(uid);
    return p !== undefined && hasTracking(p) && !released.has(uid);
  };
  const u = status.uncountedTerminatedPods ?? {};
  const keep = (list: string[] | undefined, failed: boolean): string[] => (list ?? []).filter((uid) => {
    if (stillHeld(uid)) return true;
    const p = byUid.get(uid);
    moved.push({ failed, at: p ? finishTime(p, now) : now });
    if (failed) status.failed = (status.failed ?? 0) + 1;
    else status.succeeded = (status.succeeded ?? 0) + 1;
    return false;
  });
  const succeeded = keep(u.succeeded, false);
  const failed = keep(u.failed, true);
  status.uncountedTerminatedPods = { ...(succeeded.length ? { succeeded } : {}), ...(failed.length ? { failed } : {}) };
  // An Indexed Job's successes are its completed indexes.
  if (isIndexed(job)) status.succeeded = parseIndexes(status.completedIndexes, job.spec?.completions ?? 0).size;
  return moved;
}
