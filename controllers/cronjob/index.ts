// The CronJob controller: creates Jobs on a cron schedule (batch/v1 CronJob of Kubernetes v1.32).
import type { CronJob, Job } from '../../api/index.js';
import { Controller, indexers, ownerKey } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { cronJobReconciler } from './reconcile.js';

export { scheduledTimestampKey } from './reconcile.js';

export function cronJobController(opts: { now?: () => number } = {}): ControllerDef {
  return {
    name: 'cronjob',
    setup(ctx) {
      const cronJobs = ctx.factory.informer<CronJob>('cronjobs');
      const jobs = ctx.factory.informer<Job>('jobs');
      jobs.addIndexer('namespace', indexers.namespace);
      const controller = new Controller({
        name: 'cronjob',
        log: ctx.log,
        reconcile: cronJobReconciler({ clientset: ctx.clientset, cronJobs, jobs, recorder: ctx.recorder, now: opts.now ?? Date.now }),
      });
      controller.watch(cronJobs).watch(jobs, ownerKey('CronJob'));
      return { run: (signal) => controller.run(signal) };
    },
  };
}
