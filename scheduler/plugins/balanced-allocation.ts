// Balanced allocation: prefer nodes where cpu and memory would be used in similar fractions.
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score: (_state, pod, node) => {
    // Two resources: the standard deviation of two fractions is half their distance.
    const cpuAlloc = node.allocatable.cpu;
    const memAlloc = node.allocatable.memory;
    if (cpuAlloc === 0 || memAlloc === 0) return MAX_NODE_SCORE;
    const cpu = Math.min(1, (node.requested.cpu + pod.requests.cpu) / cpuAlloc);
    const mem = Math.min(1, (node.requested.memory + pod.requests.memory) / memAlloc);
    return Math.trunc((1 - Math.abs(cpu - mem) / 2) * MAX_NODE_SCORE);
  },
};
