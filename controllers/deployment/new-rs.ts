// Finding (or creating) the deployment's new ReplicaSet — the one whose template equals the
// deployment's, ignoring the hash label — and keeping revisions in step (upstream's
// getAllReplicaSetsAndSyncRevision / getNewReplicaSet).
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { isAlreadyExists } from '../../client/index.js';
import { controllerRef } from '../replicaset/index.js';
import { maxRevision, revisionOf, setNewReplicaSetAnnotations } from './annotations.js';
import { getCondition, newCondition, reasons, setCondition } from './conditions.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './fenceposts.js';
import { computeHash, equalIgnoringHash, hashLabel } from './hash.js';
import { byCreation, deploymentRef, setDeploymentRevision, specReplicas, writeStatus, type SyncContext } from './sync-context.js';

export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export function splitReplicaSets(d: Deployment, rsList: ReplicaSet[]): ReplicaSets {
  const sorted = [...rsList].sort(byCreation);
  const newRS = sorted.find((rs) => equalIgnoringHash(rs.spec?.template, d.spec?.template));
  return { newRS, oldRSs: sorted.filter((rs) => rs !== newRS) };
}

/** Pods the new RS should have now (upstream's NewRSNewReplicas). */
export function newRSNewReplicas(d: Deployment, allRSs: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return desiredReplicas(d);
  // Count what exists as well as what is asked for: an RS scaled down may still have pods
  // its controller has not removed yet, and those count against the surge.
  const current = allRSs.reduce((n, rs) => n + Math.max(specReplicas(rs), rs.status?.replicas ?? 0), 0);
  const maxTotal = desiredReplicas(d) + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, desiredReplicas(d) - specReplicas(newRS));
  return specReplicas(newRS) + Math.max(0, up);
}

export async function getAllReplicaSetsAndSyncRevision(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], create: boolean): Promise<ReplicaSets> {
  const { newRS: existing, oldRSs } = splitReplicaSets(d, rsList);
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const copy = structuredClone(existing);
    const annotationsChanged = setNewReplicaSetAnnotations(d, copy, newRevision);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (copy.spec?.minReadySeconds ?? 0) !== minReady) {
      if (copy.spec) copy.spec.minReadySeconds = minReady;
      const updated = await ctx.clientset.replicaSets.update(copy);
      Object.assign(existing, { metadata: updated.metadata, spec: updated.spec, status: updated.status });
    }
    await setDeploymentRevision(ctx, d, String(revisionOf(existing)));
    const status = structuredClone(d.status ?? {});
    if (!getCondition(status, 'Progressing')) {
      setCondition(status, newCondition('Progressing', 'True', reasons.foundNewRS, `Found new replica set "${existing.metadata?.name}"`));
      await writeStatus(ctx, d, status);
    }
    return { newRS: existing, oldRSs };
  }
  if (!create) return { newRS: undefined, oldRSs };
  return { newRS: await createNewReplicaSet(ctx, d, oldRSs, newRevision), oldRSs };
}

async function createNewReplicaSet(ctx: SyncContext, d: Deployment, oldRSs: ReplicaSet[], newRevision: number): Promise<ReplicaSet> {
  const m = d.metadata ?? {};
  const ns = m.namespace ?? 'default';
  const spec = d.spec as NonNullable<Deployment['spec']>;
  const template = structuredClone(spec.template);
  const hash = computeHash(template, d.status?.collisionCount);
  const labels = { ...(template.metadata?.labels ?? {}), [hashLabel]: hash };
  template.metadata = { ...(template.metadata ?? {}), labels };
  const selector = structuredClone(spec.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [hashLabel]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${m.name}-${hash}`,
      namespace: ns,
      labels,
      ownerReferences: [controllerRef({ apiVersion: 'apps/v1', kind: 'Deployment', name: m.name ?? '', uid: m.uid ?? '' })],
    },
    spec: { replicas: 0, minReadySeconds: spec.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  (rs.spec as NonNullable<ReplicaSet['spec']>).replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, { desired: desiredReplicas(d), max: desiredReplicas(d) + maxSurge(d) });

  let created: ReplicaSet;
  let alreadyExisted = false;
  try {
    created = await ctx.clientset.replicaSets.create(ns, rs);
  } catch (err) {
    if (!isAlreadyExists(err)) {
      ctx.recorder.event(deploymentRef(d), 'Warning', 'FailedCreate', `Failed to create new replica set "${rs.metadata?.name}": ${(err as Error).message}`);
      throw err;
    }
    // Ours already (the cache lags), or a hash collision: then bump collisionCount and retry.
    const found = await ctx.clientset.replicaSets.get(ns, rs.metadata?.name ?? '');
    const owner = found.metadata?.ownerReferences?.find((r) => r.controller);
    if (owner?.uid !== m.uid || !equalIgnoringHash(found.spec?.template, spec.template)) {
      const status = structuredClone(d.status ?? {});
      status.collisionCount = (status.collisionCount ?? 0) + 1;
      await writeStatus(ctx, d, status);
      throw new Error(`hash collision on replica set ${rs.metadata?.name}; collisionCount now ${status.collisionCount}`);
    }
    created = found;
    alreadyExisted = true;
  }
  if (!alreadyExisted && replicas > 0) {
    ctx.recorder.event(deploymentRef(d), 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata?.name} to ${replicas} from 0`);
  }
  await setDeploymentRevision(ctx, d, String(newRevision));
  if (!alreadyExisted) {
    const status = structuredClone(d.status ?? {});
    setCondition(status, newCondition('Progressing', 'True', reasons.newRSCreated, `Created new replica set "${created.metadata?.name}"`));
    await writeStatus(ctx, d, status);
  }
  return created;
}
