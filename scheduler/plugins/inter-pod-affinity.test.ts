import assert from 'node:assert/strict';
import type { PodAffinityTerm } from '../../api/index.js';
import { filterResults, makeNode, makePod, scoreResults } from '../fixtures.testkit.js';
import { interPodAffinity } from './inter-pod-affinity.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const term = (app: string, topologyKey: string, namespaces?: string[]): PodAffinityTerm => ({
  labelSelector: { matchLabels: { app } },
  topologyKey,
  ...(namespaces ? { namespaces } : {}),
});

describe('scheduler plugin InterPodAffinity', () => {
  const nodes = [
    makeNode({ name: 'a1', labels: { [ZONE]: 'a' } }),
    makeNode({ name: 'a2', labels: { [ZONE]: 'a' } }),
    makeNode({ name: 'b1', labels: { [ZONE]: 'b' } }),
    makeNode({ name: 'nozone' }),
  ];
  const db = makePod({ name: 'db', nodeName: 'a1', labels: { app: 'db' } });
  const AFF = "node(s) didn't match pod affinity rules";
  const ANTI = "node(s) didn't match pod anti-affinity rules";
  const EXISTING = "node(s) didn't satisfy existing pods anti-affinity rules";

  const cases = [
    {
      name: 'required affinity: same zone as the db pod',
      pod: makePod({ name: 'web', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } } }),
      existing: [db],
      want: { a1: 'ok', a2: 'ok', b1: AFF, nozone: AFF },
    },
    {
      name: 'required affinity: hostname topology',
      pod: makePod({ name: 'web', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', HOST)] } } }),
      existing: [db],
      want: { a1: 'ok', a2: AFF, b1: AFF, nozone: AFF },
    },
    {
      name: 'required affinity in another namespace does not see the db pod',
      pod: makePod({ name: 'web', affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE, ['other'])] } } }),
      existing: [db],
      want: { a1: AFF, a2: AFF, b1: AFF, nozone: AFF },
    },
    {
      name: 'the first pod of a self-affine group goes where the topology exists',
      pod: makePod({ name: 'web', labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } } }),
      existing: [db],
      want: { a1: 'ok', a2: 'ok', b1: 'ok', nozone: AFF },
    },
    {
      name: 'required anti-affinity: not in the db zone',
      pod: makePod({ name: 'web', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('db', ZONE)] } } }),
      existing: [db],
      want: { a1: ANTI, a2: ANTI, b1: 'ok', nozone: 'ok' },
    },
    {
      name: "existing pods' anti-affinity repels the incoming pod",
      pod: makePod({ name: 'web', labels: { app: 'web' } }),
      existing: [
        makePod({ name: 'loner', nodeName: 'b1', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term('web', ZONE)] } } }),
      ],
      want: { a1: 'ok', a2: 'ok', b1: EXISTING, nozone: 'ok' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(filterResults(interPodAffinity, c.pod, nodes, c.existing), c.want);
    });
  }

  it('scores preferred affinity up and preferred anti-affinity down, min-max normalized', () => {
    const pod = makePod({
      name: 'web',
      affinity: {
        podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: term('db', ZONE) }] },
        podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: term('cache', HOST) }] },
      },
    });
    const cache = makePod({ name: 'cache', nodeName: 'a2', labels: { app: 'cache' } });
    // a1: +10, a2: +10 -5, b1: 0, nozone: 0.
    assert.deepEqual(scoreResults(interPodAffinity, pod, nodes, [db, cache]), { a1: 100, a2: 50, b1: 0, nozone: 0 });
  });

  it("scores existing pods' preferred terms towards the incoming pod", () => {
    const friendly = makePod({
      name: 'f',
      nodeName: 'b1',
      affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 7, podAffinityTerm: term('web', ZONE) }] } },
    });
    const scores = scoreResults(interPodAffinity, makePod({ name: 'web', labels: { app: 'web' } }), nodes, [friendly]);
    assert.deepEqual(scores, { a1: 0, a2: 0, b1: 100, nozone: 0 });
  });
});
