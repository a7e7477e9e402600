// nodeSelector and node affinity: required terms filter (terms ORed, expressions ANDed),
// preferred terms add their weight to the score.
import { specMatchesNodeAffinity, termMatchesNode as nodeTermMatches, type NodeSelectorTerm, type Pod } from '../../api/index.js';
import { defaultNormalize, SKIP, SUCCESS, unresolvable, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const rejected = unresolvable(ERR_NODE_AFFINITY);

/** A term with neither expressions nor fields matches no node, as in Kubernetes. */
export function termMatchesNode(term: NodeSelectorTerm, node: NodeInfo): boolean {
  return nodeTermMatches(term, node);
}

/** nodeSelector and required node affinity both hold (also used by topology spread's nodeAffinityPolicy). */
export function podMatchesNodeAffinity(pod: Pod, node: NodeInfo): boolean {
  return specMatchesNodeAffinity(pod.spec, node);
}

export const nodeAffinity: PreFilterPlugin & FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  preFilter: (_state, pod) =>
    pod.pod.spec?.nodeSelector !== undefined || pod.pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined ? SUCCESS : SKIP,
  preScore: (_state, pod) => (pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length ? SUCCESS : SKIP),
  filter: (_state, pod, node) => (podMatchesNodeAffinity(pod.pod, node) ? SUCCESS : rejected),
  score: (_state, pod, node) => {
    let total = 0;
    for (const p of pod.pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (termMatchesNode(p.preference, node)) total += p.weight;
    }
    return total;
  },
  normalize: (_state, _pod, _nodes, scores) => defaultNormalize(scores, false),
};
