// revisionHistoryLimit: delete the oldest old ReplicaSets beyond the limit, only those with no
// pods left and whose status caught up.
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { isNotFound } from '../../client/index.js';
import { revisionOf } from './annotations.js';
import { specReplicas, type SyncContext } from './sync-context.js';

export async function cleanupDeployment(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  const limit = d.spec?.revisionHistoryLimit;
  if (limit === undefined) return;
  const cleanable = oldRSs.filter((rs) => !rs.metadata?.deletionTimestamp);
  const excess = cleanable.length - limit;
  if (excess <= 0) return;
  const oldestFirst = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b));
  for (const rs of oldestFirst.slice(0, excess)) {
    const m = rs.metadata ?? {};
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (m.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    try {
      await ctx.clientset.replicaSets.delete(m.namespace, m.name ?? '', { propagationPolicy: 'Background', preconditions: { uid: m.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
