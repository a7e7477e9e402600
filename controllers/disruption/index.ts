// The disruption controller: keeps every PodDisruptionBudget's status (currentHealthy,
// desiredHealthy, disruptionsAllowed, expectedPods, observedGeneration, the DisruptionAllowed
// condition) current, so pods/eviction can decide from the budget alone. Keyed by budget; a pod
// change enqueues the budgets that select it. Controllers' desired replicas come from their scale
// subresource, a ReplicaSet owned by a Deployment counting as the Deployment.
import { isDeepStrictEqual } from 'node:util';
import type { Pod, PodDisruptionBudget, ReplicaSet, Scale } from '../../api/index.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { findByKind } from '../../api/registry.js';
import { controllerOf, Controller, done, indexers, keyOf, requeueAfter, retry, splitKey, type Informer, type Outcome } from '../../client/index.js';
import type { ControllerContext, ControllerDef } from '../context.js';
import { budgetStatus } from './budget.js';

export { budgetStatus, deletionTimeoutMs } from './budget.js';

const selects = (pdb: PodDisruptionBudget, pod: Pod): boolean => selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata?.labels ?? {});

export const disruptionController: ControllerDef = {
  name: 'disruption',
  setup(ctx) {
    const pdbs = ctx.factory.informer<PodDisruptionBudget>('poddisruptionbudgets');
    const pods = ctx.factory.informer<Pod>('pods');
    const replicaSets = ctx.factory.informer<ReplicaSet>('replicasets');
    pdbs.addIndexer('namespace', indexers.namespace);
    pods.addIndexer('namespace', indexers.namespace);
    const controller = new Controller({
      name: 'disruption',
      workers: 2,
      log: ctx.log,
      reconcile: (key) => reconcile(ctx, key, pdbs, pods, replicaSets),
    });
    const budgetsOf = (pod: Pod): string[] => pdbs.store.byIndex('namespace', pod.metadata?.namespace ?? '').filter((b) => selects(b, pod)).map(keyOf);
    controller.watch(pdbs).watch(pods, budgetsOf);
    return controller;
  },
};

async function reconcile(ctx: ControllerContext, key: string, pdbs: Informer<PodDisruptionBudget>, pods: Informer<Pod>, replicaSets: Informer<ReplicaSet>): Promise<Outcome> {
  const pdb = pdbs.store.get(key);
  if (!pdb) return done;
  const { namespace } = splitKey(key);
  const selected = pods.store.byIndex('namespace', namespace ?? '').filter((p) => selects(pdb, p));
  try {
    const { status, recheckMs } = await budgetStatus({
      pdb,
      pods: selected,
      expectedScale: () => expectedScale(ctx, selected, replicaSets),
      now: Date.now(),
    });
    if (!isDeepStrictEqual(status, pdb.status ?? {})) await ctx.clientset.podDisruptionBudgets.updateStatus({ ...pdb, status });
    return recheckMs !== undefined ? requeueAfter(recheckMs + 50) : done;
  } catch (err) {
    return retry(err instanceof Error ? err : new Error(String(err)));
  }
}

/** The controller of a pod whose scale counts: a Deployment rather than the ReplicaSet it owns. */
function scaledOwner(pod: Pod, replicaSets: Informer<ReplicaSet>): { apiVersion: string; kind: string; name: string; uid: string } {
  const ref = controllerOf(pod);
  if (!ref) throw new Error(`found no controllers for pod "${pod.metadata?.name}"`);
  if (ref.kind === 'ReplicaSet' && ref.apiVersion === 'apps/v1') {
    const rs = replicaSets.store.get(`${pod.metadata?.namespace}/${ref.name}`);
    const up = rs && controllerOf(rs);
    if (up?.kind === 'Deployment' && up.apiVersion === 'apps/v1') return up;
  }
  return ref;
}

/** Sum of spec.replicas of the pods' distinct controllers, each read through its scale subresource. */
async function expectedScale(ctx: ControllerContext, pods: Pod[], replicaSets: Informer<ReplicaSet>): Promise<number> {
  const owners = new Map<string, { apiVersion: string; kind: string; name: string }>();
  for (const p of pods) {
    const o = scaledOwner(p, replicaSets);
    owners.set(o.uid, o);
  }
  let total = 0;
  for (const o of owners.values()) {
    const rt = findByKind(o.apiVersion, o.kind);
    if (!rt?.subresources.includes('scale')) throw new Error(`${o.kind} "${o.name}" has no scale subresource: cannot count its expected pods`);
    const client = ctx.clientset.resource(rt.plural);
    const ns = pods[0]?.metadata?.namespace;
    const scale = await client.transport.request<Scale>('GET', client.path(ns, o.name, 'scale'));
    total += scale.spec?.replicas ?? 0;
  }
  return total;
}
