import assert from 'node:assert/strict';
import { filterResults, makeNode, makePod } from '../fixtures.testkit.js';
import { nodeUnschedulable } from './node-unschedulable.js';

describe('scheduler plugin NodeUnschedulable', () => {
  const cases = [
    { name: 'schedulable node fits', unschedulable: false, tolerations: undefined, want: 'ok' },
    { name: 'cordoned node rejects', unschedulable: true, tolerations: undefined, want: 'node(s) were unschedulable' },
    {
      name: 'cordoned node takes a pod tolerating the unschedulable taint',
      unschedulable: true,
      tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }],
      want: 'ok',
    },
    { name: 'a wildcard toleration counts', unschedulable: true, tolerations: [{ operator: 'Exists' }], want: 'ok' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod({ name: 'p', ...(c.tolerations ? { tolerations: c.tolerations } : {}) });
      assert.deepEqual(filterResults(nodeUnschedulable, pod, [makeNode({ name: 'n', unschedulable: c.unschedulable })]), { n: c.want });
    });
  }
});
