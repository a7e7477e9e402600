// Resources: the pod's effective request must fit in allocatable minus what placed (bound or
// assumed) pods request; also the pod count. Scores favour the least allocated nodes.
import { SUCCESS, unschedulable, MAX_NODE_SCORE, type FilterPlugin, type ScorePlugin, type Status } from '../framework.js';
import type { NodeInfo } from '../node-info.js';
import type { PodInfo } from '../pod-info.js';
import { CPU, MEMORY } from '../resources.js';

export const ERR_TOO_MANY_PODS = 'Too many pods';
export const insufficient = (resource: string): string => `Insufficient ${resource}`;

/** Why `pod` does not fit on `node` by resources; empty when it fits. */
export function insufficientResources(pod: PodInfo, node: NodeInfo): string[] {
  const out: string[] = [];
  if (fitsQuickly(pod, node)) return out;
  if (node.pods.size + 1 > node.allowedPods) out.push(ERR_TOO_MANY_PODS);
  const req = pod.requests;
  if (req.cpu > 0 && req.cpu > node.allocatable.cpu - node.requested.cpu) out.push(insufficient(CPU));
  if (req.memory > 0 && req.memory > node.allocatable.memory - node.requested.memory) out.push(insufficient(MEMORY));
  if (req.other) {
    for (const [name, want] of req.other) {
      if (want <= 0) continue;
      const free = (node.allocatable.other?.get(name) ?? 0) - (node.requested.other?.get(name) ?? 0);
      if (want > free) out.push(insufficient(name));
    }
  }
  return out;
}

/** The common case without allocation: cpu, memory and pod count fit and nothing else is asked for. */
function fitsQuickly(pod: PodInfo, node: NodeInfo): boolean {
  const req = pod.requests;
  return (
    req.other === undefined &&
    node.pods.size + 1 <= node.allowedPods &&
    req.cpu <= node.allocatable.cpu - node.requested.cpu &&
    req.memory <= node.allocatable.memory - node.requested.memory
  );
}

function leastAllocated(requested: number, allocatable: number): number {
  if (allocatable === 0 || requested > allocatable) return 0;
  return Math.trunc(((allocatable - requested) * MAX_NODE_SCORE) / allocatable);
}

export const nodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter: (_state, pod, node): Status => {
    if (fitsQuickly(pod, node)) return SUCCESS;
    const reasons = insufficientResources(pod, node);
    return reasons.length === 0 ? SUCCESS : unschedulable(...reasons);
  },
  score: (_state, pod, node) => {
    const cpu = leastAllocated(node.nonZeroRequested.cpu + pod.nonZeroRequests.cpu, node.allocatable.cpu);
    const mem = leastAllocated(node.nonZeroRequested.memory + pod.nonZeroRequests.memory, node.allocatable.memory);
    return Math.trunc((cpu + mem) / 2);
  },
};
