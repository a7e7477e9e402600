import assert from 'node:assert/strict';
import { makeCache, makeNode, makePod } from './fixtures.testkit.js';
import { newPodInfo } from './pod-info.js';

describe('scheduler cache', () => {
  it('counts bound and assumed pods; forget rolls an assumption back, confirmation keeps it', () => {
    const cache = makeCache([makeNode({ name: 'n' })], [makePod({ name: 'a', nodeName: 'n', cpu: '1' })]);
    const node = cache.get('n')!;
    assert.equal(node.requested.cpu, 1000);
    const b = makePod({ name: 'b', cpu: '500m' });
    cache.assume(newPodInfo(b), 'n');
    assert.equal(node.requested.cpu, 1500);
    cache.forget('default/b');
    assert.equal(node.requested.cpu, 1000);
    cache.assume(newPodInfo(b), 'n');
    cache.setPod({ ...b, spec: { ...b.spec!, nodeName: 'n' } });
    assert.equal(cache.isAssumed('default/b'), false);
    cache.forget('default/b');
    assert.equal(node.requested.cpu, 1500, 'a confirmed pod is not forgotten');
  });

  it('keeps pods bound to a node that appears later, and drops terminal pods', () => {
    const cache = makeCache([], [makePod({ name: 'early', nodeName: 'late', cpu: '1' })]);
    assert.equal(cache.nodes.length, 0);
    cache.setNode(makeNode({ name: 'late' }));
    assert.equal(cache.get('late')!.requested.cpu, 1000);
    const done = makePod({ name: 'early', nodeName: 'late', cpu: '1' });
    done.status = { phase: 'Succeeded' };
    cache.setPod(done);
    assert.equal(cache.get('late')!.requested.cpu, 0);
  });

  it('removes nodes from the list in O(1) and keeps the rest reachable', () => {
    const cache = makeCache(['a', 'b', 'c'].map((name) => makeNode({ name })));
    cache.removeNode('a');
    assert.deepEqual(cache.nodes.map((n) => n.name).sort(), ['b', 'c']);
    assert.equal(cache.get('a'), undefined);
    assert.equal(cache.get('c')!.name, 'c');
  });
});
