// The CronJob reconcile: track its Jobs (active list, last success, history limits), then start
// the most recent due Job under the concurrency policy, and requeue for the next start time.
import type { CronJob, CronJobStatus, Job, ObjectReference } from '../../api/index.js';
import {
  controllerOf, done, isAlreadyExists, isNotFound, requeueAfter, retry, splitKey,
  type Clientset, type EventRecorder, type Informer, type Outcome,
} from '../../client/index.js';
import { controllerRef, nowTime, stableJson } from '../replicaset/index.js';
import { jobNameFor, localZone, maxMissedReported, scheduleView, zonedTimestamp } from './schedule.js';

export const scheduledTimestampKey = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export interface CronJobDeps {
  clientset: Clientset;
  cronJobs: Informer<CronJob>;
  jobs: Informer<Job>;
  recorder: EventRecorder;
  now: () => number;
}

const cronRef = (cj: CronJob): CronJob => ({ ...cj, apiVersion: 'batch/v1', kind: 'CronJob' });

/** Complete or Failed, and which. */
function finishedAs(job: Job): 'Complete' | 'Failed' | undefined {
  const c = job.status?.conditions?.find((x) => (x.type === 'Complete' || x.type === 'Failed') && x.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

function jobReference(job: Job): ObjectReference {
  const m = job.metadata ?? {};
  return { apiVersion: 'batch/v1', kind: 'Job', name: m.name ?? '', namespace: m.namespace ?? '', uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '' };
}

const started = (j: Job): number => Date.parse(j.status?.startTime ?? j.metadata?.creationTimestamp ?? '') || 0;

/** A Job of the CronJob's template for one start time, owned by the CronJob. */
function jobFor(cj: CronJob, scheduled: number, zone: string): Job {
  const t = structuredClone(cj.spec!.jobTemplate);
  const m = cj.metadata ?? {};
  return {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: {
      name: jobNameFor(cj, scheduled), namespace: m.namespace,
      ...(t.metadata?.labels ? { labels: t.metadata.labels } : {}),
      annotations: { ...t.metadata?.annotations, [scheduledTimestampKey]: zonedTimestamp(scheduled, zone) },
      ownerReferences: [controllerRef({ apiVersion: 'batch/v1', kind: 'CronJob', name: m.name ?? '', uid: m.uid ?? '' })],
    },
    spec: t.spec!,
  } as Job;
}

export function cronJobReconciler(deps: CronJobDeps): (key: string) => Promise<Outcome> {
  const { clientset, recorder } = deps;

  async function deleteJob(cj: CronJob, job: Job): Promise<void> {
    try {
      await clientset.jobs.delete(job.metadata?.namespace, job.metadata?.name ?? '', { propagationPolicy: 'Background' });
      recorder.event(cronRef(cj), 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Finished Jobs beyond the history limits go, oldest first. */
  async function trimHistory(cj: CronJob, owned: Job[]): Promise<void> {
    for (const [kind, limit] of [['Complete', cj.spec?.successfulJobsHistoryLimit ?? 3], ['Failed', cj.spec?.failedJobsHistoryLimit ?? 1]] as const) {
      const finished = owned.filter((j) => finishedAs(j) === kind && !j.metadata?.deletionTimestamp).sort((a, b) => started(a) - started(b));
      for (const j of finished.slice(0, Math.max(0, finished.length - limit))) await deleteJob(cj, j);
    }
  }

  /** Starts the most recent due Job, if the policy allows; the outcome requeues at the next start time. */
  async function startDue(cj: CronJob, status: CronJobStatus, running: Job[], now: number): Promise<Outcome> {
    const spec = cj.spec!;
    const zone = spec.timeZone ?? localZone();
    let view;
    try {
      view = scheduleView(cj, now);
    } catch (err) {
      recorder.event(cronRef(cj), 'Warning', 'InvalidSchedule', `invalid schedule: ${spec.schedule} : ${(err as Error).message}`);
      return done;
    }
    const atNext = (): Outcome => (view.next !== undefined ? requeueAfter(Math.max(100, view.next - now + 100)) : done);
    if (view.missed > maxMissedReported) {
      recorder.event(cronRef(cj), 'Warning', 'TooManyMissedTimes', `too many missed start times: ${view.missed}. Set or decrease .spec.startingDeadlineSeconds or check clock skew`);
    }
    const scheduled = view.mostRecent;
    if (scheduled === undefined) return atNext();
    if (spec.startingDeadlineSeconds !== undefined && scheduled < now - spec.startingDeadlineSeconds * 1000) {
      recorder.event(cronRef(cj), 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${new Date(scheduled).toISOString()}`);
      return atNext();
    }
    if (running.some((j) => j.metadata?.name === jobNameFor(cj, scheduled))) return atNext();
    if (spec.concurrencyPolicy === 'Forbid' && running.length > 0) {
      recorder.event(cronRef(cj), 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return atNext();
    }
    if (spec.concurrencyPolicy === 'Replace') {
      for (const j of running) await deleteJob(cj, j);
      status.active = [];
    }
    let created: Job;
    try {
      created = await clientset.jobs.create(cj.metadata?.namespace, jobFor(cj, scheduled, zone));
      recorder.event(cronRef(cj), 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name}`);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        recorder.event(cronRef(cj), 'Warning', 'FailedCreate', `Error creating job: ${(err as Error).message}`);
        throw err;
      }
      // Made by an earlier sync whose status write was lost: the start is taken.
      created = await clientset.jobs.get(cj.metadata?.namespace, jobNameFor(cj, scheduled));
    }
    if (!finishedAs(created) && !(status.active ?? []).some((r) => r.uid === created.metadata?.uid)) status.active = [...(status.active ?? []), jobReference(created)];
    status.lastScheduleTime = nowTime(scheduled);
    return atNext();
  }

  return async function reconcile(key: string): Promise<Outcome> {
    const cj = deps.cronJobs.store.get(key);
    if (!cj?.spec) return done;
    const { namespace } = splitKey(key);
    const now = deps.now();
    const uid = cj.metadata?.uid;
    const owned = deps.jobs.store.byIndex('namespace', namespace ?? '').filter((j) => controllerOf(j)?.uid === uid);
    const status: CronJobStatus = structuredClone(cj.status ?? {});
    const wasActive = new Set((status.active ?? []).map((r) => r.uid));
    for (const j of owned) {
      const as = finishedAs(j);
      if (!as || !wasActive.has(j.metadata?.uid)) continue;
      recorder.event(cronRef(cj), 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${as}`);
      const at = Date.parse(j.status?.completionTime ?? '');
      if (as === 'Complete' && Number.isFinite(at) && at > (Date.parse(status.lastSuccessfulTime ?? '') || 0)) status.lastSuccessfulTime = nowTime(at);
    }
    const running = owned.filter((j) => !finishedAs(j) && !j.metadata?.deletionTimestamp);
    status.active = running.map(jobReference);

    let outcome: Outcome = done;
    try {
      await trimHistory(cj, owned);
      if (!cj.metadata?.deletionTimestamp && !cj.spec.suspend) outcome = await startDue(cj, status, running, now);
    } catch (err) {
      outcome = retry(err as Error);
    }
    if (status.active.length === 0) delete status.active;
    if (stableJson(status) !== stableJson(cj.status ?? {})) {
      try {
        await clientset.cronJobs.updateStatus({ ...cronRef(cj), status });
      } catch (err) {
        return isNotFound(err) ? done : retry(err as Error);
      }
    }
    return outcome;
  };
}
