// The DaemonSet reconcile: sync the history, plan (plan.ts), create and delete pods when the
// expectations say the cache can be trusted, write status, and look again when a pod becomes
// available (minReadySeconds).
import type { ControllerRevision, DaemonSet, Node, Pod } from '../../api/index.js';
import {
  controllerOf, done, isNotFound, requeueAfter, retry, splitKey,
  type Clientset, type EventRecorder, type Informer, type Outcome,
} from '../../client/index.js';
import {
  claim, controllerRef, createOwnedPods, deleteOwnedPods, isOutcome, parseSelector, stableJson, type Expectations,
} from '../replicaset/index.js';
import { syncHistory, templateHash } from '../history/revisions.js';
import { daemonPod } from './nodes.js';
import { planDaemonSet } from './plan.js';

export interface DaemonSetDeps {
  clientset: Clientset;
  daemonSets: Informer<DaemonSet>;
  pods: Informer<Pod>;
  nodes: Informer<Node>;
  revisions: Informer<ControllerRevision>;
  expectations: Expectations;
  recorder: EventRecorder;
  now: () => number;
}

const dsRef = (ds: DaemonSet): DaemonSet => ({ ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' });

export function daemonSetReconciler(deps: DaemonSetDeps): (key: string) => Promise<Outcome> {
  const { clientset, expectations } = deps;

  return async function reconcile(key: string): Promise<Outcome> {
    const ds = deps.daemonSets.store.get(key);
    if (!ds?.spec) {
      expectations.forget(key);
      return done;
    }
    const { namespace, name } = splitKey(key);
    const ns = namespace ?? 'default';
    const selector = parseSelector(ds.spec.selector);
    if (isOutcome(selector)) return selector;
    const needsSync = expectations.satisfied(key);
    const m = ds.metadata ?? {};
    const owner = { apiVersion: 'apps/v1', kind: 'DaemonSet', name, namespace: ns, uid: m.uid ?? '', deleting: !!m.deletionTimestamp };
    const { claimed: pods, errors } = await claim(owner, selector, deps.pods.store.byIndex('namespace', ns), clientset.pods, () => clientset.daemonSets.get(ns, name));
    if (errors[0]) return retry(errors[0]);
    if (m.deletionTimestamp) return done;
    const revisions = deps.revisions.store.byIndex('namespace', ns).filter((r) => controllerOf(r)?.uid === m.uid);
    try {
      await syncHistory(clientset, { ...ds, kind: 'DaemonSet' }, revisions, pods);
    } catch (err) {
      return retry(err as Error);
    }
    const now = deps.now();
    const hash = templateHash({ ...ds, kind: 'DaemonSet' });
    const plan = planDaemonSet(ds, deps.nodes.store.list(), pods, hash, now);
    let manageError: Error | undefined;
    if (needsSync) {
      const control = { clientset, recorder: deps.recorder, expectations, owner: dsRef(ds), key };
      const ref = controllerRef({ apiVersion: 'apps/v1', kind: 'DaemonSet', name, uid: m.uid ?? '' });
      manageError = await deleteOwnedPods(control, plan.delete);
      if (plan.create.length > 0) manageError = (await createOwnedPods(control, plan.create, (node) => daemonPod(ds, ref, node, hash))) ?? manageError;
    }
    const status = { ...plan.status, ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}) };
    if (stableJson(status) !== stableJson(ds.status ?? {})) {
      try {
        await clientset.daemonSets.updateStatus({ ...dsRef(ds), status });
      } catch (err) {
        return isNotFound(err) ? done : retry(err as Error);
      }
    }
    if (manageError) return retry(manageError);
    // Ready pods become available after minReadySeconds: sync again then.
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && (status.numberAvailable ?? 0) < status.numberReady) return requeueAfter(minReady * 1000 + 100);
    return done;
  };
}
