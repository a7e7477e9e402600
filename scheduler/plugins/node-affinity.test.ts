import assert from 'node:assert/strict';
import type { Affinity, NodeSelectorRequirement } from '../../api/index.js';
import { filterResults, makeNode, makePod, scoreResults } from '../fixtures.testkit.js';
import { nodeAffinity } from './node-affinity.js';

const MISMATCH = "node(s) didn't match Pod's node affinity/selector";
const required = (...terms: NodeSelectorRequirement[][]): Affinity => ({
  nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms.map((matchExpressions) => ({ matchExpressions })) } },
});

describe('scheduler plugin NodeAffinity', () => {
  const node = makeNode({ name: 'n', labels: { zone: 'a', disk: 'ssd', cores: '8' } });
  const cases: { name: string; nodeSelector?: Record<string, string>; affinity?: Affinity; want: string }[] = [
    { name: 'no selector fits', want: 'ok' },
    { name: 'nodeSelector matches', nodeSelector: { zone: 'a' }, want: 'ok' },
    { name: 'nodeSelector mismatch', nodeSelector: { zone: 'b' }, want: MISMATCH },
    { name: 'In', affinity: required([{ key: 'zone', operator: 'In', values: ['a', 'b'] }]), want: 'ok' },
    { name: 'In mismatch', affinity: required([{ key: 'zone', operator: 'In', values: ['b'] }]), want: MISMATCH },
    { name: 'NotIn', affinity: required([{ key: 'zone', operator: 'NotIn', values: ['b'] }]), want: 'ok' },
    { name: 'NotIn mismatch', affinity: required([{ key: 'zone', operator: 'NotIn', values: ['a'] }]), want: MISMATCH },
    { name: 'NotIn on a missing label', affinity: required([{ key: 'gpu', operator: 'NotIn', values: ['x'] }]), want: 'ok' },
    { name: 'Exists', affinity: required([{ key: 'disk', operator: 'Exists' }]), want: 'ok' },
    { name: 'Exists mismatch', affinity: required([{ key: 'gpu', operator: 'Exists' }]), want: MISMATCH },
    { name: 'DoesNotExist', affinity: required([{ key: 'gpu', operator: 'DoesNotExist' }]), want: 'ok' },
    { name: 'DoesNotExist mismatch', affinity: required([{ key: 'disk', operator: 'DoesNotExist' }]), want: MISMATCH },
    { name: 'Gt', affinity: required([{ key: 'cores', operator: 'Gt', values: ['4'] }]), want: 'ok' },
    { name: 'Gt mismatch', affinity: required([{ key: 'cores', operator: 'Gt', values: ['8'] }]), want: MISMATCH },
    { name: 'Lt', affinity: required([{ key: 'cores', operator: 'Lt', values: ['16'] }]), want: 'ok' },
    { name: 'Lt on a non-integer label', affinity: required([{ key: 'zone', operator: 'Lt', values: ['16'] }]), want: MISMATCH },
    {
      name: 'expressions in a term are ANDed',
      affinity: required([
        { key: 'zone', operator: 'In', values: ['a'] },
        { key: 'disk', operator: 'In', values: ['hdd'] },
      ]),
      want: MISMATCH,
    },
    {
      name: 'terms are ORed',
      affinity: required([{ key: 'zone', operator: 'In', values: ['b'] }], [{ key: 'disk', operator: 'In', values: ['ssd'] }]),
      want: 'ok',
    },
    {
      name: 'matchFields on metadata.name',
      affinity: {
        nodeAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n'] }] }] },
        },
      },
      want: 'ok',
    },
    { name: 'an empty term matches nothing', affinity: required([]), want: MISMATCH },
    { name: 'nodeSelector and affinity must both hold', nodeSelector: { zone: 'b' }, affinity: required([{ key: 'disk', operator: 'Exists' }]), want: MISMATCH },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod({ name: 'p', ...(c.nodeSelector ? { nodeSelector: c.nodeSelector } : {}), ...(c.affinity ? { affinity: c.affinity } : {}) });
      assert.deepEqual(filterResults(nodeAffinity, pod, [node]), { n: c.want });
    });
  }

  it('scores preferred terms by weight, normalized to 100', () => {
    const pod = makePod({
      name: 'p',
      affinity: {
        nodeAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            { weight: 80, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
            { weight: 20, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
          ],
        },
      },
    });
    const nodes = [
      makeNode({ name: 'both', labels: { disk: 'ssd', zone: 'a' } }),
      makeNode({ name: 'ssd', labels: { disk: 'ssd' } }),
      makeNode({ name: 'zone', labels: { zone: 'a' } }),
      makeNode({ name: 'none' }),
    ];
    assert.deepEqual(scoreResults(nodeAffinity, pod, nodes), { both: 100, ssd: 80, zone: 20, none: 0 });
  });
});
