import assert from 'node:assert/strict';
import type { Job } from '../../api/index.js';
import { eventually, startControllers, type Harness } from '../support.testkit.js';
import { expiresIn, ttlAfterFinishedController } from './index.js';

const finished = (ttl: number | undefined, at: string, type = 'Complete'): Job => ({
  metadata: { name: 'j' },
  spec: { template: {}, ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) },
  status: { conditions: [{ type, status: 'True', lastTransitionTime: at }] },
} as Job);

describe('ttl-after-finished controller', function () {
  this.timeout(30_000);

  it('computes expiry from the finish time (pure, fixed clock)', () => {
    const now = Date.parse('2026-01-01T00:01:00Z');
    assert.equal(expiresIn(finished(100, '2026-01-01T00:00:00Z'), now), 40_000);
    assert.equal(expiresIn(finished(10, '2026-01-01T00:00:00Z', 'Failed'), now), -50_000);
    assert.equal(expiresIn(finished(undefined, '2026-01-01T00:00:00Z'), now), undefined);
    assert.equal(expiresIn({ ...finished(5, '2026-01-01T00:00:00Z'), status: {} } as Job, now), undefined, 'a running Job never expires');
  });

  describe('against a real apiserver', () => {
    let h: Harness;
    // The controller's clock runs an hour ahead: a Job that finished "now" is long expired.
    before(async () => {
      h = await startControllers([ttlAfterFinishedController({ now: () => Date.now() + 3_600_000 })]);
    });
    after(async () => h?.stop());

    it('deletes a finished Job past its TTL and keeps one without a TTL', async () => {
      const cs = h.cs;
      const spec = { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } };
      for (const [name, ttl] of [['short', 60], ['forever', undefined]] as const) {
        await cs.jobs.create('default', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name }, spec: { ...spec, ...(ttl ? { ttlSecondsAfterFinished: ttl } : {}) } } as Job);
        const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
        await cs.jobs.patchStatus('default', name, { status: { startTime: t, completionTime: t, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: t, reason: 'CompletionsReached' }] } });
      }
      await eventually('short deleted (or being deleted in the foreground)', async () => {
        try {
          return !!(await cs.jobs.get('default', 'short')).metadata?.deletionTimestamp;
        } catch {
          return true;
        }
      });
      assert.ok(!(await cs.jobs.get('default', 'forever')).metadata?.deletionTimestamp);
    });
  });
});
