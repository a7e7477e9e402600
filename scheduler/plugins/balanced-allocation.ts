// Balanced allocation: prefer nodes where cpu and memory would be used in similar fractions.
import { MAX_NODE_SCORE, type ScorePlugin } from '../framework.js';

export const balancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score: (_state, pod, node) => {
    const fractions: number[] = [];
    const pairs: [number, number][] = [
      [node.requested.cpu + pod.requests.cpu, node.allocatable.cpu],
      [node.requested.memory + pod.requests.memory, node.allocatable.memory],
    ];
    for (const [req, alloc] of pairs) if (alloc > 0) fractions.push(Math.min(1, req / alloc));
    const std = fractions.length === 2 ? Math.abs((fractions[0]! - fractions[1]!) / 2) : 0;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
