// Deployment status from its ReplicaSets, and the Progressing condition's life cycle exactly as
// `kubectl rollout status` reads it (upstream's calculateStatus / syncRolloutStatus).
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/index.js';
import { fullyAvailableAnnotation } from './annotations.js';
import { getCondition, newCondition, reasons, removeCondition, setCondition } from './conditions.js';
import { desiredReplicas, maxUnavailable } from './fenceposts.js';
import { hasAutoRollback } from './rollback.js';
import { stableJson } from '../replicaset/index.js';
import { sumSpec, writeStatus, type SyncContext } from './sync-context.js';

const sum = (rss: ReplicaSet[], f: (rs: ReplicaSet) => number | undefined): number => rss.reduce((n, rs) => n + (f(rs) ?? 0), 0);

export function calculateStatus(allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): DeploymentStatus {
  const available = sum(allRSs, (rs) => rs.status?.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: sum(allRSs, (rs) => rs.status?.replicas),
    updatedReplicas: newRS?.status?.replicas ?? 0,
    readyReplicas: sum(allRSs, (rs) => rs.status?.readyReplicas),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, sumSpec(allRSs) - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions: structuredClone(d.status?.conditions ?? []),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', reasons.minAvailable, 'Deployment has minimum availability.'));
  } else {
    setCondition(status, newCondition('Available', 'False', reasons.minUnavailable, 'Deployment does not have minimum availability.'));
  }
  return status;
}

export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = desiredReplicas(d);
  return s.updatedReplicas === want && s.replicas === want && s.availableReplicas === want && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

const deadlineMs = (d: Deployment): number => (d.spec?.progressDeadlineSeconds ?? 600) * 1000;

function timedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  const cond = getCondition(s, 'Progressing');
  if (!cond || cond.reason === reasons.newRSAvailable) return false;
  if (cond.reason === reasons.timedOut) return true;
  const from = Date.parse(cond.lastUpdateTime ?? '');
  return Number.isFinite(from) && from + deadlineMs(d) < now;
}

function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus): boolean {
  return stableJson(a ?? {}) === stableJson(b);
}

/** Writes status if it changed (no progress estimation: paused or scaling). */
export async function syncDeploymentStatus(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d);
  if (!statusEqual(d.status, status)) await writeStatus(ctx, d, status);
}

/**
 * Status plus the Progressing condition. Returns the ms after which to look again for a
 * deadline that may pass without any event, or undefined.
 */
export async function syncRolloutStatus(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet | undefined, d: Deployment): Promise<number | undefined> {
  const status = calculateStatus(allRSs, newRS, d);
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === reasons.newRSAvailable;
  const now = Date.now();
  if (!complete) {
    const name = newRS?.metadata?.name;
    if (deploymentComplete(d, status)) {
      const msg = newRS ? `ReplicaSet "${name}" has successfully progressed.` : `Deployment "${d.metadata?.name}" has successfully progressed.`;
      setCondition(status, newCondition('Progressing', 'True', reasons.newRSAvailable, msg));
    } else if (deploymentProgressing(d, status)) {
      const cond = newCondition('Progressing', 'True', reasons.rsUpdated, `ReplicaSet "${name}" is progressing.`);
      if (current?.status === 'True' && current.lastTransitionTime) cond.lastTransitionTime = current.lastTransitionTime;
      // Remove first so lastUpdateTime moves: the deadline counts from the last progress.
      removeCondition(status, 'Progressing');
      setCondition(status, cond);
    } else if (timedOut(d, status, now)) {
      setCondition(status, newCondition('Progressing', 'False', reasons.timedOut, `ReplicaSet "${name}" has timed out progressing.`));
    }
  }
  if (newRS && deploymentComplete(d, status) && hasAutoRollback(d) && newRS.metadata?.annotations?.[fullyAvailableAnnotation] !== 'true') {
    // Remember this revision as good: it is what an auto-rollback returns to.
    const m = newRS.metadata ?? {};
    await ctx.clientset.replicaSets.patch(m.namespace, m.name ?? '', { metadata: { annotations: { [fullyAvailableAnnotation]: 'true' } } });
  }
  if (!statusEqual(d.status, status)) {
    await writeStatus(ctx, d, status);
    if (getCondition(status, 'Progressing')?.reason === reasons.timedOut) return undefined;
  }
  // requeueStuckDeployment: nothing may happen before the deadline, so look again then.
  const cond = getCondition(d.status, 'Progressing');
  if (!cond || deploymentComplete(d, status) || cond.reason === reasons.timedOut || cond.reason === reasons.newRSAvailable) return undefined;
  const due = Date.parse(cond.lastUpdateTime ?? '') + deadlineMs(d) - now;
  return Number.isFinite(due) ? Math.max(due, 0) + 1000 : undefined;
}
