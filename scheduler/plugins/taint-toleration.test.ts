import assert from 'node:assert/strict';
import type { Taint, Toleration } from '../../api/index.js';
import { filterResults, makeNode, makePod, scoreResults } from '../fixtures.testkit.js';
import { taintToleration } from './taint-toleration.js';
import { tolerates } from './tolerations.js';

describe('scheduler plugin TaintToleration', () => {
  const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const cases: { name: string; taints: Taint[]; tolerations?: Toleration[]; want: string }[] = [
    { name: 'untainted node fits', taints: [], want: 'ok' },
    { name: 'NoSchedule taint rejects', taints: [gpu], want: 'node(s) had untolerated taint {dedicated: gpu}' },
    { name: 'NoExecute taint rejects', taints: [{ key: 'k', effect: 'NoExecute' }], want: 'node(s) had untolerated taint {k: }' },
    { name: 'PreferNoSchedule does not reject', taints: [{ key: 'k', effect: 'PreferNoSchedule' }], want: 'ok' },
    { name: 'Equal toleration with the value', taints: [gpu], tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }], want: 'ok' },
    {
      name: 'Equal toleration with another value',
      taints: [gpu],
      tolerations: [{ key: 'dedicated', value: 'cpu' }],
      want: 'node(s) had untolerated taint {dedicated: gpu}',
    },
    { name: 'Exists toleration for the key', taints: [gpu], tolerations: [{ key: 'dedicated', operator: 'Exists' }], want: 'ok' },
    {
      name: 'toleration for another effect',
      taints: [gpu],
      tolerations: [{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }],
      want: 'node(s) had untolerated taint {dedicated: gpu}',
    },
    {
      name: 'first untolerated taint is named',
      taints: [gpu, { key: 'zone', value: 'x', effect: 'NoSchedule' }],
      tolerations: [{ key: 'dedicated', operator: 'Exists' }],
      want: 'node(s) had untolerated taint {zone: x}',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod({ name: 'p', ...(c.tolerations ? { tolerations: c.tolerations } : {}) });
      assert.deepEqual(filterResults(taintToleration, pod, [makeNode({ name: 'n', taints: c.taints })]), { n: c.want });
    });
  }

  it('tolerates: an unknown operator tolerates nothing', () => {
    assert.equal(tolerates({ key: 'k', operator: 'Bogus' }, { key: 'k', effect: 'NoSchedule' }), false);
  });

  it('scores fewer untolerated PreferNoSchedule taints higher', () => {
    const soft = (key: string): Taint => ({ key, value: 'v', effect: 'PreferNoSchedule' });
    const nodes = [makeNode({ name: 'none' }), makeNode({ name: 'one', taints: [soft('a')] }), makeNode({ name: 'two', taints: [soft('a'), soft('b')] })];
    assert.deepEqual(scoreResults(taintToleration, makePod({ name: 'p' }), nodes), { none: 100, one: 50, two: 0 });
    const tolerant = makePod({ name: 'p', tolerations: [{ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }] });
    assert.deepEqual(scoreResults(taintToleration, tolerant, nodes), { none: 100, one: 100, two: 0 });
  });
});
