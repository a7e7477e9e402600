// For tests and benchmarks without a kubelet: plays the nodes by marking pods Running and Ready
// through the status subresource as they appear. `ready` decides per pod (a broken rollout
// leaves some pods unready forever).
import type { Pod } from '../../api/index.js';
import { Informer, isNotFound, keyOf, type Clientset } from '../../client/index.js';
import { isPodReady, nowTime } from './pods.js';

export interface FakeNodesOptions {
  namespace?: string;
  ready?: (pod: Pod) => boolean;
  /** Status writes in flight at once. */
  concurrency?: number;
}

export class FakeNodes {
  private readonly informer: Informer<Pod>;
  private readonly pending: Pod[] = [];
  private readonly queued = new Set<string>();
  private inFlight = 0;
  private readonly concurrency: number;
  private stopped = false;
  /** Status writes done so far. */
  marked = 0;
  failures = 0;

  constructor(
    private readonly clientset: Clientset,
    private readonly opts: FakeNodesOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 16;
    this.informer = new Informer<Pod>(clientset.pods, opts.namespace ? { namespace: opts.namespace } : {});
    const consider = (pod: Pod): void => {
      if (isPodReady(pod) || pod.metadata?.deletionTimestamp || this.queued.has(keyOf(pod))) return;
      if (this.opts.ready && !this.opts.ready(pod)) return;
      this.queued.add(keyOf(pod));
      this.pending.push(pod);
      this.pump();
    };
    this.informer.on({ add: consider, update: (_old, pod) => consider(pod) });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): void {
    this.stopped = true;
    this.informer.stop();
  }

  private pump(): void {
    while (!this.stopped && this.inFlight < this.concurrency && this.pending.length > 0) {
      const pod = this.pending.shift() as Pod;
      this.inFlight++;
      void this.markReady(pod).finally(() => {
        this.inFlight--;
        this.queued.delete(keyOf(pod));
        this.pump();
      });
    }
  }

  private async markReady(pod: Pod): Promise<void> {
    const now = nowTime();
    const conditions = ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: now }));
    const containerStatuses = (pod.spec?.containers ?? []).map((c) => ({
      name: c.name, image: c.image ?? '', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt: now } },
    }));
    try {
      await this.clientset.pods.patchStatus(pod.metadata?.namespace, pod.metadata?.name ?? '', {
        status: { phase: 'Running', conditions, containerStatuses, startTime: now, podIP: '127.0.0.1', hostIP: '127.0.0.1' },
      });
      this.marked++;
    } catch (err) {
      // A conflict or a transient failure: the next update of the pod brings it back.
      if (!isNotFound(err)) this.failures++;
    }
  }
}
