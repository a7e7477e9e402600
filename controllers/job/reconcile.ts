// The Job reconcile: count finished pods (tracking.ts), decide whether the Job succeeded or
// failed, otherwise create and delete pods toward parallelism/completions (manage.ts), and write
// status with the conditions and counts Kubernetes v1.32 shows.
import type { Job, JobStatus, Pod } from '../../api/index.js';
import {
  controllerOf, done, isNotFound, requeueAfter, retry, splitKey,
  type Clientset, type EventRecorder, type Informer, type Logger, type Outcome,
} from '../../client/index.js';
import {
  claim, controllerRef, createOwnedPods, deleteOwnedPods, isOutcome, isPodReady, nowTime, parseSelector, stableJson,
  type Expectations, type PodControl,
} from '../replicaset/index.js';
import { nextBackoffRecord, remainingBackoff, type BackoffPolicy, type BackoffRecord } from './backoff.js';
import { getCondition, isFinishedJob, isTrue, messages, reasons, setCondition } from './conditions.js';
import { parseIndexes } from './indexes.js';
import { planPods } from './manage.js';
import { hasTracking, isFinished, isIndexed, isTerminating, jobPod, trackingFinalizer } from './pods.js';
import { countReleased, recordFinished, releasePods } from './tracking.js';

export interface JobDeps {
  clientset: Clientset;
  jobs: Informer<Job>;
  pods: Informer<Pod>;
  expectations: Expectations;
  recorder: EventRecorder;
  log: Logger;
  now: () => number;
  backoff: BackoffPolicy;
}

const jobRef = (job: Job): Job => ({ ...job, apiVersion: 'batch/v1', kind: 'Job' });

/** Restarts of the active pods' containers: with restartPolicy OnFailure these are the failures. */
function containerRestarts(pods: Pod[]): number {
  return pods.reduce((n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0), 0);
}

/** Why the Job must fail now, if it must (checked in Kubernetes' order). */
function failureReason(job: Job, status: JobStatus, active: Pod[], now: number): [string, string] | undefined {
  const spec = job.spec ?? { template: {} };
  const limit = spec.backoffLimit ?? 6;
  const failed = (status.failed ?? 0) + (status.uncountedTerminatedPods?.failed?.length ?? 0);
  const restarts = spec.template.spec?.restartPolicy === 'OnFailure' ? containerRestarts(active) : 0;
  if (failed > limit || (restarts > 0 && failed + restarts > limit)) return [reasons.backoffLimitExceeded, messages.backoffLimitExceeded];
  if (isIndexed(job) && spec.backoffLimitPerIndex !== undefined) {
    const completions = spec.completions ?? 0;
    const failedIdx = parseIndexes(status.failedIndexes, completions).size;
    if (spec.maxFailedIndexes !== undefined && failedIdx > spec.maxFailedIndexes) return [reasons.maxFailedIndexesExceeded, messages.maxFailedIndexesExceeded];
    if (failedIdx > 0 && failedIdx + parseIndexes(status.completedIndexes, completions).size >= completions) return [reasons.failedIndexes, messages.failedIndexes];
  }
  const started = Date.parse(status.startTime ?? '');
  if (spec.activeDeadlineSeconds !== undefined && Number.isFinite(started) && now - started >= spec.activeDeadlineSeconds * 1000) {
    return [reasons.deadlineExceeded, messages.deadlineExceeded];
  }
  return undefined;
}

function succeededEnough(job: Job, status: JobStatus, active: number): boolean {
  const succeeded = (status.succeeded ?? 0) + (isIndexed(job) ? 0 : status.uncountedTerminatedPods?.succeeded?.length ?? 0);
  const completions = job.spec?.completions;
  return completions === undefined ? succeeded > 0 && active === 0 : succeeded >= completions;
}

