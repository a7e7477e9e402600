// The StatefulSet reconcile: sync the history, plan (plan.ts), create pods with their stable
// names and hostnames and delete in order, write status.
import type { ControllerRevision, OwnerReference, Pod, PodTemplateSpec, StatefulSet } from '../../api/index.js';
import {
  controllerOf, done, isNotFound, requeueAfter, retry, splitKey,
  type Clientset, type EventRecorder, type Informer, type Outcome,
} from '../../client/index.js';
import { revisionHashLabel, revisionTemplate, syncHistory } from '../history/revisions.js';
import {
  claim, controllerRef, createOwnedPods, deleteOwnedPods, isOutcome, parseSelector, podFromTemplate, stableJson, type Expectations,
} from '../replicaset/index.js';
import { planStatefulSet } from './plan.js';

export const podNameLabel = 'statefulset.kubernetes.io/pod-name';
export const podIndexLabel = 'apps.kubernetes.io/pod-index';

export interface StatefulSetDeps {
  clientset: Clientset;
  statefulSets: Informer<StatefulSet>;
  pods: Informer<Pod>;
  revisions: Informer<ControllerRevision>;
  expectations: Expectations;
  recorder: EventRecorder;
  now: () => number;
}

const stsRef = (sts: StatefulSet): StatefulSet => ({ ...sts, apiVersion: 'apps/v1', kind: 'StatefulSet' });

/** Pod `<set>-<ordinal>` of a revision: its hostname is its name, its subdomain the governing Service. */
export function statefulPod(sts: StatefulSet, owner: OwnerReference, template: PodTemplateSpec, ordinal: number, revision: string): Pod {
  const m = sts.metadata ?? {};
  const name = `${m.name}-${ordinal}`;
  const pod = podFromTemplate(template, m.namespace ?? 'default', '', owner);
  const meta = pod.metadata!;
  delete meta.generateName;
  meta.name = name;
  meta.labels = { ...meta.labels, [revisionHashLabel]: revision, [podNameLabel]: name, [podIndexLabel]: String(ordinal) };
  pod.spec!.hostname = name;
  if (sts.spec?.serviceName) pod.spec!.subdomain = sts.spec.serviceName;
  return pod;
}

export function statefulSetReconciler(deps: StatefulSetDeps): (key: string) => Promise<Outcome> {
  const { clientset, expectations } = deps;
  return async function reconcile(key: string): Promise<Outcome> {
    const sts = deps.statefulSets.store.get(key);
    if (!sts?.spec) {
      expectations.forget(key);
      return done;
    }
    const { namespace, name } = splitKey(key);
    const ns = namespace ?? 'default';
    const selector = parseSelector(sts.spec.selector);
    if (isOutcome(selector)) return selector;
    const needsSync = expectations.satisfied(key);
    const m = sts.metadata ?? {};
    const owner = { apiVersion: 'apps/v1', kind: 'StatefulSet', name, namespace: ns, uid: m.uid ?? '', deleting: !!m.deletionTimestamp };
    const { claimed: pods, errors } = await claim(owner, selector, deps.pods.store.byIndex('namespace', ns), clientset.pods, () => clientset.statefulSets.get(ns, name));
    if (errors[0]) return retry(errors[0]);
    if (m.deletionTimestamp) return done;
    const revisions = deps.revisions.store.byIndex('namespace', ns).filter((r) => controllerOf(r)?.uid === m.uid);
    let update: ControllerRevision;
    try {
      // Pods carry the revision's name (not its hash) in controller-revision-hash.
      update = await syncHistory(clientset, { ...sts, kind: 'StatefulSet' }, revisions, pods, (r) => r.metadata?.name);
    } catch (err) {
      return retry(err as Error);
    }
    const updateName = update.metadata?.name ?? '';
    const currentName = sts.status?.currentRevision && revisions.some((r) => r.metadata?.name === sts.status?.currentRevision) ? sts.status.currentRevision : updateName;
    const templates = new Map<string, PodTemplateSpec | undefined>([[updateName, sts.spec.template]]);
    for (const r of revisions) if (r.metadata?.name && !templates.has(r.metadata.name)) templates.set(r.metadata.name, revisionTemplate(r));
    const now = deps.now();
    const plan = planStatefulSet(sts, pods, currentName, updateName, now);
    let manageError: Error | undefined;
    if (needsSync) {
      const control = { clientset, recorder: deps.recorder, expectations, owner: stsRef(sts), key };
      const ref = controllerRef({ apiVersion: 'apps/v1', kind: 'StatefulSet', name, uid: m.uid ?? '' });
      manageError = await deleteOwnedPods(control, plan.delete);
      if (plan.create.length > 0) {
        manageError = (await createOwnedPods(control, plan.create, (c) => statefulPod(sts, ref, templates.get(c.revision) ?? sts.spec!.template, c.ordinal, c.revision))) ?? manageError;
      }
    }
    const status = { ...plan.status, ...(sts.status?.collisionCount !== undefined ? { collisionCount: sts.status.collisionCount } : {}) };
    if (stableJson(status) !== stableJson(sts.status ?? {})) {
      try {
        await clientset.statefulSets.updateStatus({ ...stsRef(sts), status });
      } catch (err) {
        return isNotFound(err) ? done : retry(err as Error);
      }
    }
    if (manageError) return retry(manageError);
    const minReady = sts.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (status.availableReplicas ?? 0) < (status.readyReplicas ?? 0)) return requeueAfter(minReady * 1000 + 100);
    return done;
  };
}
