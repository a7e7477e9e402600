import assert from 'node:assert/strict';
import { filterResults, makeNode, makePod } from '../fixtures.testkit.js';
import { nodeName } from './node-name.js';

describe('scheduler plugin NodeName', () => {
  const nodes = [makeNode({ name: 'a' }), makeNode({ name: 'b' })];
  const cases = [
    { name: 'no nodeName fits everywhere', nodeName: undefined, want: { a: 'ok', b: 'ok' } },
    { name: 'nodeName fits only that node', nodeName: 'b', want: { a: "node(s) didn't match the requested node name", b: 'ok' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod({ name: 'p', ...(c.nodeName ? { nodeName: c.nodeName } : {}) });
      assert.deepEqual(filterResults(nodeName, pod, nodes), c.want);
    });
  }
});
