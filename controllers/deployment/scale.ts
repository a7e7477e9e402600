// Scaling a deployment, also mid-rollout: the difference is split across the active
// ReplicaSets in proportion to their size (upstream's scale / getProportion).
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { desiredReplicasAnnotation, maxReplicasAnnotation } from './annotations.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './fenceposts.js';
import { active, byCreation, scaleReplicaSet, specReplicas, sumSpec, type SyncContext } from './sync-context.js';

const annotationInt = (rs: ReplicaSet, key: string): number | undefined => {
  const v = Number.parseInt(rs.metadata?.annotations?.[key] ?? '', 10);
  return Number.isFinite(v) ? v : undefined;
};

/** An active RS whose desired-replicas annotation differs from the deployment's replicas. */
export function isScalingEvent(d: Deployment, all: ReplicaSet[]): boolean {
  return active(all).some((rs) => {
    const desired = annotationInt(rs, desiredReplicasAnnotation);
    return desired !== undefined && desired !== desiredReplicas(d);
  });
}

function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const want = desiredReplicas(d);
  return specReplicas(rs) === want && annotationInt(rs, desiredReplicasAnnotation) === want && (rs.status?.availableReplicas ?? 0) === want;
}

function fraction(rs: ReplicaSet, d: Deployment): number {
  if (desiredReplicas(d) === 0) return -specReplicas(rs);
  const total = desiredReplicas(d) + maxSurge(d);
  const annotated = annotationInt(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  // Go's math.Round: halves away from zero.
  const size = (specReplicas(rs) * total) / annotated;
  return Math.sign(size) * Math.round(Math.abs(size)) - specReplicas(rs);
}

function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const f = fraction(rs, d);
  const allowed = toAdd - added;
  return allowed > 0 ? Math.min(f, allowed) : Math.max(f, allowed);
}

export async function scale(ctx: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const want = desiredReplicas(d);
  const candidates = [...(newRS ? [newRS] : []), ...oldRSs];
  const activeRSs = active(candidates);
  let only: ReplicaSet | undefined;
  if (activeRSs.length === 1) only = activeRSs[0];
  else if (activeRSs.length === 0) only = newRS ?? [...oldRSs].sort(byCreation).at(-1);
  if (only || activeRSs.length === 0) {
    if (only && specReplicas(only) !== want) await scaleReplicaSet(ctx, d, only, want);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const rs of active(oldRSs)) await scaleReplicaSet(ctx, d, rs, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - sumSpec(activeRSs);
  // Larger first; on a tie the newer grows first and the older shrinks first.
  const sorted = [...activeRSs].sort((a, b) => {
    if (specReplicas(a) !== specReplicas(b)) return specReplicas(b) - specReplicas(a);
    return toAdd > 0 ? byCreation(b, a) : byCreation(a, b);
  });
  const sizes = new Map<ReplicaSet, number>();
  let added = 0;
  for (const rs of sorted) {
    const p = toAdd !== 0 ? proportion(rs, d, toAdd, added) : 0;
    sizes.set(rs, specReplicas(rs) + p);
    added += p;
  }
  const first = sorted[0] as ReplicaSet;
  sizes.set(first, Math.max(0, (sizes.get(first) ?? 0) + (toAdd - added)));
  for (const rs of sorted) await scaleReplicaSet(ctx, d, rs, sizes.get(rs) ?? 0);
}
