// The scheduling queue (after kube-scheduler's PriorityQueue): an active heap ordered by
// priority then time queued; a back-off heap for pods that just failed (1 s doubling to 10 s);
// an unschedulable set that cluster events (or 60 s) move back. Pure: time comes from `now`.
import type { PodInfo } from './pod-info.js';

export interface QueuedPod {
  info: PodInfo;
  /** When the pod was (re)queued: the active heap's age order. */
  timestamp: number;
  attempts: number;
  /** First time the pod was queued (end-to-end latency). */
  firstQueuedMs: number;
  backoffUntil: number;
  /** The scheduling cycle of the latest attempt. */
  cycle: number;
}

export interface QueueOptions {
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a pod stays unschedulable without a cluster event before it is retried anyway. */
  unschedulableTimeoutMs?: number;
  now?: () => number;
}

class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length;
  }
  peek(): T | undefined {
    return this.items[0];
  }
  push(x: T): void {
    const a = this.items;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Keys live in at most one of active/backoff/unschedulable. The heaps hold entries lazily:
 * an entry whose key has since moved or been deleted is dropped when it surfaces.
 */
export class SchedulingQueue {
  private readonly entries = new Map<string, { q: QueuedPod; where: 'active' | 'backoff' | 'unschedulable' }>();
  private readonly active = new Heap<QueuedPod>((a, b) =>
    a.info.priority !== b.info.priority ? a.info.priority > b.info.priority : a.timestamp < b.timestamp,
  );
  private readonly backoff = new Heap<QueuedPod>((a, b) => a.backoffUntil < b.backoffUntil);
  /** The 'unschedulable' entries, so cluster events need not scan every queued pod. */
  private readonly parked = new Map<string, QueuedPod>();
  /** Pods popped and not yet done: an update to them is remembered, not queued twice. */
  private readonly inFlight = new Map<string, PodInfo | undefined>();
  private waiters: (() => void)[] = [];
  private activeCount = 0;
  private closed = false;
  private cycle = 0;
  private moveRequestCycle = -1;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly unschedulableTimeoutMs: number;
  private readonly now: () => number;

  constructor(opts: QueueOptions = {}) {
    this.initialBackoffMs = opts.initialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 10_000;
    this.unschedulableTimeoutMs = opts.unschedulableTimeoutMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  get unschedulableCount(): number {
    return this.parked.size;
  }

  /**
   * A new pending pod, or a pending pod that changed. Only a changed spec or labels
   * (`relevant`) retries a parked unschedulable pod; status writes do not.
   */
  add(info: PodInfo, relevant = true): void {
    if (this.inFlight.has(info.key)) {
      this.inFlight.set(info.key, info);
      return;
    }
    const e = this.entries.get(info.key);
    if (e) {
      e.q.info = info;
      // A changed pod that was unschedulable may fit now.
      if (e.where === 'unschedulable' && relevant) this.requeue(e.q);
      return;
    }
    const now = this.now();
    this.toActive({ info, timestamp: now, attempts: 0, firstQueuedMs: now, backoffUntil: 0, cycle: 0 });
  }

  /** The pod was deleted, or bound (by us or someone else). */
  delete(key: string): void {
    if (this.entries.get(key)?.where === 'active') this.activeCount--;
    this.entries.delete(key);
    this.parked.delete(key);
    if (this.inFlight.has(key)) this.inFlight.set(key, undefined);
  }

  get pendingActive(): number {
    return this.activeCount;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The next pod to schedule without waiting, or undefined. */
  tryPop(): QueuedPod | undefined {
    for (;;) {
      const q = this.active.pop();
      if (!q) return undefined;
      const e = this.entries.get(q.info.key);
      if (!e || e.q !== q || e.where !== 'active') continue; // stale heap entry
      this.entries.delete(q.info.key);
      this.activeCount--;
      this.inFlight.set(q.info.key, q.info);
      q.attempts++;
      this.cycle++;
      q.cycle = this.cycle;
      return q;
    }
  }

  /** Waits for the next pod; undefined once closed. */
  async pop(): Promise<QueuedPod | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const q = this.tryPop();
      if (q) return q;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Scheduling (and binding) succeeded. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * The attempt failed: back off, or park as unschedulable unless the cluster changed while the
   * pod was being scheduled (then back off, since the change may already help). A pod deleted
   * meanwhile is dropped; one updated meanwhile is retried with its new spec.
   */
  failed(q: QueuedPod, unschedulable: boolean): void {
    if (!this.inFlight.has(q.info.key)) return;
    const latest = this.inFlight.get(q.info.key);
    this.inFlight.delete(q.info.key);
    if (latest === undefined) return;
    q.info = latest;
    const now = this.now();
    q.timestamp = now;
    q.backoffUntil = now + Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** Math.max(0, q.attempts - 1));
    if (unschedulable && this.moveRequestCycle < q.cycle) {
      this.entries.set(q.info.key, { q, where: 'unschedulable' });
      this.parked.set(q.info.key, q);
    } else {
      this.toBackoff(q);
    }
  }

  /** A cluster event that may make unschedulable pods fit (node added/updated, pod deleted). */
  moveAllToActiveOrBackoff(): void {
    this.moveRequestCycle = this.cycle;
    for (const q of [...this.parked.values()]) this.requeue(q);
  }

  /**
   * A queueing hint: retries only the parked pods the event may help (kube-scheduler's
   * QueueingHint), e.g. those whose required pod affinity a newly placed pod satisfies.
   */
  moveIfHelped(helped: (info: PodInfo) => boolean): void {
    for (const q of [...this.parked.values()]) if (helped(q.info)) this.requeue(q);
  }

  /** Moves due back-off pods to active and times out long-unschedulable ones; call about every second. */
  flush(): void {
    const now = this.now();
    for (;;) {
      const top = this.backoff.peek();
      if (!top || top.backoffUntil > now) break;
      this.backoff.pop();
      const e = this.entries.get(top.info.key);
      if (e && e.q === top && e.where === 'backoff') this.toActive(top);
    }
    for (const q of [...this.parked.values()]) if (now - q.timestamp >= this.unschedulableTimeoutMs) this.requeue(q);
  }

  /** Lets pop() wait again after close() (a new term of leadership). */
  reopen(): void {
    this.closed = false;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }

  private requeue(q: QueuedPod): void {
    this.parked.delete(q.info.key);
    if (q.backoffUntil > this.now()) this.toBackoff(q);
    else this.toActive(q);
  }

  private toBackoff(q: QueuedPod): void {
    const e = this.entries.get(q.info.key);
    if (e?.where === 'active') this.activeCount--;
    this.entries.set(q.info.key, { q, where: 'backoff' });
    this.backoff.push(q);
  }

  private toActive(q: QueuedPod): void {
    const e = this.entries.get(q.info.key);
    if (e?.where === 'active' && e.q === q) return;
    if (e?.where !== 'active') this.activeCount++;
    this.entries.set(q.info.key, { q, where: 'active' });
    this.active.push(q);
    this.wake();
  }

  private wake(): void {
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w();
  }
}
