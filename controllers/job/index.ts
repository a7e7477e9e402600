// The Job controller: runs a Job's pods to completion (batch/v1 Job semantics of Kubernetes v1.32).
import type { Job, Pod } from '../../api/index.js';
import { Controller, indexers } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { Expectations, trackOwnedPods } from '../replicaset/index.js';
import { defaultBackoff, type BackoffPolicy } from './backoff.js';
import { jobReconciler } from './reconcile.js';

export { trackingFinalizer, completionIndexKey } from './pods.js';

export interface JobControllerOptions {
  /** The clock (ms); tests pass their own. */
  now?: () => number;
  backoff?: BackoffPolicy;
}

export function jobController(opts: JobControllerOptions = {}): ControllerDef {
  return {
    name: 'job',
    setup(ctx) {
      const pods = ctx.factory.informer<Pod>('pods');
      const jobs = ctx.factory.informer<Job>('jobs');
      pods.addIndexer('namespace', indexers.namespace);
      jobs.addIndexer('namespace', indexers.namespace);
      const expectations = new Expectations();
      const log = ctx.log.child({ controller: 'job' });
      const controller = new Controller({
        name: 'job',
        workers: 5,
        log: ctx.log,
        reconcile: jobReconciler({
          clientset: ctx.clientset, jobs, pods, expectations, recorder: ctx.recorder, log,
          now: opts.now ?? Date.now, backoff: opts.backoff ?? defaultBackoff,
        }),
      });
      controller.watch(jobs);
      trackOwnedPods(pods, 'Job', expectations, (key) => controller.enqueue(key));
      return { run: (signal) => controller.run(signal) };
    },
  };
}
