import assert from 'node:assert/strict';
import { filterResults, makeNode, makePod } from '../fixtures.testkit.js';
import { nodeReady } from './node-ready.js';

describe('scheduler plugin NodeReady', () => {
  const cases = [
    { name: 'Ready=True fits', ready: true, want: 'ok' },
    { name: 'Ready=False is rejected', ready: false, want: 'node(s) were not ready' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(filterResults(nodeReady, makePod({ name: 'p' }), [makeNode({ name: 'n', ready: c.ready })]), { n: c.want });
    });
  }
  it('a node without conditions is not ready', () => {
    const node = makeNode({ name: 'n' });
    delete node.status!.conditions;
    assert.deepEqual(filterResults(nodeReady, makePod({ name: 'p' }), [node]), { n: 'node(s) were not ready' });
  });
});
