// What a DaemonSet sync does, as plain data: per node, create the missing daemon pod, delete
// failed, duplicate and misplaced ones; then the rolling update within maxUnavailable /
// maxSurge; and the status counts. Pure, so it is tested without an apiserver.
import type { DaemonSet, DaemonSetStatus, Node, Pod } from '../../api/index.js';
import { intOrPercentValue } from '../../api/index.js';
import { isPodAvailable, isPodReady } from '../replicaset/index.js';
import { revisionHashLabel, shouldRun, targetNode } from './nodes.js';

export interface DaemonPlan {
  /** Nodes that get a new pod of the current template. */
  create: string[];
  delete: Pod[];
  status: DaemonSetStatus;
}

/** An int-or-percent of `total`, rounded up (as the DaemonSet's maxUnavailable / maxSurge are). */
function scaled(v: string | number | undefined, total: number, fallback: number): number {
  if (v === undefined) return fallback;
  const { value, percent } = intOrPercentValue(v);
  return percent ? Math.ceil((value * total) / 100) : value;
}

const byAge = (a: Pod, b: Pod): number => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '');

export function planDaemonSet(ds: DaemonSet, nodes: Node[], pods: Pod[], hash: string, now: number): DaemonPlan {
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const strategy = ds.spec?.updateStrategy;
  const rolling = strategy?.type !== 'OnDelete';
  const plan: DaemonPlan = { create: [], delete: [], status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 } };
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    const node = targetNode(pod);
    if (node === undefined) continue;
    byNode.set(node, [...(byNode.get(node) ?? []), pod]);
  }
  const known = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  // Not yet scheduled, for a node that is gone: nothing will ever run them.
  for (const [node, ps] of byNode) if (!known.has(node)) plan.delete.push(...ps.filter((p) => !p.spec?.nodeName));

  const s = plan.status;
  const eligible = nodes.filter((n) => shouldRun(ds, n));
  const desired = eligible.length;
  const maxSurge = rolling ? scaled(strategy?.rollingUpdate?.maxSurge, desired, 0) : 0;
  const maxUnavailable = rolling ? scaled(strategy?.rollingUpdate?.maxUnavailable, desired, 1) : 0;
  const available = (p: Pod | undefined): boolean => !!p && isPodAvailable(p, minReady, now);
  interface Slot { node: string; old?: Pod; cur?: Pod }
  const slots: Slot[] = [];
  for (const node of nodes) {
    const name = node.metadata?.name ?? '';
    const ps = (byNode.get(name) ?? []).sort(byAge);
    const failed = ps.filter((p) => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded');
    const alive = ps.filter((p) => !failed.includes(p));
    plan.delete.push(...failed);
    if (!shouldRun(ds, node)) {
      if (alive.length > 0) s.numberMisscheduled++;
      plan.delete.push(...alive);
      continue;
    }
    s.desiredNumberScheduled++;
    const cur = alive.filter((p) => p.metadata?.labels?.[revisionHashLabel] === hash);
    const old = alive.filter((p) => !cur.includes(p));
    // One pod per node (two while a surge replaces the old one): the oldest of each kind stays.
    const keep: Pod[] = maxSurge > 0 ? [...cur.slice(0, 1), ...old.slice(0, 1)] : alive.slice(0, 1);
    plan.delete.push(...alive.filter((p) => !keep.includes(p)));
    const slot: Slot = { node: name };
    for (const p of keep) {
      if (cur.includes(p)) slot.cur = p;
      else slot.old = p;
    }
    if (keep.length === 0 && failed.length === 0) plan.create.push(name);
    slots.push(slot);
    if (keep.length > 0) s.currentNumberScheduled++;
    if (keep.some(isPodReady)) s.numberReady++;
    if (keep.some(available)) s.numberAvailable = (s.numberAvailable ?? 0) + 1;
    if (slot.cur) s.updatedNumberScheduled = (s.updatedNumberScheduled ?? 0) + 1;
  }
  if (rolling) rollingUpdate(slots, plan, maxSurge, maxUnavailable, available);
  s.numberAvailable ??= 0;
  s.updatedNumberScheduled ??= 0;
  s.numberUnavailable = desired - s.numberAvailable;
  s.observedGeneration = ds.metadata?.generation;
  return plan;
}

/**
 * Replaces old pods node by node. Without surge: an unavailable old pod goes at once, an
 * available one only while fewer than maxUnavailable nodes are down. With surge: a new pod starts
 * beside an available old one (at most maxSurge at a time), and the old goes once the new is available.
 */
function rollingUpdate(slots: Array<{ node: string; old?: Pod; cur?: Pod }>, plan: DaemonPlan, maxSurge: number, maxUnavailable: number, available: (p: Pod | undefined) => boolean): void {
  let unavailable = slots.filter((s) => !available(s.cur ?? s.old)).length;
  if (maxSurge === 0) {
    for (const s of slots) {
      if (!s.old || s.cur) continue;
      if (!available(s.old)) plan.delete.push(s.old);
      else if (unavailable < maxUnavailable) {
        plan.delete.push(s.old);
        unavailable++;
      }
    }
    return;
  }
  let surging = slots.filter((s) => s.old && s.cur && !available(s.cur)).length;
  for (const s of slots) {
    if (!s.old) continue;
    if (s.cur) {
      if (available(s.cur)) plan.delete.push(s.old);
    } else if (!available(s.old)) {
      plan.delete.push(s.old);
    } else if (surging < maxSurge) {
      plan.create.push(s.node);
      surging++;
    }
  }
}
