// Scheduled etcd snapshots with retention, as k3s's `--etcd-snapshot-schedule-cron` and
// `--etcd-snapshot-retention`: at every time the cron expression names, a snapshot goes to
// `<dir>/etcd-snapshot-<time>.db`, and only the newest `retention` of them are kept. The clock
// and the wait are injected so tests need not wait for real minutes.
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { nextRun, parseCron } from './cron.js';
import { saveSnapshot, type SavedSnapshot } from './etcd-snapshot.js';

export interface ScheduleOptions {
  cron: string;
  retention: number;
  dir: string;
  etcdUrl: string;
  log: (line: string) => void;
  now?: () => Date;
  /** Resolves after `ms`, or early when the signal aborts. */
  wait?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const prefix = 'etcd-snapshot-';

const realWait = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

/** The snapshot files in `dir`, oldest first (their names sort by time). */
export function scheduledSnapshots(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.db')).sort();
  } catch {
    return [];
  }
}

/** Removes all but the newest `retention` snapshots; returns the removed names. */
export function pruneSnapshots(dir: string, retention: number): string[] {
  const all = scheduledSnapshots(dir);
  const old = all.slice(0, Math.max(0, all.length - retention));
  for (const f of old) rmSync(join(dir, f), { force: true });
  return old;
}

/** Runs until `stop()`; a failed snapshot is logged and the schedule goes on. */
export function startSnapshotSchedule(opts: ScheduleOptions): { stop: () => Promise<void>; taken: SavedSnapshot[] } {
  const cron = parseCron(opts.cron);
  if (!Number.isInteger(opts.retention) || opts.retention < 1) throw new Error(`--etcd-snapshot-retention: give a whole number of at least 1, not ${opts.retention}`);
  const now = opts.now ?? (() => new Date());
  const wait = opts.wait ?? realWait;
  const abort = new AbortController();
  const taken: SavedSnapshot[] = [];
  mkdirSync(opts.dir, { recursive: true, mode: 0o700 });
  const loop = (async () => {
    while (!abort.signal.aborted) {
      const at = nextRun(cron, now());
      await wait(Math.max(0, at.getTime() - now().getTime()), abort.signal);
      if (abort.signal.aborted) return;
      const name = `${prefix}${at.toISOString().replace(/[:.]/g, '-')}.db`;
      try {
        const saved = await saveSnapshot(opts.etcdUrl, join(opts.dir, name));
        taken.push(saved);
        const pruned = pruneSnapshots(opts.dir, opts.retention);
        opts.log(`etcd snapshot ${saved.file} (${saved.bytes} bytes, revision ${saved.revision})${pruned.length ? `; removed ${pruned.join(', ')}` : ''}`);
      } catch (err) {
        opts.log(`! scheduled etcd snapshot failed: ${(err as Error).message}`);
      }
    }
  })();
  return {
    taken,
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}
