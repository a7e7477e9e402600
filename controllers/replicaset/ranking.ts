// Which pods a scale-down removes first: the least valuable, in the order of upstream's
// controller.ActivePods: unscheduled before scheduled, Pending < Unknown < Running, not ready
// before ready, ready for a shorter time first, more restarts first, newer first.
import type { Pod } from '../../api/index.js';
import { isPodReady, readyCondition } from './pods.js';

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function restarts(pod: Pod): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => Math.max(n, c.restartCount ?? 0), 0);
}

function time(t: string | undefined): number {
  const ms = t ? Date.parse(t) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: Pod, b: Pod): number {
  const sa = a.spec?.nodeName ? 1 : 0;
  const sb = b.spec?.nodeName ? 1 : 0;
  if (sa !== sb) return sa - sb;
  const pa = phaseRank[a.status?.phase ?? 'Pending'] ?? 0;
  const pb = phaseRank[b.status?.phase ?? 'Pending'] ?? 0;
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a) ? 1 : 0;
  const rb = isPodReady(b) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  if (ra === 1) {
    // Ready more recently = less proven: delete first.
    const ta = time(readyCondition(a)?.lastTransitionTime);
    const tb = time(readyCondition(b)?.lastTransitionTime);
    if (ta !== tb) return tb - ta;
  }
  const ca = restarts(a);
  const cb = restarts(b);
  if (ca !== cb) return cb - ca;
  return time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp);
}

/** The `n` pods to delete, least valuable first. */
export function podsToDelete(pods: Pod[], n: number): Pod[] {
  return n >= pods.length ? [...pods] : [...pods].sort(compareForDeletion).slice(0, n);
}
