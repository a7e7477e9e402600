import assert from 'node:assert/strict';
import { makeNode, makePod, scoreResults } from '../fixtures.testkit.js';
import { balancedAllocation } from './balanced-allocation.js';

describe('scheduler plugin NodeResourcesBalancedAllocation', () => {
  const cases = [
    { name: 'equal fractions score 100', existing: { cpu: '1', memory: '1Gi' }, want: 100 },
    { name: 'cpu-heavy node scores lower', existing: { cpu: '3', memory: '0' }, want: 62 },
    { name: 'fractions cap at 1', existing: { cpu: '8', memory: '2Gi' }, want: 87 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const node = makeNode({ name: 'n', cpu: '4', memory: '4Gi' });
      const pods = [makePod({ name: 'old', nodeName: 'n', ...c.existing })];
      assert.deepEqual(scoreResults(balancedAllocation, makePod({ name: 'p', cpu: '1', memory: '1Gi' }), [node], pods), { n: c.want });
    });
  }
});
