// The StatefulSet plan as a pure function: ordering under OrderedReady and Parallel, scale-down
// order, and the rolling update's partition.
import assert from 'node:assert/strict';
import type { Pod, StatefulSet } from '../../api/index.js';
import { planStatefulSet } from './plan.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const sts = (spec: Record<string, unknown> = {}): StatefulSet => ({
  metadata: { name: 'web', generation: 1 },
  spec: { replicas: 3, selector: {}, template: {}, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } }, ...spec },
} as StatefulSet);
function pod(ordinal: number, revision: string, ready = true): Pod {
  return {
    metadata: { name: `web-${ordinal}`, labels: { 'controller-revision-hash': revision } },
    spec: { containers: [] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  } as Pod;
}
const deleted = (ps: Pod[]): string[] => ps.map((p) => p.metadata?.name ?? '');

describe('statefulset plan', () => {
  it('OrderedReady: creates the next ordinal only when all below are Ready', () => {
    assert.deepEqual(planStatefulSet(sts(), [], 'r1', 'r1', now).create, [{ ordinal: 0, revision: 'r1' }]);
    assert.deepEqual(planStatefulSet(sts(), [pod(0, 'r1', false)], 'r1', 'r1', now).create, []);
    assert.deepEqual(planStatefulSet(sts(), [pod(0, 'r1')], 'r1', 'r1', now).create, [{ ordinal: 1, revision: 'r1' }]);
  });

  it('Parallel: creates every missing ordinal at once', () => {
    assert.deepEqual(planStatefulSet(sts({ podManagementPolicy: 'Parallel' }), [], 'r1', 'r1', now).create.map((c) => c.ordinal), [0, 1, 2]);
  });

  it('scales down from the highest ordinal, one at a time when ordered, all at once in Parallel', () => {
    const pods = [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r1'), pod(3, 'r1'), pod(4, 'r1')];
    assert.deepEqual(deleted(planStatefulSet(sts({ replicas: 2 }), pods, 'r1', 'r1', now).delete), ['web-4']);
    assert.deepEqual(deleted(planStatefulSet(sts({ replicas: 2, podManagementPolicy: 'Parallel' }), pods, 'r1', 'r1', now).delete), ['web-4', 'web-3', 'web-2']);
  });

  it('rolls from the top down to the partition, waiting for each pod to be Ready again', () => {
    const pods = [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r1')];
    const partitioned = sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } } });
    assert.deepEqual(deleted(planStatefulSet(partitioned, pods, 'r1', 'r2', now).delete), ['web-2']);
    assert.deepEqual(deleted(planStatefulSet(partitioned, [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r2', false)], 'r1', 'r2', now).delete), []);
    assert.deepEqual(deleted(planStatefulSet(partitioned, [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r2')], 'r1', 'r2', now).delete), ['web-1']);
    assert.deepEqual(deleted(planStatefulSet(partitioned, [pod(0, 'r1'), pod(1, 'r2'), pod(2, 'r2')], 'r1', 'r2', now).delete), [], 'web-0 is below the partition');
    // Recreated below the partition: at the current revision.
    assert.deepEqual(planStatefulSet(partitioned, [pod(1, 'r2'), pod(2, 'r2')], 'r1', 'r2', now).create, [{ ordinal: 0, revision: 'r1' }]);
  });

  it('OnDelete: replaces nothing by itself', () => {
    assert.deepEqual(planStatefulSet(sts({ updateStrategy: { type: 'OnDelete' } }), [pod(0, 'r1'), pod(1, 'r1'), pod(2, 'r1')], 'r1', 'r2', now).delete, []);
  });
});
