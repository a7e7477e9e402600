// Recreate: every old pod gone before the new ReplicaSet gets any (upstream's rolloutRecreate).
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { isPodActive } from '../replicaset/index.js';
import { cleanupDeployment } from './cleanup.js';
import { desiredReplicas } from './fenceposts.js';
import { getAllReplicaSetsAndSyncRevision } from './new-rs.js';
import { deploymentComplete, syncRolloutStatus } from './status.js';
import { active, scaleReplicaSet, specReplicas, type SyncContext } from './sync-context.js';

/** Old RSs still report pods, or the cache still holds running pods of theirs. */
function oldPodsRunning(ctx: SyncContext, oldRSs: ReplicaSet[]): boolean {
  if (oldRSs.some((rs) => (rs.status?.replicas ?? 0) > 0)) return true;
  const uids = new Set(oldRSs.map((rs) => rs.metadata?.uid));
  const ns = oldRSs[0]?.metadata?.namespace ?? '';
  return ctx.pods.store.byIndex('namespace', ns).some((p) => {
    const owner = p.metadata?.ownerReferences?.find((r) => r.controller);
    if (!owner || !uids.has(owner.uid)) return false;
    // Terminating pods still run their containers until the kubelet finishes them.
    return isPodActive(p) || !!p.metadata?.deletionTimestamp;
  });
}

export async function rolloutRecreate(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<number | undefined> {
  let { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  const all = (): ReplicaSet[] => [...oldRSs, ...(newRS ? [newRS] : [])];
  let scaledDown = false;
  for (const rs of active(oldRSs)) if (await scaleReplicaSet(ctx, d, rs, 0)) scaledDown = true;
  if (scaledDown || oldPodsRunning(ctx, oldRSs)) return syncRolloutStatus(ctx, all(), newRS, d);
  if (!newRS) ({ newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true));
  if (newRS && specReplicas(newRS) !== desiredReplicas(d)) await scaleReplicaSet(ctx, d, newRS, desiredReplicas(d));
  if (deploymentComplete(d, d.status ?? {})) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, all(), newRS, d);
}
