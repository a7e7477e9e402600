// etcd keeps every revision until compacted. Like kube-apiserver, compact on an interval to
// the revision seen one interval ago, so watchers always have at least one interval to resume.
import type { Logger } from '../log.js';
import type { Store } from './store.js';

export class Compactor {
  private timer?: NodeJS.Timeout;
  private last?: number;

  constructor(
    private readonly store: Store,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async tick(): Promise<void> {
    try {
      const now = await this.store.currentRevision();
      if (this.last !== undefined && this.last > 1) {
        await this.store.compact(this.last);
        this.log.info({ revision: this.last }, 'compacted etcd history');
      }
      this.last = now;
    } catch (err) {
      this.log.warn({ err }, 'etcd compaction failed; will retry');
    }
  }
}
