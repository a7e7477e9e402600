// One scheduling attempt for one pod: preFilter once, filter nodes (a sampled number of
// feasible ones at large counts, like kube-scheduler), preScore, score + normalize, pick the best.
// Synchronous and free of I/O, so the cache it reads cannot change under it.
import {
  CycleState,
  isSuccess,
  SUCCESS,
  type FilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
  type Snapshot,
  type Status,
} from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';
import { balancedAllocation } from './plugins/balanced-allocation.js';
import { interPodAffinity } from './plugins/inter-pod-affinity.js';
import { nodeAffinity } from './plugins/node-affinity.js';
import { nodeName } from './plugins/node-name.js';
import { nodePorts } from './plugins/node-ports.js';
import { nodeReady } from './plugins/node-ready.js';
import { nodeResourcesFit } from './plugins/node-resources-fit.js';
import { nodeUnschedulable } from './plugins/node-unschedulable.js';
import { podTopologySpread } from './plugins/pod-topology-spread.js';
import { taintToleration } from './plugins/taint-toleration.js';

export interface Profile {
  preFilter: PreFilterPlugin[];
  /** Run in order; a node's first failing filter is its reason. */
  filter: FilterPlugin[];
  preScore: PreScorePlugin[];
  score: ScorePlugin[];
  /** 0 = adaptive (50% - nodes/125, at least 5%); 100 = every node. */
  percentageOfNodesToScore: number;
}

/** kube-scheduler's default plugin set and order (minus volumes and images), plus Ready. */
export function defaultProfile(): Profile {
  return {
    // The first three only skip their filter for pods that ask for nothing of it.
    preFilter: [nodeName, nodeAffinity, nodePorts, interPodAffinity, podTopologySpread],
    filter: [nodeReady, nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit, podTopologySpread, interPodAffinity],
    preScore: [taintToleration, nodeAffinity, interPodAffinity, podTopologySpread],
    score: [taintToleration, nodeAffinity, nodeResourcesFit, balancedAllocation, interPodAffinity, podTopologySpread],
    percentageOfNodesToScore: 0,
  };
}

const MIN_FEASIBLE_NODES = 100;
const MIN_FEASIBLE_PERCENTAGE = 5;

/** How many feasible nodes to find before scoring (kube-scheduler's numFeasibleNodesToFind). */
export function numFeasibleNodesToFind(percentage: number, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES) return numAllNodes;
  let p = percentage;
  if (p === 0) p = Math.max(MIN_FEASIBLE_PERCENTAGE, 50 - Math.trunc(numAllNodes / 125));
  if (p >= 100) return numAllNodes;
  return Math.max(MIN_FEASIBLE_NODES, Math.trunc((numAllNodes * p) / 100));
}

export interface Diagnosis {
  numAllNodes: number;
  /** Every node that was rejected, with the first filter's status. */
  nodeStatuses: Map<NodeInfo, Status>;
}

export type ScheduleResult =
  | { kind: 'scheduled'; node: NodeInfo; evaluatedNodes: number; feasibleNodes: number }
  | { kind: 'unschedulable'; diagnosis: Diagnosis; message: string };

export const NO_NODES = 'no nodes available to schedule pods';

/** "0/5 nodes are available: 3 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: gpu}." */
export function fitErrorMessage(numAllNodes: number, statuses: Iterable<Status>, postFilterMsg?: string): string {
  if (numAllNodes === 0) return NO_NODES;
  const counts = new Map<string, number>();
  for (const s of statuses) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  let msg = `0/${numAllNodes} nodes are available:`;
  if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  if (postFilterMsg) msg += ` ${postFilterMsg}.`;
  return msg;
}

/** The first failing filter's status for `pod` on `node`, or SUCCESS. */
export function runFilters(profile: Profile, state: CycleState, pod: PodInfo, node: NodeInfo): Status {
  for (const f of profile.filter) {
    if (state.skipFilter.has(f.name)) continue;
    const s = f.filter(state, pod, node);
    if (!isSuccess(s)) return s;
  }
  return SUCCESS;
}

/** PreFilter for one pod; undefined on success, else the status that rejects every node. */
export function runPreFilters(profile: Profile, state: CycleState, pod: PodInfo, snapshot: Snapshot): Status | undefined {
  for (const p of profile.preFilter) {
    const s = p.preFilter(state, pod, snapshot);
    if (s.code === 'Skip') state.skipFilter.add(p.name);
    else if (!isSuccess(s)) return s;
  }
  return undefined;
}

