// The scheduling framework's extension points, one small interface each (after kube-scheduler's
// framework/interface.go). Plugins are plain objects; the algorithm (algorithm.ts) drives them.
import type { NodeInfo } from './node-info.js';
import type { labels } from '../api/index.js';
import type { AffinityTerm, NamespaceLabels, PodInfo } from './pod-info.js';

/** Unschedulable: preemption might help. UnschedulableAndUnresolvable: it cannot (wrong labels, taints, …). */
export type Code = 'Success' | 'Skip' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Error';

export interface Status {
  readonly code: Code;
  /** Human reasons, counted across nodes in the "0/N nodes are available" message. */
  readonly reasons: readonly string[];
}

export const SUCCESS: Status = Object.freeze({ code: 'Success', reasons: [] });
export const SKIP: Status = Object.freeze({ code: 'Skip', reasons: [] });

export function unschedulable(...reasons: string[]): Status {
  return { code: 'Unschedulable', reasons };
}
export function unresolvable(...reasons: string[]): Status {
  return { code: 'UnschedulableAndUnresolvable', reasons };
}
export function isSuccess(s: Status): boolean {
  return s.code === 'Success';
}

/** Per-cycle, per-pod data computed once (preFilter/preScore) and read by every node's check. */
export class CycleState {
  private readonly data = new Map<string, unknown>();
  /** Plugins whose preFilter/preScore returned Skip: their filter/score is not called this cycle. */
  readonly skipFilter = new Set<string>();
  readonly skipScore = new Set<string>();
  write(key: string, value: unknown): void {
    this.data.set(key, value);
  }
  read<T>(key: string): T | undefined {
    return this.data.get(key) as T | undefined;
  }
}

/** The cluster as one scheduling cycle sees it. */
export interface Snapshot {
  readonly nodes: readonly NodeInfo[];
  get(nodeName: string): NodeInfo | undefined;
  readonly namespaceLabels: NamespaceLabels;
  /** Preemptors waiting for their victims to leave this node (they hold its room for equal or lower priorities). */
  nominatedPods?(nodeName: string): readonly PodInfo[] | undefined;
  /** Whether any pod is nominated at all (lets the hot loop skip the per-node lookup). */
  readonly hasNominatedPods?: boolean;
  /** Nodes holding pods with any pod (anti-)affinity / with required anti-affinity; all nodes when absent. */
  nodesWithAffinityPods?(): Iterable<NodeInfo>;
  nodesWithRequiredAntiAffinityPods?(): Iterable<NodeInfo>;
  /** Placed pods indexed by labels and by their affinity terms; without it plugins scan every node's pods. */
  readonly podIndex?: PodIndex;
}

/** The pods of one term kind whose terms are identical (same `AffinityTerm.id`), on listed nodes or not. */
export interface TermGroup {
  readonly term: AffinityTerm;
  /** By pod key: the pod, its node, how many of its terms have this id (`n`) and their summed weights (`w`). */
  readonly members: ReadonlyMap<string, { readonly info: PodInfo; readonly node: NodeInfo; readonly n: number; readonly w: number }>;
}

export type TermKind = 'requiredAffinity' | 'requiredAntiAffinity' | 'preferredAffinity' | 'preferredAntiAffinity';

/** What pod (anti-)affinity and topology spread ask of the cluster once per pod, kept up to date as pods are placed and removed. */
export interface PodIndex {
  /**
   * Calls `fn` for placed pods on listed nodes that `selector` may match: a superset of the
   * matching ones (narrowed by one of its equality/set/exists requirements), so callers still match.
   */
  forEachCandidate(selector: labels.LabelSelector, fn: (pod: PodInfo, node: NodeInfo) => void): void;
  /** Groups of identical terms of that kind declared by placed pods (members may be on unlisted nodes). */
  termGroups(kind: TermKind): Iterable<TermGroup>;
  /** Whether `node` is one of `nodes` (not a placeholder for pods bound to an unknown node). */
  isListed(node: NodeInfo): boolean;
  /** The values of label `key` over listed nodes that carry every label in `keys`. */
  domainValues(keys: readonly string[], key: string): ReadonlySet<string>;
}

export interface Plugin {
  readonly name: string;
}

export interface PreFilterPlugin extends Plugin {
  /** Computes per-cycle state; a non-success status rejects the pod on every node. */
  preFilter(state: CycleState, pod: PodInfo, snapshot: Snapshot): Status;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: PodInfo, node: NodeInfo): Status;
}

export interface PreScorePlugin extends Plugin {
  /** `nodes` are the feasible nodes that will be scored. */
  preScore(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], snapshot: Snapshot): Status;
}

export interface ScorePlugin extends Plugin {
  readonly weight: number;
  score(state: CycleState, pod: PodInfo, node: NodeInfo): number;
  /** Rescales raw scores in place to 0..MAX_NODE_SCORE; `nodes[i]` owns `scores[i]`. */
  normalize?(state: CycleState, pod: PodInfo, nodes: readonly NodeInfo[], scores: Float64Array): void;
}

export const MAX_NODE_SCORE = 100;

/** framework.DefaultNormalizeScore: scale to 0..100 by the maximum; `reverse` makes lower raw scores better. */
export function defaultNormalize(scores: Float64Array, reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc((MAX_NODE_SCORE * scores[i]!) / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}
