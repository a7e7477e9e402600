import assert from 'node:assert/strict';
import { Algorithm, fitErrorMessage } from './algorithm.js';
import { makeCache, makeNode, makePod } from './fixtures.testkit.js';
import { newPodInfo } from './pod-info.js';
import { findPreemption } from './preemption.js';

describe('scheduler preemption', () => {
  const nodes = [makeNode({ name: 'a', cpu: '4' }), makeNode({ name: 'b', cpu: '4' }), makeNode({ name: 'tainted', cpu: '4', taints: [{ key: 'x', effect: 'NoSchedule' }] })];

  function preempt(pods: ReturnType<typeof makePod>[], preemptor: ReturnType<typeof makePod>) {
    const cache = makeCache(nodes, pods);
    const info = newPodInfo(preemptor);
    const algo = new Algorithm();
    const r = algo.schedule(info, cache);
    assert.equal(r.kind, 'unschedulable');
    if (r.kind !== 'unschedulable') throw new Error('unreachable');
    return findPreemption(algo.profile, info, cache, r.diagnosis);
  }

  it('evicts the fewest lowest-priority pods on one node', () => {
    const pods = [
      makePod({ name: 'a-low1', nodeName: 'a', cpu: '2', priority: 1 }),
      makePod({ name: 'a-low2', nodeName: 'a', cpu: '2', priority: 1 }),
      makePod({ name: 'b-low', nodeName: 'b', cpu: '3', priority: 1 }),
      makePod({ name: 'b-mid', nodeName: 'b', cpu: '1', priority: 50 }),
      makePod({ name: 't', nodeName: 'tainted', cpu: '4', priority: 0 }),
    ];
    const r = preempt(pods, makePod({ name: 'vip', cpu: '3', priority: 100 }));
    assert.equal(r.kind, 'preempt');
    if (r.kind === 'preempt') {
      assert.equal(r.preemption.node.name, 'b');
      assert.deepEqual(r.preemption.victims.map((v) => v.pod.metadata?.name), ['b-low']);
    }
  });

  it('never evicts pods of equal or higher priority, and explains why', () => {
    const pods = [
      makePod({ name: 'a1', nodeName: 'a', cpu: '4', priority: 100 }),
      makePod({ name: 'b1', nodeName: 'b', cpu: '4', priority: 200 }),
    ];
    const r = preempt(pods, makePod({ name: 'vip', cpu: '3', priority: 100 }));
    assert.deepEqual(r, {
      kind: 'none',
      message: 'preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod',
    });
    assert.equal(
      fitErrorMessage(3, [], r.kind === 'none' ? r.message : ''),
      '0/3 nodes are available: preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('a pod with preemptionPolicy Never does not preempt', () => {
    const pod = makePod({ name: 'vip', cpu: '3', priority: 100 });
    pod.spec!.preemptionPolicy = 'Never';
    const r = preempt([makePod({ name: 'a1', nodeName: 'a', cpu: '4' }), makePod({ name: 'b1', nodeName: 'b', cpu: '4' })], pod);
    assert.equal(r.kind, 'none');
  });
});
