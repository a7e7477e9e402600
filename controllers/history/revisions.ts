// A workload's history as ControllerRevisions (DaemonSet, StatefulSet): one per distinct
// template, named `<owner>-<hash>`, holding the patch `kubectl rollout undo` applies; a template
// seen again (a rollback) gets the next revision number; old ones beyond revisionHistoryLimit go.
import type { ControllerRevision, ObjectMeta, Pod, PodTemplateSpec } from '../../api/index.js';
import { isAlreadyExists, isNotFound, type Clientset } from '../../client/index.js';
import { computeHash } from '../deployment/index.js';
import { controllerRef } from '../replicaset/index.js';

/** The label pods and revisions carry to name the revision they belong to. */
export const revisionHashLabel = 'controller-revision-hash';

/** The owner as history reads it. */
export interface Versioned {
  kind: 'DaemonSet' | 'StatefulSet';
  metadata?: ObjectMeta;
  spec?: { template: PodTemplateSpec; revisionHistoryLimit?: number };
  status?: { collisionCount?: number };
}

export function templateHash(owner: Versioned): string {
  return computeHash(owner.spec!.template, owner.status?.collisionCount);
}

/** What kubectl's rollback patches with: the template, replaced whole. */
export function revisionData(owner: Versioned): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(owner.spec!.template), $patch: 'replace' } } };
}

/** The pod template a revision holds. */
export function revisionTemplate(r: ControllerRevision): PodTemplateSpec | undefined {
  const t = (r.data as { spec?: { template?: PodTemplateSpec & { $patch?: string } } } | undefined)?.spec?.template;
  if (!t) return undefined;
  const { $patch: _replace, ...template } = t;
  return template;
}

/**
 * The current revision after making sure it exists and is the newest; old ones not used by
 * `pods` beyond revisionHistoryLimit are deleted. `podLabel` reads a pod's revision label value.
 */
export async function syncHistory(clientset: Clientset, ds: Versioned, revisions: ControllerRevision[], pods: Pod[], podLabel: (r: ControllerRevision) => string | undefined = (r) => r.metadata?.labels?.[revisionHashLabel]): Promise<ControllerRevision> {
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
        ownerReferences: [controllerRef({ apiVersion: 'apps/v1', kind: ds.kind, name: m.name ?? '', uid: m.uid ?? '' })],
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
    .filter((r) => r.metadata?.uid !== current!.metadata?.uid && !live.has(podLabel(r)))
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
