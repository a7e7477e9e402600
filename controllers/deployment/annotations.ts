// The annotations a Deployment and its ReplicaSets carry: revision, desired/max replicas, and
// the deployment's own annotations (change-cause among them) copied to the new ReplicaSet.
import type { Deployment, ReplicaSet } from '../../api/index.js';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';
export const revisionHistoryAnnotation = 'deployment.kubernetes.io/revision-history';
export const desiredReplicasAnnotation = 'deployment.kubernetes.io/desired-replicas';
export const maxReplicasAnnotation = 'deployment.kubernetes.io/max-replicas';
export const autoRollbackAnnotation = 'skiff.io/auto-rollback';
/** Set on a ReplicaSet once its revision was fully available (the auto-rollback target). */
export const fullyAvailableAnnotation = 'skiff.io/fully-available';

/** Never copied from the deployment to its ReplicaSets. */
const notCopied = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  'deprecated.deployment.rollback.to',
  fullyAvailableAnnotation,
]);

export function revisionOf(obj: { metadata?: { annotations?: Record<string, string> } } | undefined): number {
  const v = Number.parseInt(obj?.metadata?.annotations?.[revisionAnnotation] ?? '', 10);
  return Number.isFinite(v) ? v : 0;
}

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Copies the deployment's annotations (except ours) onto the RS; true if anything changed. */
function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const target = (rs.metadata ??= {}).annotations ??= {};
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (notCopied.has(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** desired-replicas and max-replicas; true if they changed. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = (rs.metadata ??= {}).annotations ??= {};
  const changed = a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
  a[desiredReplicasAnnotation] = String(desired);
  a[maxReplicasAnnotation] = String(max);
  return changed;
}

/**
 * Upstream's setNewReplicaSetAnnotations: copy the deployment's annotations and raise the RS's
 * revision to `newRevision` (a reused old RS gets max+1, remembering its earlier revisions).
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, replicas?: { desired: number; max: number }): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = (rs.metadata ??= {}).annotations ??= {};
  const old = a[revisionAnnotation];
  if ((Number.parseInt(old ?? '', 10) || 0) < newRevision) {
    a[revisionAnnotation] = String(newRevision);
    if (old) a[revisionHistoryAnnotation] = a[revisionHistoryAnnotation] ? `${a[revisionHistoryAnnotation]},${old}` : old;
    changed = true;
  }
  if (replicas && setReplicasAnnotations(rs, replicas.desired, replicas.max)) changed = true;
  return changed;
}
