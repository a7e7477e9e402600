// The scheduling loop: informer events feed the cache and the queue; each pod popped is placed
// by the algorithm synchronously, assumed in the cache, and bound asynchronously (many bindings
// in flight). Failures are reported through a ClusterWriter, so the same loop runs against the
// API or, for the benchmark, against a fake.
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Node, Pod } from '../api/index.js';
import { Algorithm, defaultProfile, fitErrorMessage } from './algorithm.js';
import { SchedulerCache, isTerminal } from './cache.js';
import type { SchedulerMetrics } from './metrics.js';
import { matchesAllTerms, newPodInfo, podKey, type PodInfo } from './pod-info.js';
import { findPreemption } from './preemption.js';
import { SchedulingQueue, type QueueOptions, type QueuedPod } from './queue.js';

/** How the scheduler changes the cluster. */
export interface ClusterWriter {
  bind(pod: Pod, nodeName: string): Promise<void>;
  /** PodScheduled=False/Unschedulable with `message`, and a FailedScheduling event. */
  reportUnschedulable(pod: Pod, message: string): Promise<void>;
  /** status.nominatedNodeName on the preemptor, then delete the victims (gracefully). */
  preempt(preemptor: Pod, nodeName: string, victims: Pod[]): Promise<void>;
}

/** Whether a bind failure means "someone else placed or removed it" (no retry needed). */
export type BindErrorKind = 'gone' | 'taken' | 'retry';

export interface LoopLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  writer: ClusterWriter;
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  /** Bindings in flight at once. */
  bindConcurrency?: number;
  queue?: QueueOptions;
  metrics?: SchedulerMetrics;
  log?: LoopLog;
  classifyBindError?: (err: unknown) => BindErrorKind;
  /** Called after each successful binding (benchmarks measure per-pod latency). */
  onBound?: (pod: PodInfo, nodeName: string, queuedMs: number) => void;
}

const silent: LoopLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

function specChanged(a: Pod, b: Pod): boolean {
  return JSON.stringify([a.spec, a.metadata?.labels]) !== JSON.stringify([b.spec, b.metadata?.labels]);
}

