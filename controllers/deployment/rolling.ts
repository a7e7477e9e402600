// RollingUpdate: scale the new ReplicaSet up within maxSurge, the old ones down within
// maxUnavailable (upstream's rolloutRolling and its helpers).
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { cleanupDeployment } from './cleanup.js';
import { desiredReplicas, maxUnavailable } from './fenceposts.js';
import { getAllReplicaSetsAndSyncRevision, newRSNewReplicas } from './new-rs.js';
import { deploymentComplete, syncRolloutStatus } from './status.js';
import { active, byCreation, scaleReplicaSet, specReplicas, sumSpec, type SyncContext } from './sync-context.js';

/** Available pods we can count on: a just-scaled-down RS cannot have more than its spec. */
const countedAvailable = (rs: ReplicaSet): number => Math.min(rs.status?.availableReplicas ?? 0, specReplicas(rs));

async function reconcileNewReplicaSet(ctx: SyncContext, all: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const want = desiredReplicas(d);
  if (specReplicas(newRS) === want) return false;
  if (specReplicas(newRS) > want) return scaleReplicaSet(ctx, d, newRS, want);
  return scaleReplicaSet(ctx, d, newRS, newRSNewReplicas(d, all, newRS));
}

/** Scales down old RSs' unavailable pods first, up to `max`; returns how many. */
async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment, max: number): Promise<number> {
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= max) break;
    const unhealthy = specReplicas(rs) - countedAvailable(rs);
    if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
    const n = Math.min(max - total, unhealthy);
    await scaleReplicaSet(ctx, d, rs, specReplicas(rs) - n);
    total += n;
  }
  return total;
}

async function scaleDownOldForRollingUpdate(ctx: SyncContext, all: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number> {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = all.reduce((n, rs) => n + countedAvailable(rs), 0);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (specReplicas(rs) === 0) continue;
    const n = Math.min(specReplicas(rs), budget - total);
    await scaleReplicaSet(ctx, d, rs, specReplicas(rs) - n);
    total += n;
  }
  return total;
}

async function reconcileOldReplicaSets(ctx: SyncContext, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (sumSpec(oldRSs) === 0) return false;
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = sumSpec(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  const scaled = await scaleDownOldForRollingUpdate(ctx, all, oldRSs, d);
  return cleaned + scaled > 0;
}

/** Returns a requeue delay (ms) when a deadline must be checked, like syncRolloutStatus. */
export async function rolloutRolling(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<number | undefined> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  if (!newRS) throw new Error('no new replica set');
  const all = [...oldRSs, newRS];
  if (await reconcileNewReplicaSet(ctx, all, newRS, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (await reconcileOldReplicaSets(ctx, all, active(oldRSs), newRS, d)) return syncRolloutStatus(ctx, all, newRS, d);
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all, newRS, d);
}
