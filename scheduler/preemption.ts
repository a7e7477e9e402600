// Preemption (kube-scheduler's DefaultPreemption, without PodDisruptionBudgets): when a pod
// fits nowhere, find the node where evicting strictly lower-priority pods makes it fit, keeping
// as many of them as possible ("reprieve" the most important first), and pick the node whose
// victims matter least: lowest top victim priority, then fewest victims, then lowest sum.
import { runFilters, runPreFilters, type Diagnosis, type Profile } from './algorithm.js';
import { CycleState, isSuccess, type Snapshot } from './framework.js';
import type { NodeInfo } from './node-info.js';
import type { PodInfo } from './pod-info.js';

export interface Preemption {
  node: NodeInfo;
  victims: PodInfo[];
}

export const ERR_NO_VICTIMS = 'No preemption victims found for incoming pod';
export const ERR_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

/** A snapshot in which one node is replaced by a what-if copy. */
function withNode(snapshot: Snapshot, original: NodeInfo, replacement: NodeInfo): Snapshot {
  return {
    nodes: snapshot.nodes.map((n) => (n === original ? replacement : n)),
    get: (name) => (name === original.name ? replacement : snapshot.get(name)),
    namespaceLabels: snapshot.namespaceLabels,
  };
}

function fits(profile: Profile, pod: PodInfo, node: NodeInfo, snapshot: Snapshot, original: NodeInfo, needsPreFilter: boolean, base: CycleState): boolean {
  let state = base;
  if (needsPreFilter) {
    // Affinity and spread state depends on every pod in the cluster: recompute with the what-if node.
    state = new CycleState();
    if (runPreFilters(profile, state, pod, withNode(snapshot, original, node))) return false;
  }
  return isSuccess(runFilters(profile, state, pod, node));
}

/** More important pods first: higher priority, then older. */
const byImportance = (a: PodInfo, b: PodInfo): number => b.priority - a.priority || a.createdMs - b.createdMs;

function selectVictims(profile: Profile, pod: PodInfo, node: NodeInfo, snapshot: Snapshot, needsPreFilter: boolean, base: CycleState): PodInfo[] | undefined {
  const lower = [...node.pods.values()].filter((p) => p.priority < pod.priority && !p.pod.metadata?.deletionTimestamp);
  if (lower.length === 0) return undefined;
  const trial = node.clone();
  for (const p of lower) trial.removePod(p.key);
  if (!fits(profile, pod, trial, snapshot, node, needsPreFilter, base)) return undefined;
  const victims: PodInfo[] = [];
  for (const p of lower.sort(byImportance)) {
    trial.addPod(p);
    if (!fits(profile, pod, trial, snapshot, node, needsPreFilter, base)) {
      trial.removePod(p.key);
      victims.push(p);
    }
  }
  return victims;
}

function better(a: PodInfo[], b: PodInfo[]): boolean {
  const top = (vs: PodInfo[]): number => Math.max(...vs.map((v) => v.priority));
  if (top(a) !== top(b)) return top(a) < top(b);
  if (a.length !== b.length) return a.length < b.length;
  const sum = (vs: PodInfo[]): number => vs.reduce((s, v) => s + v.priority, 0);
  return sum(a) < sum(b);
}

export type PreemptionResult = { kind: 'preempt'; preemption: Preemption } | { kind: 'none'; message: string };

export function findPreemption(profile: Profile, pod: PodInfo, snapshot: Snapshot, diagnosis: Diagnosis): PreemptionResult {
  if (pod.pod.spec?.preemptionPolicy === 'Never') return { kind: 'none', message: '' };
  const base = new CycleState();
  if (runPreFilters(profile, base, pod, snapshot)) return { kind: 'none', message: '' };
  const needsPreFilter = profile.preFilter.some((p) => !base.skipFilter.has(p.name));
  let best: Preemption | undefined;
  let noVictims = 0;
  let notHelpful = 0;
  for (const node of snapshot.nodes) {
    const status = diagnosis.nodeStatuses.get(node);
    if (status && status.code !== 'Unschedulable') {
      notHelpful++;
      continue;
    }
    const victims = selectVictims(profile, pod, node, snapshot, needsPreFilter, base);
    if (!victims || victims.length === 0) {
      noVictims++;
      continue;
    }
    if (!best || better(victims, best.victims)) best = { node, victims };
  }
  if (best) return { kind: 'preempt', preemption: best };
  const parts = [
    ...(noVictims > 0 ? [`${noVictims} ${ERR_NO_VICTIMS}`] : []),
    ...(notHelpful > 0 ? [`${notHelpful} ${ERR_NOT_HELPFUL}`] : []),
  ].sort();
  return { kind: 'none', message: `preemption: 0/${snapshot.nodes.length} nodes are available: ${parts.join(', ')}` };
}
