// Job conditions as Kubernetes v1.32 writes them: the interim SuccessCriteriaMet / FailureTarget
// first, the terminal Complete / Failed once no pod of the Job is left running.
import type { Job, JobCondition } from '../../api/index.js';
import { nowTime } from '../replicaset/index.js';

export const reasons = {
  completionsReached: 'CompletionsReached',
  backoffLimitExceeded: 'BackoffLimitExceeded',
  deadlineExceeded: 'DeadlineExceeded',
  podFailurePolicy: 'PodFailurePolicy',
  maxFailedIndexesExceeded: 'MaxFailedIndexesExceeded',
  failedIndexes: 'FailedIndexes',
  suspended: 'JobSuspended',
  resumed: 'JobResumed',
} as const;

export const messages = {
  completionsReached: 'Reached expected number of succeeded pods',
  backoffLimitExceeded: 'Job has reached the specified backoff limit',
  deadlineExceeded: 'Job was active longer than specified deadline',
  maxFailedIndexesExceeded: 'Job has exceeded the specified maximal number of failed indexes',
  failedIndexes: 'Job has failed indexes',
} as const;

export function getCondition(conds: JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conds?.find((c) => c.type === type);
}

export function isTrue(conds: JobCondition[] | undefined, type: string): boolean {
  return getCondition(conds, type)?.status === 'True';
}

/** Complete or Failed: nothing more happens to the Job but releasing its pods. */
export function isFinishedJob(job: Job): boolean {
  const c = job.status?.conditions;
  return isTrue(c, 'Complete') || isTrue(c, 'Failed');
}

/** Sets (or adds) a condition; its transition time moves only when its status changes. */
export function setCondition(conds: JobCondition[], type: string, status: 'True' | 'False', reason: string, message: string, now: number): JobCondition[] {
  const t = nowTime(now);
  const cur = getCondition(conds, type);
  if (cur && cur.status === status && cur.reason === reason && cur.message === message) return conds;
  const next: JobCondition = { type, status, lastProbeTime: t, lastTransitionTime: cur && cur.status === status ? cur.lastTransitionTime ?? t : t, reason, message };
  return cur ? conds.map((c) => (c === cur ? next : c)) : [...conds, next];
}
