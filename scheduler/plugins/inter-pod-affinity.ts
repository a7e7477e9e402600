// Inter-pod affinity and anti-affinity over topology domains (kube-scheduler's InterPodAffinity).
// Filter: the incoming pod's required terms, and existing pods' required anti-affinity against it.
// Score: preferred terms both ways, plus existing pods' required affinity (hard weight 1).
import {
  MAX_NODE_SCORE,
  SKIP,
  SUCCESS,
  unresolvable,
  unschedulable,
  type CycleState,
  type FilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  type TermKind,
} from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import { matchesAllTerms, termMatches, type AffinityTerm, type NamespaceLabels, type PodInfo, type WeightedAffinityTerm } from '../pod-info.js';

export const ERR_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_AFFINITY = "node(s) didn't match pod affinity rules";
export const ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
const existingAntiRejected = unschedulable(ERR_EXISTING_ANTI_AFFINITY);
const affinityRejected = unresolvable(ERR_AFFINITY);
const antiRejected = unschedulable(ERR_ANTI_AFFINITY);

const FILTER_KEY = 'InterPodAffinity/filter';
const SCORE_KEY = 'InterPodAffinity/score';
const HARD_POD_AFFINITY_WEIGHT = 1;

/** Counts per topology pair: topology key → value → count (a key is present only once something is counted). */
type PairCounts = Map<string, Map<string, number>>;

function bump(m: PairCounts, node: NodeInfo, key: string, by: number): void {
  const v = node.labels[key];
  if (v === undefined) return;
  let byValue = m.get(key);
  if (!byValue) m.set(key, (byValue = new Map()));
  byValue.set(v, (byValue.get(v) ?? 0) + by);
}

function countAt(m: PairCounts, key: string, node: NodeInfo): number {
  const v = node.labels[key];
  return v === undefined ? 0 : m.get(key)?.get(v) ?? 0;
}

interface FilterState {
  existingAnti: PairCounts;
  affinity: PairCounts;
  anti: PairCounts;
  nsLabels: NamespaceLabels;
}

export function computeFilterState(pod: PodInfo, snapshot: Snapshot): FilterState {
  const s: FilterState = { existingAnti: new Map(), affinity: new Map(), anti: new Map(), nsLabels: snapshot.namespaceLabels };
  const ns = snapshot.namespaceLabels;
  const index = snapshot.podIndex;
  if (index) {
    // Identical terms of existing pods are matched against the pod once per group.
    for (const g of index.termGroups('requiredAntiAffinity')) {
      if (!termMatches(g.term, pod, ns)) continue;
      for (const m of g.members.values()) if (index.isListed(m.node)) bump(s.existingAnti, m.node, g.term.topologyKey, m.n);
    }
  } else {
    for (const node of snapshot.nodesWithRequiredAntiAffinityPods?.() ?? snapshot.nodes) {
      for (const existing of node.pods.values()) {
        for (const t of existing.requiredAntiAffinityTerms) {
          if (termMatches(t, pod, ns)) bump(s.existingAnti, node, t.topologyKey, 1);
        }
      }
    }
  }
  if (pod.requiredAffinityTerms.length === 0 && pod.requiredAntiAffinityTerms.length === 0) return s;
  if (index) {
    // Only the pods the terms' label selectors can match (every affinity term must match).
    const aff = pod.requiredAffinityTerms;
    if (aff.length > 0) {
      index.forEachCandidate(aff[0]!.selector, (existing, node) => {
        if (matchesAllTerms(aff, existing, ns)) for (const t of aff) bump(s.affinity, node, t.topologyKey, 1);
      });
    }
    for (const t of pod.requiredAntiAffinityTerms) {
      index.forEachCandidate(t.selector, (existing, node) => {
        if (termMatches(t, existing, ns)) bump(s.anti, node, t.topologyKey, 1);
      });
    }
    return s;
  }
  for (const node of snapshot.nodes) {
    for (const existing of node.pods.values()) {
      if (matchesAllTerms(pod.requiredAffinityTerms, existing, ns)) {
        for (const t of pod.requiredAffinityTerms) bump(s.affinity, node, t.topologyKey, 1);
      }
      for (const t of pod.requiredAntiAffinityTerms) {
        if (termMatches(t, existing, ns)) bump(s.anti, node, t.topologyKey, 1);
      }
    }
  }
  return s;
}

function satisfiesAffinity(s: FilterState, pod: PodInfo, node: NodeInfo): boolean {
  let podsExist = true;
  for (const t of pod.requiredAffinityTerms) {
    const v = node.labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinity.get(t.topologyKey)?.get(v) ?? 0) <= 0) podsExist = false;
  }
  // The first pod of a group that selects itself may go anywhere the topology exists.
  if (!podsExist) return s.affinity.size === 0 && matchesAllTerms(pod.requiredAffinityTerms, pod, s.nsLabels);
  return true;
}

function anyPairCounted(counts: PairCounts, terms: readonly AffinityTerm[] | undefined, node: NodeInfo): boolean {
  if (counts.size === 0) return false;
  if (terms) {
    for (const t of terms) if (countAt(counts, t.topologyKey, node) > 0) return true;
    return false;
  }
  // Any of the node's labels: only the counted topology keys can hit.
  for (const key of counts.keys()) if (Object.hasOwn(node.labels, key) && countAt(counts, key, node) > 0) return true;
  return false;
}

