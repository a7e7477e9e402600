// The ReplicaSet reconcile: claim pods, create or delete to match spec.replicas (when the
// expectations say the cache can be trusted), then write status.
import type { LabelSelector, Pod, ReplicaSet } from '../../api/index.js';
import {
  done, isNotFound, requeueAfter, retry, splitKey,
  type Clientset, type EventRecorder, type Informer, type Logger, type Outcome, type ResourceClient,
} from '../../client/index.js';
import { claim } from './claim.js';
import type { Expectations } from './expectations.js';
import { controllerRef, isPodActive, isPodAvailable, isPodReady, podFromTemplate, readyCondition } from './pods.js';
import { podsToDelete } from './ranking.js';
import { isOutcome, parseSelector } from './selectors.js';
import { createOwnedPods, deleteOwnedPods } from './pod-control.js';
import { calculateStatus, statusEqual } from './status.js';

/** At most this many creates or deletes per sync, like upstream's burstReplicas. */
const burstReplicas = 500;

/** The kind a replica controller manages: ReplicaSet, or the legacy ReplicationController (map selector). */
export interface ReplicaKind {
  apiVersion: string;
  kind: string;
  plural: string;
  client: (cs: Clientset) => ResourceClient<ReplicaSet>;
  selector: (rs: ReplicaSet) => LabelSelector | undefined;
}

export const replicaSetKind: ReplicaKind = {
  apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', client: (cs) => cs.replicaSets, selector: (rs) => rs.spec?.selector,
};

export interface ReplicaSetDeps {
  kind: ReplicaKind;
  clientset: Clientset;
  replicaSets: Informer<ReplicaSet>;
  pods: Informer<Pod>;
  expectations: Expectations;
  recorder: EventRecorder;
  log: Logger;
}

export function replicaSetReconciler(deps: ReplicaSetDeps): (key: string) => Promise<Outcome> {
  const { clientset, expectations, kind } = deps;
  const client = kind.client(clientset);
  const rsRef = (rs: ReplicaSet): ReplicaSet => ({ ...rs, apiVersion: kind.apiVersion, kind: kind.kind });

  async function manageReplicas(rs: ReplicaSet, key: string, pods: Pod[]): Promise<Error | undefined> {
    const m = rs.metadata ?? {};
    const ns = m.namespace ?? 'default';
    const diff = pods.length - (rs.spec?.replicas ?? 1);
    const control = { clientset, recorder: deps.recorder, expectations, owner: rsRef(rs), key };
    if (diff < 0) {
      const template = rs.spec?.template;
      if (!template) return new Error('spec.template is required to create pods');
      const owner = controllerRef({ apiVersion: kind.apiVersion, kind: kind.kind, name: m.name ?? '', uid: m.uid ?? '' });
      const count = Math.min(-diff, burstReplicas);
      return createOwnedPods(control, Array.from({ length: count }), () => podFromTemplate(template, ns, `${m.name}-`, owner));
    }
    if (diff > 0) return deleteOwnedPods(control, podsToDelete(pods, Math.min(diff, burstReplicas)));
    return undefined;
  }

  return async function reconcile(key: string): Promise<Outcome> {
    const rs = deps.replicaSets.store.get(key);
    if (!rs) {
      expectations.forget(key);
      return done;
    }
    const m = rs.metadata ?? {};
    const ns = splitKey(key).namespace ?? 'default';
    const selector = parseSelector(kind.selector(rs));
    if (isOutcome(selector)) return selector;
    // Take the expectations reading before looking at the cache, as upstream does.
    const needsSync = expectations.satisfied(key);
    const active = deps.pods.store.byIndex('namespace', ns).filter(isPodActive);
    const owner = { apiVersion: kind.apiVersion, kind: kind.kind, name: m.name ?? '', namespace: ns, uid: m.uid ?? '', deleting: !!m.deletionTimestamp };
    const { claimed, errors } = await claim(owner, selector, active, clientset.pods, () => client.get(ns, owner.name));
    // A failed adoption or release (a concurrent change) is retried with a fresher cache.
    if (errors[0]) return retry(errors[0]);
    let manageError: Error | undefined;
    if (needsSync && !m.deletionTimestamp) manageError = await manageReplicas(rs, key, claimed);

    const now = Date.now();
    const status = calculateStatus(rs, claimed, manageError, now);
    if (!statusEqual(rs.status, status)) {
      try {
        await client.patchStatus(ns, owner.name, { status: { conditions: null, ...status } });
      } catch (err) {
        if (isNotFound(err)) return done;
        return retry(err as Error);
      }
    }
    if (manageError) return retry(manageError);
    // Pods ready but not yet available for minReadySeconds: look again when they will be.
    const minReady = rs.spec?.minReadySeconds ?? 0;
    if (minReady > 0) {
      const due = claimed
        .filter((p) => isPodReady(p) && !isPodAvailable(p, minReady, now))
        .map((p) => Date.parse(readyCondition(p)?.lastTransitionTime ?? '') + minReady * 1000 - now);
      if (due.length > 0) return requeueAfter(Math.max(100, Math.min(...due.map((ms) => (Number.isFinite(ms) ? ms : 1000))) + 100));
    }
    return done;
  };
}
