// Automatic rollback (a Skiff extension): with `skiff.io/auto-rollback: "true"`, a rollout whose
// Progressing condition reached ProgressDeadlineExceeded is rolled back to the newest revision
// that was once fully available — its template copied back as `kubectl rollout undo` does —
// with a Warning Event saying why. A revision that was itself good once is never rolled back
// automatically (its failure is the environment's, not the template's).
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { autoRollbackAnnotation, fullyAvailableAnnotation, revisionOf } from './annotations.js';
import { getCondition, reasons } from './conditions.js';
import { withoutHash } from './hash.js';
import { deploymentRef, type SyncContext } from './sync-context.js';
import type { ReplicaSets } from './new-rs.js';

export const hasAutoRollback = (d: Deployment): boolean => d.metadata?.annotations?.[autoRollbackAnnotation] === 'true';

const good = (rs: ReplicaSet): boolean => rs.metadata?.annotations?.[fullyAvailableAnnotation] === 'true';

/** Annotations `rollout undo` leaves alone on the deployment. */
const keptOnDeployment = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision', 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to'];

/** True if the deployment was rolled back (the caller ends this sync; the update re-queues). */
export async function maybeAutoRollback(ctx: SyncContext, d: Deployment, { newRS, oldRSs }: ReplicaSets): Promise<boolean> {
  if (!hasAutoRollback(d) || d.spec?.paused) return false;
  if (getCondition(d.status, 'Progressing')?.reason !== reasons.timedOut) return false;
  if (newRS && good(newRS)) return false;
  const target = oldRSs.filter(good).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
  const failed = newRS ? `revision ${revisionOf(newRS)} (replica set ${newRS.metadata?.name})` : 'the new revision';
  const deadline = d.spec?.progressDeadlineSeconds ?? 600;
  if (!target) {
    ctx.recorder.event(deploymentRef(d), 'Warning', 'AutoRollbackImpossible', `Rollout of ${failed} exceeded its progress deadline of ${deadline}s, and no earlier revision was ever fully available to roll back to`);
    return false;
  }
  const copy = structuredClone(d);
  (copy.spec as NonNullable<Deployment['spec']>).template = withoutHash(target.spec?.template);
  // Like `rollout undo`, the deployment takes the target's annotations (change-cause among them).
  const annotations: Record<string, string> = {};
  for (const k of keptOnDeployment) {
    const v = d.metadata?.annotations?.[k];
    if (v !== undefined) annotations[k] = v;
  }
  for (const [k, v] of Object.entries(target.metadata?.annotations ?? {})) {
    if (!keptOnDeployment.includes(k) && k !== fullyAvailableAnnotation) annotations[k] = v;
  }
  annotations[autoRollbackAnnotation] = 'true';
  (copy.metadata ??= {}).annotations = annotations;
  delete copy.status;
  await ctx.clientset.deployments.update(copy);
  ctx.recorder.event(
    deploymentRef(d),
    'Warning',
    'AutoRollback',
    `Rollout of ${failed} exceeded its progress deadline of ${deadline}s; rolled back to revision ${revisionOf(target)} (replica set ${target.metadata?.name}), the last one fully available`,
  );
  return true;
}
