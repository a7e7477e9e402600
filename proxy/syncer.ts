// Applies the computed ruleset: at most one sync at a time, at least `minIntervalMs` apart, and
// an iptables-restore only when the text differs from what we last wrote. The first sync always
// writes (replacing whatever a crashed predecessor left) and deletes stale chains of ours.
import type { Logger } from '../client/index.js';
import type { Iptables } from './iptables.js';
import type { ProxyMetrics } from './metrics.js';
import { restoreText, type ExistingChains, type Ruleset } from './rules.js';

export interface SyncerOptions {
  iptables: Iptables;
  compute: () => Ruleset;
  log: Logger;
  metrics?: ProxyMetrics;
  minIntervalMs?: number;
  /** Rewrite everything (and re-check the hooks) this often even if nothing changed; 0 = never. */
  fullResyncMs?: number;
  /** Called after each successful iptables-restore with what was written (benchmarks, tests). */
  onWrite?: (rs: Ruleset) => void;
}

export class RuleSyncer {
  private lastText: string | undefined;
  private existing: ExistingChains | undefined;
  private lastSyncAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private pending = false;
  private force = true;
  /** Earliest not-yet-programmed change (ms since epoch), for the latency histogram. */
  private changeSince: number | undefined;
  private resync: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly opts: SyncerOptions) {
    const every = opts.fullResyncMs ?? 0;
    if (every > 0) {
      this.resync = setInterval(() => {
        this.force = true;
        this.request();
      }, every);
      this.resync.unref();
    }
  }

  /** Something changed (at `changedAt`, default now): sync soon. */
  request(changedAt?: number): void {
    if (this.stopped) return;
    if (changedAt !== undefined) this.changeSince = Math.min(this.changeSince ?? changedAt, changedAt);
    this.pending = true;
    if (this.timer || this.running) return;
    const wait = Math.max(0, this.lastSyncAt + (this.opts.minIntervalMs ?? 100) - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.syncLoop().finally(() => {
        this.running = undefined;
        if (this.pending) this.request();
      });
    }, wait);
  }

  /** Resolves after the next sync that finds nothing pending. */
  idle(): Promise<void> {
    if (!this.pending && !this.running && !this.timer) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private async syncLoop(): Promise<void> {
    this.pending = false;
    const since = this.changeSince;
    this.changeSince = undefined;
    const start = Date.now();
    try {
      const changed = await this.syncOnce();
      const end = Date.now();
      this.opts.metrics?.syncDuration.observe((end - start) / 1000);
      if (changed && since !== undefined) this.opts.metrics?.programmingLatency.observe((end - since) / 1000);
      this.opts.metrics?.lastSync.set(end / 1000);
    } catch (err) {
      this.opts.metrics?.syncErrors.inc();
      this.opts.log.error({ err }, 'failed to program iptables rules; retrying');
      this.force = true;
      this.pending = true;
      if (since !== undefined) this.changeSince = Math.min(this.changeSince ?? since, since);
    } finally {
      this.lastSyncAt = Date.now();
    }
    if (!this.pending) for (const w of this.waiters.splice(0)) w();
  }

  /** Returns whether rules were written. */
  private async syncOnce(): Promise<boolean> {
    const rs = this.opts.compute();
    const existing = this.existing ?? (await this.opts.iptables.existing());
    const text = restoreText(rs, existing);
    if (!this.force && text === this.lastText) return false;
    const forced = this.force;
    await this.opts.iptables.restore(rs, existing);
    if (forced) await this.opts.iptables.ensureHooks();
    this.force = false;
    this.lastText = restoreText(rs, { filter: rs.filterChains, nat: rs.natChains });
    this.existing = { filter: rs.filterChains, nat: rs.natChains };
    this.opts.metrics?.rulesWritten.inc();
    this.opts.onWrite?.(rs);
    this.opts.log.debug({ natChains: rs.natChains.length, natRules: rs.natRules.length, filterRules: rs.filterRules.length }, 'programmed iptables rules');
    return true;
  }

  /** Stops syncing; waits for a sync under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.resync) clearInterval(this.resync);
    await this.running;
    for (const w of this.waiters.splice(0)) w();
  }
}
