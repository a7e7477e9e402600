// The pod index (label and term index kept by the cache) must give inter-pod affinity and
// topology spread exactly the results of the plain scan over every node's pods, which is what
// they do on a snapshot without the index. Seeded random clusters, so the cases are fixed.
import assert from 'node:assert/strict';
import type { LabelSelector, Pod, PodAffinityTerm, TopologySpreadConstraint } from '../../api/index.js';
import { makeCache, makeNode, makePod } from '../fixtures.testkit.js';
import { CycleState, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin, type Snapshot } from '../framework.js';
import { newPodInfo } from '../pod-info.js';
import { interPodAffinity } from './inter-pod-affinity.js';
import { podTopologySpread } from './pod-topology-spread.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';

function scenario(seed: number): { cache: ReturnType<typeof makeCache>; pod: Pod } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const app = (): string => pick(['a', 'b', 'c']);
  const selector = (): LabelSelector | undefined =>
    pick<() => LabelSelector | undefined>([
      () => ({ matchLabels: { app: app() } }),
      () => ({ matchExpressions: [{ key: 'app', operator: 'In', values: [app(), app()] }] }),
      () => ({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }),
      () => ({ matchExpressions: [{ key: 'app', operator: 'NotIn', values: [app()] }] }),
      () => ({ matchLabels: { app: app() }, matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }),
      () => ({}),
      () => undefined,
    ])();
  const term = (): PodAffinityTerm => ({
    labelSelector: selector(),
    topologyKey: pick([ZONE, HOST, 'rack']),
    ...(r() < 0.2 ? { namespaces: [pick(['default', 'other'])] } : {}),
    ...(r() < 0.1 ? { namespaceSelector: {} } : {}),
  });
  const terms = (p: number): PodAffinityTerm[] | undefined => (r() < p ? Array.from({ length: 1 + Math.floor(r() * 2) }, term) : undefined);
  const weighted = (p: number) => (r() < p ? [{ weight: 1 + Math.floor(r() * 100), podAffinityTerm: term() }] : undefined);
  const spread = (): TopologySpreadConstraint[] | undefined =>
    r() < 0.6
      ? Array.from({ length: 1 + Math.floor(r() * 2) }, () => ({
          maxSkew: 1 + Math.floor(r() * 2),
          topologyKey: pick([ZONE, HOST, 'rack']),
          whenUnsatisfiable: pick(['DoNotSchedule', 'ScheduleAnyway']),
          labelSelector: selector(),
          ...(r() < 0.2 ? { minDomains: 3 } : {}),
        }))
      : undefined;
  const makeAnyPod = (name: string, nodeName?: string): Pod => {
    const labels: Record<string, string> = { app: app() };
    if (r() < 0.4) labels.tier = pick(['web', 'db']);
    return makePod({
      name,
      nodeName,
      namespace: r() < 0.8 ? 'default' : 'other',
      labels,
      ...(r() < 0.15 ? { nodeSelector: { rack: pick(['r1', 'r2']) } } : {}),
      affinity: {
        podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms(0.2), preferredDuringSchedulingIgnoredDuringExecution: weighted(0.3) },
        podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: terms(0.3), preferredDuringSchedulingIgnoredDuringExecution: weighted(0.3) },
      },
      spread: spread(),
    });
  };
  const nodes = Array.from({ length: 4 + Math.floor(r() * 8) }, (_, i) =>
    makeNode({
      name: `n${i}`,
      labels: {
        ...(r() < 0.9 ? { [ZONE]: pick(['z1', 'z2', 'z3']) } : {}),
        ...(r() < 0.7 ? { rack: pick(['r1', 'r2', 'r3']) } : {}),
      },
    }),
  );
  const pods = Array.from({ length: Math.floor(r() * 25) }, (_, i) => makeAnyPod(`p${i}`, pick([...nodes.map((n) => n.metadata!.name!), 'gone'])));
  const cache = makeCache(nodes, pods);
  cache.setNamespace('default', { team: 'x' });
  cache.setNamespace('other', { team: 'y' });
  // Churn the index: remove some pods, move one, drop a node that holds pods, relabel one.
  for (const p of pods) if (r() < 0.15) cache.removePod(`${p.metadata!.namespace}/${p.metadata!.name}`);
  if (pods.length > 0) {
    const moved = structuredClone(pods[0]!);
    moved.spec!.nodeName = nodes[0]!.metadata!.name;
    cache.assume(newPodInfo(moved), moved.spec!.nodeName!);
  }
  if (r() < 0.3) cache.removeNode(nodes[1]!.metadata!.name!);
  if (r() < 0.3) {
    const relabelled = structuredClone(nodes[2]!);
    relabelled.metadata!.labels![ZONE] = 'z9';
    cache.setNode(relabelled);
  }
  return { cache, pod: makeAnyPod('incoming') };
}

type Plugin = PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin;

function results(plugin: Plugin, pod: Pod, snapshot: Snapshot): unknown {
  const info = newPodInfo(pod);
  const state = new CycleState();
  const pre = plugin.preFilter(state, info, snapshot);
  const filtered = snapshot.nodes.map((n) => (pre.code === 'Skip' ? 'skip' : [pre.code, plugin.filter(state, info, n).reasons.join()]));
  const preScore = plugin.preScore(state, info, snapshot.nodes, snapshot);
  const scores = new Float64Array(snapshot.nodes.length);
  if (preScore.code !== 'Skip') {
    snapshot.nodes.forEach((n, i) => (scores[i] = plugin.score(state, info, n)));
    plugin.normalize?.(state, info, snapshot.nodes, scores);
  }
  return { filtered, preScore: preScore.code, scores: [...scores] };
}

describe('scheduler pod index', () => {
  for (const [name, plugin] of [
    ['InterPodAffinity', interPodAffinity],
    ['PodTopologySpread', podTopologySpread],
  ] as const) {
    it(`${name}: the indexed pre-computation gives what scanning every pod gives (300 seeded clusters)`, () => {
      for (let seed = 1; seed <= 300; seed++) {
        const { cache, pod } = scenario(seed);
        const scan: Snapshot = {
          nodes: cache.nodes,
          get: (n) => cache.get(n),
          namespaceLabels: cache.namespaceLabels,
          nodesWithAffinityPods: () => cache.nodesWithAffinityPods(),
          nodesWithRequiredAntiAffinityPods: () => cache.nodesWithRequiredAntiAffinityPods(),
        };
        assert.deepEqual(results(plugin, pod, cache), results(plugin, pod, scan), `seed ${seed}`);
      }
    });
  }
});
