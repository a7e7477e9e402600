// What every step of a deployment sync needs, and the writes they share: scaling a ReplicaSet
// (with its desired/max annotations and the ScalingReplicaSet event) and writing status.
import type { Deployment, DeploymentStatus, ReplicaSet } from '../../api/index.js';
import type { Clientset, EventRecorder, Informer, Logger } from '../../client/index.js';
import type { Pod } from '../../api/index.js';
import { setReplicasAnnotations } from './annotations.js';
import { desiredReplicas, maxSurge } from './fenceposts.js';

export interface SyncContext {
  clientset: Clientset;
  recorder: EventRecorder;
  log: Logger;
  pods: Informer<Pod>;
}

export const deploymentRef = (d: Deployment): Deployment => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' });

export const specReplicas = (rs: ReplicaSet | undefined): number => rs?.spec?.replicas ?? 0;

/**
 * Sets the RS's replicas (and desired/max annotations) through an update guarded by its
 * resourceVersion; the RS object is refreshed in place. True if the size changed.
 */
export async function scaleReplicaSet(ctx: SyncContext, d: Deployment, rs: ReplicaSet, newScale: number): Promise<boolean> {
  const old = specReplicas(rs);
  const copy = structuredClone(rs);
  const annotationsChanged = setReplicasAnnotations(copy, desiredReplicas(d), desiredReplicas(d) + maxSurge(d));
  if (old === newScale && !annotationsChanged) return false;
  (copy.spec ??= { selector: {} }).replicas = newScale;
  const updated = await ctx.clientset.replicaSets.update(copy);
  Object.assign(rs, { metadata: updated.metadata, spec: updated.spec, status: updated.status });
  if (old !== newScale) {
    const direction = newScale > old ? 'up' : 'down';
    ctx.recorder.event(deploymentRef(d), 'Normal', 'ScalingReplicaSet', `Scaled ${direction} replica set ${rs.metadata?.name} to ${newScale} from ${old}`);
  }
  return old !== newScale;
}

/** Writes the whole status (merge patch on /status) and keeps `d` in step. */
export async function writeStatus(ctx: SyncContext, d: Deployment, status: DeploymentStatus): Promise<void> {
  const m = d.metadata ?? {};
  const updated = await ctx.clientset.deployments.patchStatus(m.namespace, m.name ?? '', { status: { conditions: null, ...status } });
  d.status = updated.status ?? status;
  m.resourceVersion = updated.metadata?.resourceVersion;
}

/** Sets the deployment's revision annotation if it differs (a metadata-only merge patch). */
export async function setDeploymentRevision(ctx: SyncContext, d: Deployment, revision: string): Promise<void> {
  const m = (d.metadata ??= {});
  if (m.annotations?.['deployment.kubernetes.io/revision'] === revision) return;
  const updated = await ctx.clientset.deployments.patch(m.namespace, m.name ?? '', { metadata: { annotations: { 'deployment.kubernetes.io/revision': revision } } });
  m.annotations = updated.metadata?.annotations;
  m.resourceVersion = updated.metadata?.resourceVersion;
}

export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata?.creationTimestamp ?? '';
  const tb = b.metadata?.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : 1;
}

export const active = (rss: ReplicaSet[]): ReplicaSet[] => rss.filter((rs) => specReplicas(rs) > 0);
export const sumSpec = (rss: ReplicaSet[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
