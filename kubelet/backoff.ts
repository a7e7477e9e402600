// CrashLoopBackOff as the kubelet keys it: per pod and container, measured from when the
// container last finished. The first restart is immediate; each later one waits twice as long
// as the previous (10 s doubling to 5 min), and a container that stayed up for 2×max (10 min)
// starts over from the initial delay.
export interface BackoffLimits {
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffLimits = { initialMs: 10_000, maxMs: 300_000 };

interface Entry {
  delayMs: number;
  lastFinish: number;
}

export class CrashBackoff {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly limits: BackoffLimits = defaultBackoff) {}

  private fresh(key: string, finishedAt: number): Entry | undefined {
    const e = this.entries.get(key);
    if (e && finishedAt - e.lastFinish > 2 * this.limits.maxMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Milliseconds still to wait before restarting a container that finished at `finishedAt` (0 = go). */
  remaining(key: string, finishedAt: number, now = Date.now()): number {
    const e = this.fresh(key, finishedAt);
    if (!e) return 0;
    return Math.max(0, finishedAt + e.delayMs - now);
  }

  /** Records a restart of a container that finished at `finishedAt`; returns the next delay. */
  next(key: string, finishedAt: number): number {
    const e = this.fresh(key, finishedAt);
    const delayMs = e ? Math.min(e.delayMs * 2, this.limits.maxMs) : this.limits.initialMs;
    this.entries.set(key, { delayMs, lastFinish: finishedAt });
    return delayMs;
  }

  /** Current delay for a key (for the BackOff message), 0 when none. */
  delay(key: string): number {
    return this.entries.get(key)?.delayMs ?? 0;
  }

  forgetPrefix(prefix: string): void {
    for (const k of this.entries.keys()) if (k.startsWith(prefix)) this.entries.delete(k);
  }
}
