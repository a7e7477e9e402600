// nodeSelector and node affinity: required terms filter (terms ORed, expressions ANDed),
// preferred terms add their weight to the score.
import type { NodeSelectorRequirement, NodeSelectorTerm, Pod } from '../../api/index.js';
import { defaultNormalize, SKIP, SUCCESS, unresolvable, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework.js';
import type { NodeInfo } from '../node-info.js';

export const ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";
const rejected = unresolvable(ERR_NODE_AFFINITY);

function parseInt64(s: string | undefined): bigint | undefined {
  return s !== undefined && /^[+-]?[0-9]+$/.test(s) ? BigInt(s) : undefined;
}

function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    case 'Gt':
    case 'Lt': {
      const have = parseInt64(value);
      const bound = parseInt64(values[0]);
      if (have === undefined || bound === undefined || values.length !== 1) return false;
      return r.operator === 'Gt' ? have > bound : have < bound;
    }
    default:
      return false;
  }
}

/** A term with neither expressions nor fields matches no node, as in Kubernetes. */
export function termMatchesNode(term: NodeSelectorTerm, node: NodeInfo): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!requirementMatches(r, node.labels[r.key])) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !requirementMatches(r, node.name)) return false;
  return true;
}

/** nodeSelector and required node affinity both hold (also used by topology spread's nodeAffinityPolicy). */
export function podMatchesNodeAffinity(pod: Pod, node: NodeInfo): boolean {
  const sel = pod.spec?.nodeSelector;
  if (sel) for (const k in sel) if (node.labels[k] !== sel[k]) return false;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return required.nodeSelectorTerms.some((t) => termMatchesNode(t, node));
  return true;
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
