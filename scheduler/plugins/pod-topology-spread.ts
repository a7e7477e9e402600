// Topology spread constraints (kube-scheduler's PodTopologySpread): DoNotSchedule constraints
// filter by skew against the least-loaded domain; ScheduleAnyway constraints score.
// Node inclusion policies default as in Kubernetes: nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore.
import { labels, type LabelSelector, type Pod, type TopologySpreadConstraint } from '../../api/index.js';
import {
  MAX_NODE_SCORE,
  SKIP,
  SUCCESS,
  unresolvable,
  unschedulable,
  type FilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { podMatchesNodeAffinity } from './node-affinity.js';
import { anyTolerates } from './tolerations.js';

export const ERR_SPREAD = "node(s) didn't match pod topology spread constraints";
export const ERR_SPREAD_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
const spreadRejected = unschedulable(ERR_SPREAD);
const labelRejected = unresolvable(ERR_SPREAD_LABEL);

const HOSTNAME = 'kubernetes.io/hostname';
const FILTER_KEY = 'PodTopologySpread/filter';
const SCORE_KEY = 'PodTopologySpread/score';

interface Constraint {
  maxSkew: number;
  topologyKey: string;
  minDomains: number;
  selector: labels.LabelSelector;
  honorAffinity: boolean;
  honorTaints: boolean;
}

function compile(c: TopologySpreadConstraint, pod: Pod): Constraint {
  // matchLabelKeys: the pod's own values for those keys narrow the selector.
  const podLabels = pod.metadata?.labels ?? {};
  const extra = (c.matchLabelKeys ?? []).filter((k) => podLabels[k] !== undefined).map((k) => ({ key: k, operator: 'In', values: [podLabels[k]!] }));
  const sel: LabelSelector | undefined =
    extra.length === 0 || !c.labelSelector ? c.labelSelector : { ...c.labelSelector, matchExpressions: [...(c.labelSelector.matchExpressions ?? []), ...extra] };
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    minDomains: c.minDomains ?? 1,
    selector: labels.selectorFromLabelSelector(sel),
    honorAffinity: (c.nodeAffinityPolicy ?? 'Honor') === 'Honor',
    honorTaints: c.nodeTaintsPolicy === 'Honor',
  };
}

function constraintsOf(pod: PodInfo, when: string): Constraint[] {
  return (pod.pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === when).map((c) => compile(c, pod.pod));
}

function hasAllKeys(node: NodeInfo, cs: readonly Constraint[]): boolean {
  for (const c of cs) if (node.labels[c.topologyKey] === undefined) return false;
  return true;
}

