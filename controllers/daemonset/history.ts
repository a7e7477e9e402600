// A DaemonSet's history as ControllerRevisions: one per distinct template, named
// `<ds>-<hash>`, holding the patch `kubectl rollout undo` applies; a template seen again
// (a rollback) gets the next revision number; old ones beyond revisionHistoryLimit go.
import type { ControllerRevision, DaemonSet, Pod } from '../../api/index.js';
import { isAlreadyExists, isNotFound, type Clientset } from '../../client/index.js';
import { computeHash } from '../deployment/index.js';
import { controllerRef } from '../replicaset/index.js';
import { revisionHashLabel } from './nodes.js';

export function templateHash(ds: DaemonSet): string {
  return computeHash(ds.spec!.template, ds.status?.collisionCount);
}

/** What kubectl's DaemonSet rollback patches with: the template, replaced whole. */
export function revisionData(ds: DaemonSet): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(ds.spec!.template), $patch: 'replace' } } };
}

/** The current revision after making sure it exists and is the newest; old ones trimmed. */
export async function syncHistory(clientset: Clientset, ds: DaemonSet, revisions: ControllerRevision[], pods: Pod[]): Promise<ControllerRevision> {
  const m = ds.metadata ?? {};
  const hash = templateHash(ds);
  const maxRevision = Math.max(0, ...revisions.map((r) => r.revision));
  let current = revisions.find((r) => r.metadata?.labels?.[revisionHashLabel] === hash);
  if (!current) {
    const cr: ControllerRevision = {
      apiVersion: 'apps/v1', kind: 'ControllerRevision',
      metadata: {
        name: `${m.name}-${hash}`, namespace: m.namespace,
        labels: { ...ds.spec!.template.metadata?.labels, [revisionHashLabel]: hash },
        ...(m.annotations?.['kubernetes.io/change-cause'] ? { annotations: { 'kubernetes.io/change-cause': m.annotations['kubernetes.io/change-cause'] } } : {}),
        ownerReferences: [controllerRef({ apiVersion: 'apps/v1', kind: 'DaemonSet', name: m.name ?? '', uid: m.uid ?? '' })],
      },
      data: revisionData(ds),
      revision: maxRevision + 1,
    };
    try {
      current = await clientset.controllerRevisions.create(m.namespace, cr);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      current = await clientset.controllerRevisions.get(m.namespace, cr.metadata!.name!);
    }
  } else if (current.revision < maxRevision) {
    current = await clientset.controllerRevisions.update({ ...current, revision: maxRevision + 1 });
  }
  const live = new Set(pods.map((p) => p.metadata?.labels?.[revisionHashLabel]));
  const old = revisions
    .filter((r) => r.metadata?.uid !== current!.metadata?.uid && !live.has(r.metadata?.labels?.[revisionHashLabel]))
    .sort((a, b) => a.revision - b.revision);
  const limit = ds.spec?.revisionHistoryLimit ?? 10;
  for (const r of old.slice(0, Math.max(0, old.length - limit))) {
    try {
      await clientset.controllerRevisions.delete(r.metadata?.namespace, r.metadata?.name ?? '');
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return current;
}
