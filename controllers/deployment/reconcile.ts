// The Deployment reconcile (upstream's syncDeployment): claim ReplicaSets, then pause handling,
// automatic rollback, scaling, or a rollout step by strategy.
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { clone, done, isNotFound, requeueAfter, retry, splitKey, type Informer, type Outcome } from '../../client/index.js';
import { claim, isOutcome, parseSelector } from '../replicaset/index.js';
import { cleanupDeployment } from './cleanup.js';
import { getCondition, newCondition, reasons, setCondition } from './conditions.js';
import { getAllReplicaSetsAndSyncRevision, splitReplicaSets } from './new-rs.js';
import { rolloutRecreate } from './recreate.js';
import { maybeAutoRollback } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { isScalingEvent, scale } from './scale.js';
import { syncDeploymentStatus } from './status.js';
import { deploymentRef, writeStatus, type SyncContext } from './sync-context.js';

export interface DeploymentDeps extends SyncContext {
  deployments: Informer<Deployment>;
  replicaSets: Informer<ReplicaSet>;
}

/** Scaling or paused: resize without rolling, then status (no progress estimate). */
async function sync(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec?.paused) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
}

async function checkPausedConditions(ctx: SyncContext, d: Deployment): Promise<void> {
  const cond = getCondition(d.status, 'Progressing');
  if (cond?.reason === reasons.timedOut) return;
  const pausedNoted = cond?.reason === reasons.paused;
  const status = structuredClone(d.status ?? {});
  if (d.spec?.paused && !pausedNoted) setCondition(status, newCondition('Progressing', 'Unknown', reasons.paused, 'Deployment is paused'));
  else if (!d.spec?.paused && pausedNoted) setCondition(status, newCondition('Progressing', 'Unknown', reasons.resumed, 'Deployment is resumed'));
  else return;
  await writeStatus(ctx, d, status);
}

export function deploymentReconciler(deps: DeploymentDeps): (key: string) => Promise<Outcome> {
  const ctx: SyncContext = deps;
  return async function reconcile(key: string): Promise<Outcome> {
    const cached = deps.deployments.store.get(key);
    if (!cached) return done;
    const d = clone(cached);
    const m = d.metadata ?? {};
    const ns = splitKey(key).namespace ?? 'default';
    const selector = parseSelector(d.spec?.selector);
    if (isOutcome(selector)) return selector;
    if (selector.empty) {
      ctx.recorder.event(deploymentRef(d), 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      return done;
    }
    try {
      const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: m.name ?? '', namespace: ns, uid: m.uid ?? '', deleting: !!m.deletionTimestamp };
      const { claimed, errors } = await claim(owner, selector, deps.replicaSets.store.byIndex('namespace', ns), ctx.clientset.replicaSets, () => ctx.clientset.deployments.get(ns, owner.name));
      if (errors[0]) return retry(errors[0]);
      const rsList = claimed.map((rs) => clone(rs));
      if (m.deletionTimestamp) {
        const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
        await syncDeploymentStatus(ctx, [...oldRSs, ...(newRS ? [newRS] : [])], newRS, d);
        return done;
      }
      await checkPausedConditions(ctx, d);
      if (d.spec?.paused) {
        await sync(ctx, d, rsList);
        return done;
      }
      if (await maybeAutoRollback(ctx, d, splitReplicaSets(d, rsList))) return done;
      if (isScalingEvent(d, rsList)) {
        await sync(ctx, d, rsList);
        return done;
      }
      const delay = d.spec?.strategy?.type === 'Recreate' ? await rolloutRecreate(ctx, d, rsList) : await rolloutRolling(ctx, d, rsList);
      return delay === undefined ? done : requeueAfter(delay);
    } catch (err) {
      if (isNotFound(err)) return done;
      return retry(err as Error);
    }
  };
}
