// Scheduled snapshots against the run's real etcd, with a fake clock: each scheduled minute
// writes a snapshot, and only the newest `retention` stay.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEtcdUrl } from '../testing/etcd.js';
import { waitFor } from '../testing/wait.js';
import { scheduledSnapshots, startSnapshotSchedule } from './snapshot-schedule.js';

describe('scheduled etcd snapshots', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-snapsched-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes one at each scheduled time and keeps the newest `retention`', async () => {
    let clock = new Date('2026-12-04T10:58:30');
    const waits: number[] = [];
    const lines: string[] = [];
    const sched = startSnapshotSchedule({
      cron: '*/2 * * * *',
      retention: 2,
      dir,
      etcdUrl: testEtcdUrl(),
      log: (l) => lines.push(l),
      now: () => clock,
      wait: async (ms) => {
        waits.push(ms);
        clock = new Date(clock.getTime() + ms);
      },
    });
    await waitFor('four snapshots', () => sched.taken.length >= 4, 30_000);
    await sched.stop();
    assert.deepEqual(waits.slice(0, 3), [90_000, 120_000, 120_000], 'waits until 11:00, 11:02, 11:04');
    const kept = scheduledSnapshots(dir);
    assert.equal(kept.length, 2, kept.join(', '));
    const names = sched.taken.map((s) => s.file.split('/').pop());
    assert.deepEqual(kept, names.slice(-2), 'the newest two');
    for (const f of kept) assert.ok(statSync(join(dir, f)).size > 0);
    assert.match(lines.join('\n'), /removed etcd-snapshot-/);
  });

  it('refuses a bad schedule or retention with the flag named', () => {
    assert.throws(() => startSnapshotSchedule({ cron: 'every hour', retention: 5, dir, etcdUrl: testEtcdUrl(), log: () => {} }), /5 fields/);
    assert.throws(() => startSnapshotSchedule({ cron: '0 * * * *', retention: 0, dir, etcdUrl: testEtcdUrl(), log: () => {} }), /--etcd-snapshot-retention/);
  });
});
