// Whether a pod may go to a node by its nodeSelector, required node affinity and tolerations —
// the pure rules the scheduler's filters and the DaemonSet controller's node choice share.
import type { NodeSelectorRequirement, NodeSelectorTerm, Taint, Toleration } from './affinity.js';
import type { PodSpec } from './pod.js';

/** The parts of a node these rules read. */
export interface NodeFacts {
  name: string;
  labels: Record<string, string>;
}

function parseInt64(s: string | undefined): bigint | undefined {
  return s !== undefined && /^[+-]?[0-9]+$/.test(s) ? BigInt(s) : undefined;
}

export function requirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
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
export function termMatchesNode(term: NodeSelectorTerm, node: NodeFacts): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  for (const r of exprs) if (!requirementMatches(r, node.labels[r.key])) return false;
  for (const r of fields) if (r.key !== 'metadata.name' || !requirementMatches(r, node.name)) return false;
  return true;
}

/** nodeSelector and required node affinity both hold. */
export function specMatchesNodeAffinity(spec: PodSpec | undefined, node: NodeFacts): boolean {
  const sel = spec?.nodeSelector;
  if (sel) for (const k in sel) if (node.labels[k] !== sel[k]) return false;
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required) return required.nodeSelectorTerms.some((t) => termMatchesNode(t, node));
  return true;
}

/** v1.Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Pick<Taint, 'key' | 'value' | 'effect'>): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}