/** `node` as a pod of this priority sees it: with pods nominated there that outrank or equal it. */
function withNominated(snapshot: Snapshot, node: NodeInfo, pod: PodInfo): NodeInfo {
  const nominated = snapshot.nominatedPods?.(node.name);
  if (!nominated || nominated.length === 0) return node;
  const ahead = nominated.filter((p) => p.priority >= pod.priority && p.key !== pod.key);
  if (ahead.length === 0) return node;
  const copy = node.clone();
  for (const p of ahead) copy.addPod(p);
  return copy;
}

export class Algorithm {
  private nextStartIndex = 0;

  constructor(
    readonly profile: Profile = defaultProfile(),
    private readonly random: () => number = Math.random,
  ) {}

  schedule(pod: PodInfo, snapshot: Snapshot): ScheduleResult {
    const nodes = snapshot.nodes;
    const diagnosis: Diagnosis = { numAllNodes: nodes.length, nodeStatuses: new Map() };
    const state = new CycleState();
    const rejected = runPreFilters(this.profile, state, pod, snapshot);
    if (rejected) {
      for (const n of nodes) diagnosis.nodeStatuses.set(n, rejected);
      return { kind: 'unschedulable', diagnosis, message: fitErrorMessage(nodes.length, diagnosis.nodeStatuses.values()) };
    }

    const want = numFeasibleNodesToFind(this.profile.percentageOfNodesToScore, nodes.length);
    const feasible: NodeInfo[] = [];
    const filters = this.profile.filter.filter((f) => !state.skipFilter.has(f.name));
    const nominations = snapshot.nominatedPods !== undefined && snapshot.hasNominatedPods !== false;
    let processed = 0;
    const n = nodes.length;
    // Rejections are kept in arrays and become the diagnosis map only if the pod fits nowhere.
    const rejectedNodes: NodeInfo[] = [];
    const rejectedStatuses: Status[] = [];
    let start = n === 0 ? 0 : this.nextStartIndex % n;
    // The hot loop: every filter for up to `n` nodes, so no per-node allocation or lookup here.
    for (; processed < n && feasible.length < want; processed++) {
      const node = nodes[start]!;
      if (++start === n) start = 0;
      const target = nominations ? withNominated(snapshot, node, pod) : node;
      let s = SUCCESS;
      for (let f = 0; f < filters.length; f++) {
        s = filters[f]!.filter(state, pod, target);
        if (s.code !== 'Success') break;
      }
      if (s.code === 'Success') feasible.push(node);
      else {
        rejectedNodes.push(node);
        rejectedStatuses.push(s);
      }
    }
    this.nextStartIndex = start;

    if (feasible.length === 0) {
      for (let i = 0; i < rejectedNodes.length; i++) diagnosis.nodeStatuses.set(rejectedNodes[i]!, rejectedStatuses[i]!);
      return { kind: 'unschedulable', diagnosis, message: fitErrorMessage(n, diagnosis.nodeStatuses.values()) };
    }
    const best = feasible.length === 1 ? feasible[0]! : this.pickBest(state, pod, feasible, snapshot);
    return { kind: 'scheduled', node: best, evaluatedNodes: processed, feasibleNodes: feasible.length };
  }

  /** Weighted sum of normalized plugin scores; ties broken uniformly at random. */
  scoreNodes(state: CycleState, pod: PodInfo, feasible: readonly NodeInfo[], snapshot: Snapshot): Float64Array {
    for (const p of this.profile.preScore) {
      const s = p.preScore(state, pod, feasible, snapshot);
      if (s.code === 'Skip') state.skipScore.add(p.name);
    }
    const totals = new Float64Array(feasible.length);
    const scores = new Float64Array(feasible.length);
    for (const plugin of this.profile.score) {
      if (state.skipScore.has(plugin.name)) continue;
      for (let i = 0; i < feasible.length; i++) scores[i] = plugin.score(state, pod, feasible[i]!);
      if (plugin.normalize === undefined) {
        for (let i = 0; i < feasible.length; i++) totals[i]! += scores[i]! * plugin.weight;
        continue;
      }
      plugin.normalize(state, pod, feasible, scores);
      for (let i = 0; i < feasible.length; i++) totals[i]! += scores[i]! * plugin.weight;
    }
    return totals;
  }

  private pickBest(state: CycleState, pod: PodInfo, feasible: readonly NodeInfo[], snapshot: Snapshot): NodeInfo {
    const totals = this.scoreNodes(state, pod, feasible, snapshot);
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i]! > totals[best]!) {
        best = i;
        ties = 1;
      } else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i; // reservoir sampling among equal scores
      }
    }
    return feasible[best]!;
  }
}