function included(c: Constraint, pod: PodInfo, node: NodeInfo): boolean {
  if (c.honorAffinity && !podMatchesNodeAffinity(pod.pod, node)) return false;
  if (c.honorTaints) {
    for (const t of node.taints) {
      if ((t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !anyTolerates(pod.tolerations, t)) return false;
    }
  }
  return true;
}

/** Pods on `node` in the pod's namespace that the constraint selects, terminating ones excluded. */
function countMatching(node: NodeInfo, c: Constraint, namespace: string): number {
  let n = 0;
  for (const p of node.pods.values()) {
    if (p.namespace === namespace && !p.pod.metadata?.deletionTimestamp && c.selector.matches(p.labels)) n++;
  }
  return n;
}

interface FilterState {
  constraints: Constraint[];
  /** Per constraint: matching pods per domain value. */
  counts: Map<string, number>[];
  /** Per constraint: the least count over domains (0 while fewer than minDomains domains exist). */
  min: number[];
}

interface ScoreState {
  constraints: Constraint[];
  counts: Map<string, number>[];
  weights: number[];
  ignored: Set<NodeInfo>;
}

export const podTopologySpread: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: 'PodTopologySpread',
  weight: 2,
  preFilter: (state, pod, snapshot) => {
    const constraints = constraintsOf(pod, 'DoNotSchedule');
    if (constraints.length === 0) return SKIP;
    const counts = constraints.map(() => new Map<string, number>());
    // Once per pod over every node: plain loops, and no pod scan on empty nodes.
    for (const node of snapshot.nodes) {
      if (!hasAllKeys(node, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!included(c, pod, node)) continue;
        const v = node.labels[c.topologyKey]!;
        const m = counts[i]!;
        m.set(v, (m.get(v) ?? 0) + (node.pods.size === 0 ? 0 : countMatching(node, c, pod.namespace)));
      }
    }
    const min = constraints.map((c, i) => {
      const m = counts[i]!;
      if (m.size < c.minDomains) return 0;
      let least = Infinity;
      for (const n of m.values()) least = Math.min(least, n);
      return least === Infinity ? 0 : least;
    });
    state.write(FILTER_KEY, { constraints, counts, min } satisfies FilterState);
    return SUCCESS;
  },
  filter: (state, pod, node) => {
    const s = state.read<FilterState>(FILTER_KEY);
    if (!s) return SUCCESS;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return labelRejected;
      const self = c.selector.matches(pod.labels) ? 1 : 0;
      const skew = (s.counts[i]!.get(v) ?? 0) + self - s.min[i]!;
      if (skew > c.maxSkew) return spreadRejected;
    }
    return SUCCESS;
  },
  preScore: (state, pod, nodes, snapshot) => {
    const constraints = constraintsOf(pod, 'ScheduleAnyway');
    if (constraints.length === 0) return SKIP;
    const ignored = new Set<NodeInfo>();
    const counts = constraints.map(() => new Map<string, number>());
    for (const node of nodes) {
      if (!hasAllKeys(node, constraints)) {
        ignored.add(node);
        continue;
      }
      constraints.forEach((c, i) => {
        if (c.topologyKey !== HOSTNAME) counts[i]!.set(node.labels[c.topologyKey]!, 0);
      });
    }
    const weights = constraints.map((c, i) =>
      Math.log((c.topologyKey === HOSTNAME ? nodes.length - ignored.size : counts[i]!.size) + 2),
    );
    // Hostname domains are counted per node at score time; other keys need every node's pods.
    const zoneLike = constraints.some((c) => c.topologyKey !== HOSTNAME);
    for (const node of zoneLike ? snapshot.nodes : []) {
      if (node.pods.size === 0 || !hasAllKeys(node, constraints)) continue;
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME || !included(c, pod, node)) return;
        const v = node.labels[c.topologyKey]!;
        const have = counts[i]!.get(v);
        if (have !== undefined) counts[i]!.set(v, have + countMatching(node, c, pod.namespace));
      });
    }
    state.write(SCORE_KEY, { constraints, counts, weights, ignored } satisfies ScoreState);
    return SUCCESS;
  },
  score: (state, pod, node) => {
    const s = state.read<ScoreState>(SCORE_KEY);
    if (!s || s.ignored.has(node)) return 0;
    let total = 0;
    s.constraints.forEach((c, i) => {
      const v = node.labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === HOSTNAME ? countMatching(node, c, pod.namespace) : s.counts[i]!.get(v) ?? 0;
      total += cnt * s.weights[i]! + (c.maxSkew - 1);
    });
    return Math.round(total);
  },
  normalize: (state, _pod, nodes, scores) => {
    const s = state.read<ScoreState>(SCORE_KEY);
    if (!s) return;
    let min = Infinity;
    let max = 0;
    for (let i = 0; i < scores.length; i++) {
      if (s.ignored.has(nodes[i]!)) continue;
      min = Math.min(min, scores[i]!);
      max = Math.max(max, scores[i]!);
    }
    for (let i = 0; i < scores.length; i++) {
      if (s.ignored.has(nodes[i]!)) scores[i] = 0;
      else if (max === 0) scores[i] = MAX_NODE_SCORE;
      else scores[i] = Math.trunc((MAX_NODE_SCORE * (max + min - scores[i]!)) / max);
    }
  },
};
