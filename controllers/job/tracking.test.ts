// Finalizer-based tracking and pod planning as pure functions: no pod counted twice or lost
// whichever step a controller crash interrupts.
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../api/index.js';
import { nextBackoffRecord, remainingBackoff } from './backoff.js';
import { formatIndexes, parseIndexes } from './indexes.js';
import { planPods } from './manage.js';
import { trackingFinalizer } from './pods.js';
import { countReleased, recordFinished } from './tracking.js';

const job = (spec: Partial<NonNullable<Job['spec']>> = {}, status: Job['status'] = {}): Job => ({
  metadata: { name: 'j', namespace: 'default', uid: 'job-uid' },
  spec: { template: {}, parallelism: 2, completions: 4, backoffLimit: 6, completionMode: 'NonIndexed', ...spec },
  status,
});

function pod(uid: string, phase: string | undefined, opts: { tracked?: boolean; index?: number; created?: string } = {}): Pod {
  return {
    metadata: {
      name: `p-${uid}`, namespace: 'default', uid, creationTimestamp: opts.created ?? '2026-01-01T00:00:00Z',
      finalizers: opts.tracked === false ? [] : [trackingFinalizer],
      ...(opts.index !== undefined ? { annotations: { 'batch.kubernetes.io/job-completion-index': String(opts.index) } } : {}),
    },
    spec: { containers: [] },
    status: phase ? { phase } : {},
  } as Pod;
}

describe('job tracking', () => {
  it('records finished pods by uid before anything is counted', () => {
    const t = recordFinished(job(), [pod('a', 'Succeeded'), pod('b', 'Failed'), pod('c', 'Running'), pod('d', 'Succeeded', { tracked: false })]);
    assert.ok(t.recordFirst);
    assert.deepEqual(t.status.uncountedTerminatedPods, { succeeded: ['a'], failed: ['b'] });
    assert.deepEqual(t.release.map((p) => p.metadata?.uid), ['a', 'b']);
    assert.equal(t.status.succeeded, undefined, 'counters move only after the finalizers are gone');
  });

  it('after a crash between recording and releasing: releases again, records nothing new, counts once', () => {
    const j = job({}, { succeeded: 1, uncountedTerminatedPods: { succeeded: ['a'] } });
    const pods = [pod('a', 'Succeeded')];
    const t = recordFinished(j, pods);
    assert.equal(t.recordFirst, false);
    assert.equal(t.release.length, 1);
    const status = structuredClone(t.status);
    countReleased(j, status, pods, new Set(['a']), Date.now());
    assert.equal(status.succeeded, 2);
    assert.deepEqual(status.uncountedTerminatedPods, {});
  });

  it('after a crash between releasing and counting: a released (or vanished) uid is counted, once', () => {
    const j = job({}, { failed: 2, uncountedTerminatedPods: { failed: ['x', 'y'] } });
    const status = structuredClone(j.status!);
    // x lost its finalizer, y is gone altogether: both count; nothing is left uncounted.
    countReleased(j, status, [pod('x', 'Failed', { tracked: false })], new Set(), Date.now());
    assert.equal(status.failed, 4);
    assert.deepEqual(recordFinished({ ...j, status }, [pod('x', 'Failed', { tracked: false })]).release, []);
  });

  it('counts an Indexed Job\'s successes as completed indexes; a second success of an index is not counted', () => {
    const j = job({ completionMode: 'Indexed', completions: 3 }, { completedIndexes: '1' });
    const t = recordFinished(j, [pod('a', 'Succeeded', { index: 1 }), pod('b', 'Succeeded', { index: 2 })]);
    assert.equal(t.status.completedIndexes, '1,2');
    assert.deepEqual(t.status.uncountedTerminatedPods, { succeeded: ['b'] });
  });

  it('marks an index failed past backoffLimitPerIndex', () => {
    const j = job({ completionMode: 'Indexed', completions: 3, backoffLimitPerIndex: 1 });
    const second = pod('b', 'Failed', { index: 0 });
    second.metadata!.annotations!['batch.kubernetes.io/job-index-failure-count'] = '1';
    assert.equal(recordFinished(j, [pod('a', 'Failed', { index: 2 })]).status.failedIndexes, '');
    assert.equal(recordFinished(j, [second]).status.failedIndexes, '0');
  });
});

describe('job pod planning', () => {
  it('creates up to parallelism, capped by the completions still missing', () => {
    assert.equal(planPods(job(), [], [], 0).create.length, 2);
    assert.equal(planPods(job(), [], [], 3).create.length, 1);
    assert.equal(planPods(job({ parallelism: 5 }), [pod('a', 'Running')], [], 2).create.length, 1);
  });

  it('removes extra pods when parallelism drops', () => {
    const plan = planPods(job({ parallelism: 1 }), [pod('a', 'Running'), pod('b', 'Pending')], [], 0);
    assert.deepEqual(plan.delete.map((p) => p.metadata?.uid), ['b']);
  });

  it('a work queue (no completions) starts no new pod once one succeeded', () => {
    assert.equal(planPods(job({ completions: undefined, parallelism: 3 }), [pod('a', 'Running')], [], 1).create.length, 0);
    assert.equal(planPods(job({ completions: undefined, parallelism: 3 }), [], [], 0).create.length, 3);
  });

  it('Indexed: fills the lowest open indexes, deletes duplicates and pods of completed indexes', () => {
    const j = job({ completionMode: 'Indexed', completions: 5, parallelism: 3 }, { completedIndexes: '0' });
    const active = [pod('a', 'Running', { index: 0 }), pod('b', 'Running', { index: 2 }), pod('c', 'Running', { index: 2, created: '2026-01-01T00:00:05Z' })];
    const plan = planPods(j, active, active, 1);
    assert.deepEqual(plan.delete.map((p) => p.metadata?.uid).sort(), ['a', 'c']);
    assert.deepEqual(plan.create.map((c) => c.index), [1, 3]);
  });

  it('index sets print as Kubernetes does', () => {
    assert.equal(formatIndexes([7, 0, 2, 3, 4, 9, 10]), '0,2-4,7,9,10');
    assert.deepEqual([...parseIndexes('0,2-4,7', 5)], [0, 2, 3, 4]);
  });

  it('back-off doubles per failure since the last success, capped', () => {
    const policy = { baseMs: 10_000, maxMs: 600_000 };
    const rec = nextBackoffRecord(undefined, [{ failed: true, at: 1000 }, { failed: true, at: 2000 }]);
    assert.equal(remainingBackoff(rec, policy, 2000), 20_000);
    assert.equal(remainingBackoff(nextBackoffRecord(rec, [{ failed: false, at: 3000 }]), policy, 3000), 0);
    assert.equal(remainingBackoff({ failuresAfterLastSuccess: 20, lastFailureTime: 0 }, policy, 0), 600_000);
  });
});
