import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { podsToDelete } from './ranking.js';

function pod(name: string, o: { node?: string; phase?: string; readySince?: string; restarts?: number; created?: string } = {}): Pod {
  return {
    metadata: { name, creationTimestamp: o.created ?? '2024-01-01T00:00:00Z' },
    spec: { containers: [{ name: 'c', image: 'x' }], ...(o.node ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Pending',
      ...(o.readySince ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince }] } : {}),
      containerStatuses: [{ name: 'c', image: 'x', imageID: '', ready: !!o.readySince, restartCount: o.restarts ?? 0 }],
    },
  } as Pod;
}

describe('replicaset: which pods a scale-down deletes first', () => {
  it('orders unscheduled, Pending < Unknown < Running, unready, recently ready, restarts, newest', () => {
    const pods = [
      pod('old-ready', { node: 'n', phase: 'Running', readySince: '2024-01-01T00:00:00Z' }),
      pod('new-ready', { node: 'n', phase: 'Running', readySince: '2024-01-02T00:00:00Z' }),
      pod('running-unready', { node: 'n', phase: 'Running' }),
      pod('unknown', { node: 'n', phase: 'Unknown' }),
      pod('pending', { node: 'n', phase: 'Pending' }),
      pod('unscheduled', {}),
      pod('restarty', { node: 'n', phase: 'Running', readySince: '2024-01-01T00:00:00Z', restarts: 5 }),
    ];
    const order = podsToDelete(pods, pods.length - 1).map((p) => p.metadata?.name);
    assert.deepEqual(order, ['unscheduled', 'pending', 'unknown', 'running-unready', 'new-ready', 'restarty']);
  });

  it('deletes the newer of two otherwise equal pods', () => {
    const a = pod('a', { created: '2024-01-01T00:00:00Z' });
    const b = pod('b', { created: '2024-01-03T00:00:00Z' });
    assert.deepEqual(podsToDelete([a, b], 1).map((p) => p.metadata?.name), ['b']);
  });
});