type ScoreState = Map<string, Map<string, number>>;

function addScore(m: ScoreState, terms: readonly WeightedAffinityTerm[], target: PodInfo, node: NodeInfo, ns: NamespaceLabels, sign: number): void {
  for (const t of terms) addTermScore(m, t, t.weight * sign, target, node, ns);
}

function addTermScore(m: ScoreState, t: AffinityTerm, weight: number, target: PodInfo, node: NodeInfo, ns: NamespaceLabels): void {
  const v = node.labels[t.topologyKey];
  if (v === undefined || !termMatches(t, target, ns)) return;
  addAt(m, t.topologyKey, v, weight);
}

function addAt(m: ScoreState, key: string, v: string, weight: number): void {
  let byValue = m.get(key);
  if (!byValue) m.set(key, (byValue = new Map()));
  byValue.set(v, (byValue.get(v) ?? 0) + weight);
}

export const interPodAffinity: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: 'InterPodAffinity',
  weight: 2,
  preFilter: (state, pod, snapshot) => {
    const s = computeFilterState(pod, snapshot);
    if (s.existingAnti.size === 0 && pod.requiredAffinityTerms.length === 0 && pod.requiredAntiAffinityTerms.length === 0) return SKIP;
    state.write(FILTER_KEY, s);
    return SUCCESS;
  },
  filter: (state, pod, node) => {
    const s = state.read<FilterState>(FILTER_KEY);
    if (!s) return SUCCESS;
    if (anyPairCounted(s.existingAnti, undefined, node)) return existingAntiRejected;
    if (pod.requiredAffinityTerms.length > 0 && !satisfiesAffinity(s, pod, node)) return affinityRejected;
    if (anyPairCounted(s.anti, pod.requiredAntiAffinityTerms, node)) return antiRejected;
    return SUCCESS;
  },
  preScore: (state, pod, _nodes, snapshot) => {
    const preferred = pod.preferredAffinityTerms.length > 0 || pod.preferredAntiAffinityTerms.length > 0;
    const m: ScoreState = new Map();
    const ns = snapshot.namespaceLabels;
    const index = snapshot.podIndex;
    if (index) {
      // The pod's preferred terms against the pods their selectors can match ...
      for (const t of pod.preferredAffinityTerms) index.forEachCandidate(t.selector, (existing, node) => addTermScore(m, t, t.weight, existing, node, ns));
      for (const t of pod.preferredAntiAffinityTerms) index.forEachCandidate(t.selector, (existing, node) => addTermScore(m, t, -t.weight, existing, node, ns));
      // ... and existing pods' terms against the pod, once per group of identical terms.
      const groups = (kind: TermKind, weightOf: (mm: { n: number; w: number }) => number): void => {
        for (const g of index.termGroups(kind)) {
          if (!termMatches(g.term, pod, ns)) continue;
          for (const mm of g.members.values()) {
            if (!index.isListed(mm.node)) continue;
            const v = mm.node.labels[g.term.topologyKey];
            if (v !== undefined) addAt(m, g.term.topologyKey, v, weightOf(mm));
          }
        }
      };
      groups('requiredAffinity', (mm) => HARD_POD_AFFINITY_WEIGHT * mm.n);
      groups('preferredAffinity', (mm) => mm.w);
      groups('preferredAntiAffinity', (mm) => -mm.w);
      if (m.size === 0) return SKIP;
      state.write(SCORE_KEY, m);
      return SUCCESS;
    }
    for (const node of preferred ? snapshot.nodes : (snapshot.nodesWithAffinityPods?.() ?? snapshot.nodes)) {
      if (!preferred && node.podsWithAffinity === 0) continue;
      for (const existing of node.pods.values()) {
        addScore(m, pod.preferredAffinityTerms, existing, node, ns, 1);
        addScore(m, pod.preferredAntiAffinityTerms, existing, node, ns, -1);
        for (const t of existing.requiredAffinityTerms) addTermScore(m, t, HARD_POD_AFFINITY_WEIGHT, pod, node, ns);
        addScore(m, existing.preferredAffinityTerms, pod, node, ns, 1);
        addScore(m, existing.preferredAntiAffinityTerms, pod, node, ns, -1);
      }
    }
    if (m.size === 0) return SKIP;
    state.write(SCORE_KEY, m);
    return SUCCESS;
  },
  score: (state, _pod, node) => {
    const m = state.read<ScoreState>(SCORE_KEY);
    let total = 0;
    if (m) {
      for (const [key, byValue] of m) {
        const v = node.labels[key];
        if (v !== undefined) total += byValue.get(v) ?? 0;
      }
    }
    return total;
  },
  normalize: (_state: CycleState, _pod, _nodes, scores) => {
    let min = Infinity;
    let max = -Infinity;
    for (const s of scores) {
      if (s < min) min = s;
      if (s > max) max = s;
    }
    const diff = max - min;
    for (let i = 0; i < scores.length; i++) scores[i] = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (scores[i]! - min)) / diff) : 0;
  },
};
