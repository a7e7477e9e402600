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

/** Compiled once per PodInfo (like its requests and affinity terms: a new one comes with each pod update). */
const compiled = new WeakMap<PodInfo, Map<string, Constraint[]>>();

function constraintsOf(pod: PodInfo, when: string): Constraint[] {
  let byWhen = compiled.get(pod);
  if (!byWhen) compiled.set(pod, (byWhen = new Map()));
  let cs = byWhen.get(when);
  if (!cs) {
    cs = (pod.pod.spec?.topologySpreadConstraints ?? []).filter((c) => c.whenUnsatisfiable === when).map((c) => compile(c, pod.pod));
    byWhen.set(when, cs);
  }
  return cs;
}

/** Whether `included` holds on every node: the pod asks for no node affinity and no constraint honours taints. */
function includesEveryNode(pod: PodInfo, cs: readonly Constraint[]): boolean {
  const spec = pod.pod.spec;
  const nodeAffinity = spec?.nodeSelector !== undefined || spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  for (const c of cs) if (c.honorTaints || (c.honorAffinity && nodeAffinity)) return false;
  return true;
}

/** Whether a placed pod counts for `c`: in the pod's namespace, not terminating, selected. */
function counts_(c: Constraint, namespace: string, p: PodInfo): boolean {
  return p.namespace === namespace && !p.pod.metadata?.deletionTimestamp && c.selector.matches(p.labels);
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
  /** Per constraint: matching pods per domain value (domains without any may be absent). */
  counts: Map<string, number>[];
  /** Per constraint: whether the pod itself is selected. */
  self: number[];
  /** Per constraint: the least count over domains (0 while fewer than minDomains domains exist). */
  min: number[];
}

interface ScoreState {
  constraints: Constraint[];
  counts: Map<string, number>[];
  /** Per hostname constraint (from the pod index): matching pods per node. */
  perNode: (Map<NodeInfo, number> | undefined)[];
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
    const self = constraints.map((c) => (c.selector.matches(pod.labels) ? 1 : 0));
    const index = snapshot.podIndex;
    let min: number[];
    if (index) {
      const keys = constraints.map((c) => c.topologyKey);
      const everyNode = includesEveryNode(pod, constraints);
      // Domains: values over the (included) nodes with every key; counts only where pods match.
      const domains = constraints.map((c) => {
        if (everyNode) return index.domainValues(keys, c.topologyKey);
        const out = new Set<string>();
        for (const node of snapshot.nodes) if (hasAllKeys(node, constraints) && included(c, pod, node)) out.add(node.labels[c.topologyKey]!);
        return out;
      });
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        const m = counts[i]!;
        index.forEachCandidate(c.selector, (p, node) => {
          if (!counts_(c, pod.namespace, p) || !hasAllKeys(node, constraints) || (!everyNode && !included(c, pod, node))) return;
          const v = node.labels[c.topologyKey]!;
          m.set(v, (m.get(v) ?? 0) + 1);
        });
      }
      min = constraints.map((c, i) => {
        const d = domains[i]!;
        const m = counts[i]!;
        if (d.size < c.minDomains || m.size < d.size) return 0; // fewer domains than asked, or an empty one
        let least = Infinity;
        for (const n of m.values()) least = Math.min(least, n);
        return least === Infinity ? 0 : least;
      });
    } else {
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
      min = constraints.map((c, i) => {
        const m = counts[i]!;
        if (m.size < c.minDomains) return 0;
        let least = Infinity;
        for (const n of m.values()) least = Math.min(least, n);
        return least === Infinity ? 0 : least;
      });
    }
    state.write(FILTER_KEY, { constraints, counts, self, min } satisfies FilterState);
    return SUCCESS;
  },
  filter: (state, pod, node) => {
    const s = state.read<FilterState>(FILTER_KEY);
    if (!s) return SUCCESS;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) return labelRejected;
      const skew = (s.counts[i]!.get(v) ?? 0) + s.self[i]! - s.min[i]!;
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
    const perNode: (Map<NodeInfo, number> | undefined)[] = constraints.map(() => undefined);
    const index = snapshot.podIndex;
    if (index) {
      // Only the pods each selector can match: per domain value, or per node for hostname.
      constraints.forEach((c, i) => {
        if (c.topologyKey === HOSTNAME) {
          const m = (perNode[i] = new Map<NodeInfo, number>());
          index.forEachCandidate(c.selector, (p, node) => {
            if (counts_(c, pod.namespace, p)) m.set(node, (m.get(node) ?? 0) + 1);
          });
          return;
        }
        const m = counts[i]!;
        index.forEachCandidate(c.selector, (p, node) => {
          if (!counts_(c, pod.namespace, p) || !hasAllKeys(node, constraints) || !included(c, pod, node)) return;
          const v = node.labels[c.topologyKey]!;
          const have = m.get(v);
          if (have !== undefined) m.set(v, have + 1);
        });
      });
      state.write(SCORE_KEY, { constraints, counts, perNode, weights, ignored } satisfies ScoreState);
      return SUCCESS;
    }
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
    state.write(SCORE_KEY, { constraints, counts, perNode, weights, ignored } satisfies ScoreState);
    return SUCCESS;
  },
  score: (state, pod, node) => {
    const s = state.read<ScoreState>(SCORE_KEY);
    if (!s || s.ignored.has(node)) return 0;
    let total = 0;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const v = node.labels[c.topologyKey];
      if (v === undefined) continue;
      const perNode = s.perNode[i];
      const cnt = c.topologyKey !== HOSTNAME ? s.counts[i]!.get(v) ?? 0 : perNode ? perNode.get(node) ?? 0 : countMatching(node, c, pod.namespace);
      total += cnt * s.weights[i]! + (c.maxSkew - 1);
    }
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
