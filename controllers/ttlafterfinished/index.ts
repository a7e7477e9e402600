// The TTL-after-finished controller: deletes a Job `ttlSecondsAfterFinished` after it finished
// (Complete or Failed), with its pods (foreground), as kube-controller-manager's ttl-after-finished.
import type { Job } from '../../api/index.js';
import { Controller, done, isNotFound, requeueAfter, retry, splitKey, type Outcome } from '../../client/index.js';
import type { ControllerDef } from '../context.js';

/** When the Job finished (ms), or undefined while it runs. */
export function finishedAt(job: Job): number | undefined {
  const cond = job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  if (!cond) return undefined;
  const t = Date.parse(job.status?.completionTime ?? cond.lastTransitionTime ?? '');
  return Number.isFinite(t) ? t : undefined;
}

/** Milliseconds until the Job expires (≤ 0: now), or undefined when it never does (yet). */
export function expiresIn(job: Job, now: number): number | undefined {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  const at = finishedAt(job);
  if (ttl === undefined || at === undefined || job.metadata?.deletionTimestamp) return undefined;
  return at + ttl * 1000 - now;
}

export function ttlAfterFinishedController(opts: { now?: () => number } = {}): ControllerDef {
  const now = opts.now ?? Date.now;
  return {
    name: 'ttl-after-finished',
    setup(ctx) {
      const jobs = ctx.factory.informer<Job>('jobs');
      const reconcile = async (key: string): Promise<Outcome> => {
        const cached = jobs.store.get(key);
        if (!cached) return done;
        const left = expiresIn(cached, now());
        if (left === undefined) return done;
        if (left > 0) return requeueAfter(left);
        const { namespace, name } = splitKey(key);
        try {
          // The cache may be behind a user who just raised the TTL: decide on a fresh read.
          const fresh = await ctx.clientset.jobs.get(namespace, name);
          const freshLeft = expiresIn(fresh, now());
          if (freshLeft === undefined) return done;
          if (freshLeft > 0) return requeueAfter(freshLeft);
          await ctx.clientset.jobs.delete(namespace, name, { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid ?? '' } });
          ctx.log.info({ job: key }, 'deleted finished job past its TTL');
          return done;
        } catch (err) {
          return isNotFound(err) ? done : retry(err as Error);
        }
      };
      const controller = new Controller({ name: 'ttl-after-finished', log: ctx.log, reconcile }).watch(jobs);
      return { run: (signal) => controller.run(signal) };
    },
  };
}
