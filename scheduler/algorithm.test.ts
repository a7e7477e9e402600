import assert from 'node:assert/strict';
import { Algorithm, defaultProfile, fitErrorMessage, numFeasibleNodesToFind } from './algorithm.js';
import { unresolvable, unschedulable } from './framework.js';
import { makeCache, makeNode, makePod } from './fixtures.testkit.js';
import { newPodInfo } from './pod-info.js';

describe('scheduler algorithm', () => {
  it('builds the failure message with per-reason counts, sorted as kube-scheduler sorts them', () => {
    const statuses = [
      unschedulable('Insufficient cpu'),
      unschedulable('Insufficient cpu'),
      unschedulable('Insufficient cpu'),
      unresolvable('node(s) had untolerated taint {dedicated: gpu}'),
      unresolvable('node(s) had untolerated taint {dedicated: gpu}'),
    ];
    // kube-scheduler sorts the "<count> <reason>" strings byte-wise (sort.Strings), so "2 …" precedes "3 …".
    assert.equal(fitErrorMessage(5, statuses), '0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.');
    assert.equal(fitErrorMessage(0, []), 'no nodes available to schedule pods');
  });

  it('explains an unschedulable pod across nodes, counting each reason once per node', () => {
    const nodes = [
      makeNode({ name: 'n1', cpu: '1' }),
      makeNode({ name: 'n2', cpu: '1' }),
      makeNode({ name: 'n3', cpu: '1', memory: '1Gi' }),
      makeNode({ name: 'g1', cpu: '8', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
      makeNode({ name: 'g2', cpu: '8', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }),
    ];
    const result = new Algorithm().schedule(newPodInfo(makePod({ name: 'p', cpu: '2', memory: '2Gi' })), makeCache(nodes));
    assert.equal(result.kind, 'unschedulable');
    assert.equal(
      result.kind === 'unschedulable' && result.message,
      '0/5 nodes are available: 1 Insufficient memory, 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu.',
    );
  });

  it('places a pod on the best-scoring feasible node', () => {
    const nodes = [makeNode({ name: 'small', cpu: '2' }), makeNode({ name: 'big', cpu: '16' }), makeNode({ name: 'cordoned', cpu: '64', unschedulable: true })];
    const result = new Algorithm().schedule(newPodInfo(makePod({ name: 'p', cpu: '1' })), makeCache(nodes));
    assert.equal(result.kind === 'scheduled' && result.node.name, 'big');
  });

  it('the next pod sees the previous placement (assumed) and spreads by least allocation', () => {
    const cache = makeCache([makeNode({ name: 'a', cpu: '2' }), makeNode({ name: 'b', cpu: '2' })]);
    const algo = new Algorithm();
    const placed: string[] = [];
    for (let i = 0; i < 4; i++) {
      const info = newPodInfo(makePod({ name: `p${i}`, cpu: '1' }));
      const r = algo.schedule(info, cache);
      assert.equal(r.kind, 'scheduled');
      if (r.kind === 'scheduled') {
        cache.assume(info, r.node.name);
        placed.push(r.node.name);
      }
    }
    assert.deepEqual(placed.sort(), ['a', 'a', 'b', 'b']);
    const fifth = algo.schedule(newPodInfo(makePod({ name: 'p4', cpu: '1' })), cache);
    assert.equal(fifth.kind === 'unschedulable' && fifth.message, '0/2 nodes are available: 2 Insufficient cpu.');
  });

  it('samples feasible nodes like percentageOfNodesToScore', () => {
    assert.equal(numFeasibleNodesToFind(0, 50), 50);
    assert.equal(numFeasibleNodesToFind(0, 1000), 420);
    assert.equal(numFeasibleNodesToFind(0, 5000), 500);
    assert.equal(numFeasibleNodesToFind(0, 100_000), 5000);
    assert.equal(numFeasibleNodesToFind(0, 150), 100);
    assert.equal(numFeasibleNodesToFind(100, 5000), 5000);
    const nodes = Array.from({ length: 1000 }, (_, i) => makeNode({ name: `n${i}` }));
    const r = new Algorithm(defaultProfile()).schedule(newPodInfo(makePod({ name: 'p', cpu: '1' })), makeCache(nodes));
    assert.equal(r.kind === 'scheduled' && r.evaluatedNodes, 420);
  });
});