export function jobReconciler(deps: JobDeps): (key: string) => Promise<Outcome> {
  const { clientset, expectations } = deps;
  const records = new Map<string, BackoffRecord>();

  /** Pods of a Job that is gone (or was replaced by a namesake) keep no tracking finalizer. */
  async function releaseStale(ns: string, name: string, uid: string | undefined): Promise<Error[]> {
    const stale = deps.pods.store.byIndex('namespace', ns).filter((p) => {
      const ref = controllerOf(p);
      return ref?.kind === 'Job' && ref.name === name && ref.uid !== uid && hasTracking(p);
    });
    return stale.length > 0 ? releasePods(clientset, stale) : [];
  }

  async function writeStatus(job: Job, status: JobStatus): Promise<Job> {
    return clientset.jobs.updateStatus({ ...jobRef(job), status });
  }

  /**
   * Deletes pods. Pods the Job no longer wants (suspension, too many) lose their finalizer
   * first so they are not counted as failures; a failing Job's pods keep it and count.
   */
  async function deletePods(control: PodControl, pods: Pod[], count: boolean): Promise<Error | undefined> {
    if (!count && pods.length > 0) {
      const errs = await releasePods(clientset, pods);
      if (errs[0]) return errs[0];
    }
    return deleteOwnedPods(control, pods);
  }

  return async function reconcile(key: string): Promise<Outcome> {
    const { namespace, name } = splitKey(key);
    const ns = namespace ?? 'default';
    const cached = deps.jobs.store.get(key);
    const staleErrors = await releaseStale(ns, name, cached?.metadata?.uid);
    if (!cached) {
      expectations.forget(key);
      records.delete(key);
      return staleErrors[0] ? retry(staleErrors[0]) : done;
    }
    let job = cached;
    const now = deps.now();
    const selector = parseSelector(job.spec?.selector);
    if (isOutcome(selector)) return selector;
    const needsSync = expectations.satisfied(key);
    const m = job.metadata ?? {};
    const owner = { apiVersion: 'batch/v1', kind: 'Job', name, namespace: ns, uid: m.uid ?? '', deleting: !!m.deletionTimestamp };
    const { claimed: pods, errors } = await claim(owner, selector, deps.pods.store.byIndex('namespace', ns), clientset.pods, () => clientset.jobs.get(ns, name));
    if (errors[0]) return retry(errors[0]);
    // Finished, or being deleted (foreground deletion waits for the pods): counting is over.
    if (isFinishedJob(job) || m.deletionTimestamp) {
      const errs = await releasePods(clientset, pods.filter(hasTracking));
      return errs[0] ? retry(errs[0]) : done;
    }

    // Count what finished: record, release, then move into the counters.
    const tracked = recordFinished(job, pods);
    let status = tracked.status;
    if (tracked.failJob && !getCondition(status.conditions, 'FailureTarget')) {
      status.conditions = setCondition(status.conditions ?? [], 'FailureTarget', 'True', reasons.podFailurePolicy, tracked.failJob, now);
    }
    try {
      if (tracked.recordFirst) job = await writeStatus(job, status);
    } catch (err) {
      return isNotFound(err) ? done : retry(err as Error);
    }
    status = structuredClone(job.status ?? {});
    const releaseErrors = await releasePods(clientset, tracked.release);
    const released = new Set(releaseErrors.length === 0 ? tracked.release.map((p) => p.metadata?.uid ?? '') : []);
    const moved = countReleased(job, status, pods, released, now);
    // Kept once the counts are stored: a stale cache may show the same pods again (then the write conflicts).
    const record = moved.length > 0 ? nextBackoffRecord(records.get(key), moved) : records.get(key);

    const active = pods.filter((p) => !isFinished(p, job) && !p.metadata?.deletionTimestamp);
    const terminating = pods.filter(isTerminating);
    let conds = status.conditions ?? [];
    let plan: ReturnType<typeof planPods> = { create: [], delete: [] };
    let countDeleted = false;
    let wait: number | undefined;
    const suspended = job.spec?.suspend === true;
    const finishing = isTrue(conds, 'FailureTarget') || isTrue(conds, 'SuccessCriteriaMet');

    if (!finishing && !suspended) {
      if (!status.startTime || isTrue(conds, 'Suspended')) status.startTime = nowTime(now);
      if (isTrue(conds, 'Suspended')) {
        conds = setCondition(conds, 'Suspended', 'False', reasons.resumed, 'Job resumed', now);
        deps.recorder.event(jobRef(job), 'Normal', 'Resumed', 'Job resumed');
      }
    }
    const failure = finishing ? undefined : failureReason(job, { ...status, conditions: conds }, active, now);
    if (failure) conds = setCondition(conds, 'FailureTarget', 'True', failure[0], failure[1], now);
    else if (!finishing && succeededEnough(job, status, active.length)) {
      conds = setCondition(conds, 'SuccessCriteriaMet', 'True', reasons.completionsReached, messages.completionsReached, now);
    }

    const failureTarget = getCondition(conds, 'FailureTarget');
    const successMet = isTrue(conds, 'SuccessCriteriaMet');
    if (failureTarget?.status === 'True' || successMet) {
      plan.delete = active;
      countDeleted = true;
      const settled = active.length === 0 && terminating.length === 0 && !pods.some(hasTracking) && tracked.release.length === 0
        && !status.uncountedTerminatedPods?.succeeded?.length && !status.uncountedTerminatedPods?.failed?.length;
      if (settled && failureTarget?.status === 'True') {
        conds = setCondition(conds, 'Failed', 'True', failureTarget.reason ?? '', failureTarget.message ?? '', now);
        deps.recorder.event(jobRef(job), 'Warning', failureTarget.reason ?? 'Failed', failureTarget.message ?? '');
      } else if (settled) {
        conds = setCondition(conds, 'Complete', 'True', reasons.completionsReached, messages.completionsReached, now);
        status.completionTime = nowTime(now);
        deps.recorder.event(jobRef(job), 'Normal', 'Completed', 'Job completed');
      }
    } else if (suspended) {
      plan.delete = active;
      if (!isTrue(conds, 'Suspended')) {
        conds = setCondition(conds, 'Suspended', 'True', reasons.suspended, 'Job suspended', now);
        deps.recorder.event(jobRef(job), 'Normal', 'Suspended', 'Job suspended');
      }
    } else if (needsSync && !m.deletionTimestamp) {
      plan = planPods(job, active, pods, status.succeeded ?? 0);
      wait = plan.create.length > 0 ? remainingBackoff(record, deps.backoff, now) : 0;
      if (wait > 0) plan.create = [];
    }

    const control = { clientset, recorder: deps.recorder, expectations, owner: jobRef(job), key };
    const ref = controllerRef({ apiVersion: 'batch/v1', kind: 'Job', name, uid: m.uid ?? '' });
    const perIndex = job.spec?.backoffLimitPerIndex !== undefined;
    let manageError = await deletePods(control, plan.delete, countDeleted);
    if (plan.create.length > 0) {
      manageError = (await createOwnedPods(control, plan.create, (item) => jobPod(job, ref, item.index, perIndex ? item.failures : 0))) ?? manageError;
    }

    const created = plan.create.length;
    const next: JobStatus = {
      ...status,
      conditions: conds.length > 0 ? conds : undefined,
      active: active.length - plan.delete.length + created,
      ready: active.filter(isPodReady).length,
      terminating: terminating.length + plan.delete.length,
      succeeded: status.succeeded ?? 0,
      failed: status.failed ?? 0,
    } as JobStatus;
    if (next.conditions === undefined) delete next.conditions;
    if (stableJson(next) !== stableJson(job.status ?? {})) {
      try {
        await writeStatus(job, next);
      } catch (err) {
        return isNotFound(err) ? done : retry(err as Error);
      }
    }
    if (record) records.set(key, record);
    const problem = releaseErrors[0] ?? staleErrors[0] ?? manageError;
    if (problem) return retry(problem);
    if (wait) return requeueAfter(wait + 10);
    const deadline = job.spec?.activeDeadlineSeconds;
    const started = Date.parse(next.startTime ?? '');
    if (deadline !== undefined && Number.isFinite(started) && !isFinishedJob({ ...job, status: next }) && !suspended) {
      return requeueAfter(Math.max(10, started + deadline * 1000 - now + 10));
    }
    return done;
  };
}

export { trackingFinalizer };
