import assert from 'node:assert/strict';
import type { TopologySpreadConstraint } from '../../api/index.js';
import { filterResults, makeNode, makePod, scoreResults } from '../fixtures.testkit.js';
import { podTopologySpread } from './pod-topology-spread.js';

const ZONE = 'topology.kubernetes.io/zone';
const spread = (maxSkew: number, whenUnsatisfiable: string, extra: Partial<TopologySpreadConstraint> = {}): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey: ZONE,
  whenUnsatisfiable,
  labelSelector: { matchLabels: { app: 'web' } },
  ...extra,
});
const SKEW = "node(s) didn't match pod topology spread constraints";
const LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";

describe('scheduler plugin PodTopologySpread', () => {
  const nodes = [
    makeNode({ name: 'a1', labels: { [ZONE]: 'a', disk: 'ssd' } }),
    makeNode({ name: 'b1', labels: { [ZONE]: 'b' } }),
    makeNode({ name: 'c1', labels: { [ZONE]: 'c', disk: 'ssd' } }),
    makeNode({ name: 'nozone' }),
  ];
  const web = (name: string, nodeName: string, ns = 'default') => makePod({ name, nodeName, namespace: ns, labels: { app: 'web' } });
  // Zone a has 2 web pods, b has 1, c has 0.
  const existing = [web('w1', 'a1'), web('w2', 'a1'), web('w3', 'b1')];

  const cases = [
    { name: 'maxSkew 1: only the emptiest zones', pod: { spread: [spread(1, 'DoNotSchedule')] }, want: { a1: SKEW, b1: SKEW, c1: 'ok', nozone: LABEL } },
    { name: 'maxSkew 2 allows zone b', pod: { spread: [spread(2, 'DoNotSchedule')] }, want: { a1: SKEW, b1: 'ok', c1: 'ok', nozone: LABEL } },
    {
      name: 'a pod the selector does not match adds no skew of its own',
      pod: { spread: [spread(2, 'DoNotSchedule', { labelSelector: { matchLabels: { app: 'web' } } })], labels: { app: 'other' } },
      want: { a1: 'ok', b1: 'ok', c1: 'ok', nozone: LABEL },
    },
    {
      name: 'nodeAffinityPolicy Honor: zones outside the nodeSelector do not count',
      pod: { spread: [spread(1, 'DoNotSchedule')], nodeSelector: { disk: 'ssd' } },
      want: { a1: SKEW, b1: 'ok', c1: 'ok', nozone: LABEL },
    },
    { name: 'ScheduleAnyway does not filter', pod: { spread: [spread(1, 'ScheduleAnyway')] }, want: { a1: 'ok', b1: 'ok', c1: 'ok', nozone: 'ok' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const pod = makePod({ name: 'p', labels: { app: 'web' }, ...c.pod });
      assert.deepEqual(filterResults(podTopologySpread, pod, nodes, existing), c.want);
    });
  }

  it('minDomains above the domain count makes the global minimum 0', () => {
    const pods = [...existing, web('w4', 'c1')];
    const plain = makePod({ name: 'p', labels: { app: 'web' }, spread: [spread(1, 'DoNotSchedule')] });
    assert.equal(filterResults(podTopologySpread, plain, nodes, pods)['b1'], 'ok');
    const strict = makePod({ name: 'p', labels: { app: 'web' }, spread: [spread(1, 'DoNotSchedule', { minDomains: 4 })] });
    assert.equal(filterResults(podTopologySpread, strict, nodes, pods)['b1'], SKEW);
  });

  it('pods in other namespaces and terminating pods are not counted', () => {
    const gone = web('w9', 'c1');
    gone.metadata!.deletionTimestamp = new Date(0).toISOString();
    const pods = [...existing, web('x1', 'c1', 'other'), web('x2', 'c1', 'other'), gone];
    const pod = makePod({ name: 'p', labels: { app: 'web' }, spread: [spread(1, 'DoNotSchedule')] });
    assert.equal(filterResults(podTopologySpread, pod, nodes, pods)['c1'], 'ok');
  });

  it('ScheduleAnyway scores emptier zones higher and ignores nodes without the key', () => {
    const pod = makePod({ name: 'p', labels: { app: 'web' }, spread: [spread(1, 'ScheduleAnyway')] });
    const scores = scoreResults(podTopologySpread, pod, nodes, existing);
    assert.equal(scores['nozone'], 0);
    assert.ok(scores['c1']! > scores['b1']! && scores['b1']! > scores['a1']!, JSON.stringify(scores));
    assert.equal(scores['c1'], 100);
  });
});