function nodeChanged(a: Node, b: Node): boolean {
  return JSON.stringify([a.spec, a.metadata?.labels, a.status?.allocatable, a.status?.conditions?.find((c) => c.type === 'Ready')?.status]) !==
    JSON.stringify([b.spec, b.metadata?.labels, b.status?.allocatable, b.status?.conditions?.find((c) => c.type === 'Ready')?.status]);
}

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  readonly algorithm: Algorithm;
  readonly schedulerName: string;
  private readonly writer: ClusterWriter;
  private readonly log: LoopLog;
  private readonly bindConcurrency: number;
  private binding = 0;
  private bindSlots: (() => void)[] = [];
  private readonly pendingWrites = new Set<Promise<void>>();

  constructor(private readonly opts: SchedulerOptions) {
    this.writer = opts.writer;
    this.schedulerName = opts.schedulerName ?? 'default-scheduler';
    this.queue = new SchedulingQueue(opts.queue);
    this.algorithm = new Algorithm({ ...defaultProfile(), percentageOfNodesToScore: opts.percentageOfNodesToScore ?? 0 });
    this.log = opts.log ?? silent;
    this.bindConcurrency = opts.bindConcurrency ?? 128;
  }

  // ---- informer events ------------------------------------------------------------------------

  onNode(node: Node, old?: Node): void {
    this.cache.setNode(node);
    if (!old || nodeChanged(old, node)) this.queue.moveAllToActiveOrBackoff();
  }

  onNodeDeleted(node: Node): void {
    this.cache.removeNode(node.metadata?.name ?? '');
  }

  onPod(pod: Pod, old?: Pod): void {
    const key = podKey(pod);
    if (pod.spec?.nodeName) {
      const wasPlaced = this.cache.nodeOf(key) !== undefined;
      this.cache.setPod(pod);
      this.queue.delete(key);
      // A pod that finished frees its resources.
      if (wasPlaced && isTerminal(pod)) this.queue.moveAllToActiveOrBackoff();
      // A newly placed pod may be what a parked pod's required affinity waits for.
      if (!old?.spec?.nodeName && !isTerminal(pod)) {
        const placed = newPodInfo(pod);
        this.queue.moveIfHelped((w) => matchesAllTerms(w.requiredAffinityTerms, placed, this.cache.namespaceLabels));
      }
      return;
    }
    if ((pod.spec?.schedulerName ?? 'default-scheduler') !== this.schedulerName) return;
    if (pod.metadata?.deletionTimestamp || isTerminal(pod)) {
      this.queue.delete(key);
      return;
    }
    if (this.cache.isAssumed(key)) return; // placed by us, binding in flight
    this.queue.add(newPodInfo(pod), !old || specChanged(old, pod));
  }

  onPodDeleted(pod: Pod): void {
    const key = podKey(pod);
    const placed = this.cache.nodeOf(key) !== undefined;
    this.cache.removePod(key);
    this.queue.delete(key);
    if (placed) this.queue.moveAllToActiveOrBackoff();
  }

  onNamespace(name: string, labels: Record<string, string> | undefined): void {
    this.cache.setNamespace(name, labels);
  }

  // ---- the loop ---------------------------------------------------------------------------------

  /** Schedules until `signal` aborts; waits for bindings and reports in flight before returning. */
  async run(signal: AbortSignal): Promise<void> {
    const flush = setInterval(() => {
      this.queue.flush();
      this.updateGauges();
    }, 1000);
    this.queue.reopen();
    const stop = (): void => this.queue.close();
    signal.addEventListener('abort', stop, { once: true });
    try {
      let sliceStart = performance.now();
      for (;;) {
        let q = this.queue.tryPop();
        if (!q) {
          q = await this.queue.pop();
          sliceStart = performance.now();
        }
        if (!q || signal.aborted) break;
        await this.scheduleOne(q);
        // Let informer events and binding responses in every few milliseconds.
        if (performance.now() - sliceStart > 5) {
          await yieldToIo();
          sliceStart = performance.now();
        }
      }
    } finally {
      clearInterval(flush);
      signal.removeEventListener('abort', stop);
      await this.drain();
    }
  }

  /** Waits for every binding and status write started so far. */
  async drain(): Promise<void> {
    while (this.pendingWrites.size > 0) await Promise.allSettled([...this.pendingWrites]);
  }

  private track(p: Promise<void>): void {
    this.pendingWrites.add(p);
    void p.finally(() => this.pendingWrites.delete(p));
  }

  /** One pod: place it (assume + bind in the background) or report why not. Waits only for a bind slot. */
  async scheduleOne(q: QueuedPod): Promise<void> {
    const info = q.info;
    if (this.cache.nodeOf(info.key) !== undefined) {
      this.queue.done(info.key); // already placed
      return;
    }
    const began = performance.now();
    let result;
    try {
      result = this.algorithm.schedule(info, this.cache);
    } catch (err) {
      this.opts.metrics?.attempts.inc({ result: 'error' });
      this.log.error({ err, pod: info.key }, 'scheduling failed');
      this.queue.failed(q, false);
      return;
    }
    this.opts.metrics?.algorithmLatency.observe((performance.now() - began) / 1000);
    if (result.kind === 'scheduled') {
      const nodeName = result.node.name;
      this.cache.assume(info, nodeName);
      this.opts.metrics?.attempts.inc({ result: 'scheduled' });
      if (this.binding >= this.bindConcurrency) await new Promise<void>((r) => this.bindSlots.push(r));
      this.binding++;
      this.track(this.bind(q, nodeName));
      return;
    }
    this.opts.metrics?.attempts.inc({ result: 'unschedulable' });
    let postFilter = '';
    {
      const p = findPreemption(this.algorithm.profile, info, this.cache, result.diagnosis);
      if (p.kind === 'preempt') {
        const { node, victims } = p.preemption;
        this.cache.nominate(info, node.name);
        this.opts.metrics?.preemptionVictims.inc(victims.length);
        this.log.info({ pod: info.key, node: node.name, victims: victims.map((v) => v.key) }, 'preempting');
        this.track(
          this.writer.preempt(info.pod, node.name, victims.map((v) => v.pod)).catch((err: unknown) => {
            this.log.warn({ err: String(err), pod: info.key }, 'preemption failed');
          }),
        );
      } else {
        postFilter = p.message;
      }
    }
    const message = postFilter ? fitErrorMessage(result.diagnosis.numAllNodes, result.diagnosis.nodeStatuses.values(), postFilter) : result.message;
    this.queue.failed(q, true);
    this.track(
      this.writer.reportUnschedulable(info.pod, message).catch((err: unknown) => {
        this.log.warn({ err: String(err), pod: info.key }, 'could not report an unschedulable pod');
      }),
    );
  }

  private async bind(q: QueuedPod, nodeName: string): Promise<void> {
    const info = q.info;
    try {
      await this.writer.bind(info.pod, nodeName);
      this.queue.done(info.key);
      const queuedMs = Date.now() - q.firstQueuedMs;
      this.opts.metrics?.e2eLatency.observe(queuedMs / 1000);
      this.opts.onBound?.(info, nodeName, queuedMs);
    } catch (err) {
      this.cache.forget(info.key);
      const kind = this.opts.classifyBindError?.(err) ?? 'retry';
      if (kind === 'retry') {
        this.log.warn({ err: String(err), pod: info.key, node: nodeName }, 'binding failed; retrying');
        this.queue.failed(q, false);
      } else {
        // Deleted, or bound by someone else: the informer tells us the rest.
        this.queue.done(info.key);
      }
    } finally {
      this.binding--;
      this.bindSlots.shift()?.();
    }
  }

  private updateGauges(): void {
    const m = this.opts.metrics;
    if (!m) return;
    m.pending.set({ queue: 'active' }, this.queue.pendingActive);
    m.pending.set({ queue: 'unschedulable' }, this.queue.unschedulableCount);
  }
}
