// Taints the node lifecycle controller owns, and toleration matching as the scheduler and the
// NoExecute taint manager read it (k8s.io/api/core/v1 toleration.go).
import type { Node, NodeCondition, Taint, Toleration } from '../../api/index.js';

export const unreachableKey = 'node.kubernetes.io/unreachable';
export const notReadyKey = 'node.kubernetes.io/not-ready';

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The taints a node's Ready condition calls for: Unknown → unreachable, False → not-ready. */
export function wantedTaints(ready: NodeCondition | undefined): Array<{ key: string; effect: string }> {
  const key = ready?.status === 'Unknown' ? unreachableKey : ready?.status === 'False' ? notReadyKey : undefined;
  return key ? [{ key, effect: 'NoSchedule' }, { key, effect: 'NoExecute' }] : [];
}

/** The node's taints with ours made to match `wanted`; undefined when nothing changes. */
export function reconcileTaints(current: Taint[], wanted: Array<{ key: string; effect: string }>, now: string): Taint[] | undefined {
  const ours = (t: { key: string }): boolean => t.key === unreachableKey || t.key === notReadyKey;
  const has = (w: { key: string; effect: string }): boolean => current.some((t) => t.key === w.key && t.effect === w.effect);
  const keep = current.filter((t) => !ours(t) || wanted.some((w) => w.key === t.key && w.effect === t.effect));
  const add = wanted.filter((w) => !has(w)).map((w): Taint => (w.effect === 'NoExecute' ? { ...w, timeAdded: now } : { ...w }));
  if (add.length === 0 && keep.length === current.length) return undefined;
  return [...keep, ...add];
}

export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/**
 * When a pod on a node with these NoExecute taints must go: now (a taint it does not tolerate),
 * never (tolerated without tolerationSeconds), or at the earliest `since(taint) + tolerationSeconds`.
 */
export function evictionTime(tolerations: Toleration[], taints: Taint[], since: (t: Taint) => number): number {
  let at = Infinity;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => tolerates(t, taint));
    if (matching.length === 0) return -Infinity;
    const secs = Math.min(...matching.map((t) => (t.tolerationSeconds === undefined ? Infinity : Math.max(0, t.tolerationSeconds))));
    if (secs !== Infinity) at = Math.min(at, since(taint) + secs * 1000);
  }
  return at;
}
