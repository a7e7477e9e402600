// pods/eviction (policy/v1 Eviction): a delete that honours PodDisruptionBudgets, after
// Kubernetes' pkg/registry/core/pod/storage/eviction.go. The one budget selecting the pod must
// allow a disruption; it is spent (status.disruptionsAllowed - 1, the pod noted in disruptedPods,
// compare-and-swap on the budget) before the pod is deleted, so two concurrent evictions never
// both take the last one. Otherwise 429 TooManyRequests with a DisruptionBudget cause, which
// `kubectl drain` retries.
import { decodeWith } from '../../api/decode.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import { EvictionSchema, type Eviction, type PodDisruptionBudget } from '../../api/policy/v1/poddisruptionbudget.js';
import { validateEviction } from '../../api/policy/v1/rules.js';
import { findResource } from '../../api/registry.js';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { ApiError, badRequest, forbidden, internal, invalid, methodNotAllowed } from '../errors.js';
import { nowRfc3339 } from './admit.js';
import { everything } from './predicate.js';
import type { DeleteOptions, Registry } from './rest.js';
import type { SubresourceRequest, SubresourceResult } from './strategy.js';

const pdbType = findResource('policy', 'v1', 'poddisruptionbudgets')!;
const evictionType = { group: 'policy', kind: 'Eviction' };
/** Kubernetes refuses evictions while a budget tracks this many disrupted pods. */
const maxDisruptedPods = 2000;
const evictionRetries = 10;

const violation = (cause: string): ApiError =>
  new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: 'DisruptionBudget', message: cause }],
    retryAfterSeconds: 10,
  });

interface PodLike extends KubeObject {
  status?: { phase?: string; conditions?: Array<{ type?: string; status?: string }> };
}

export const isPodReady = (pod: PodLike): boolean => (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** Pods whose deletion disrupts nothing: finished, not yet started, or already going. */
const canIgnoreBudget = (pod: PodLike): boolean =>
  ['Succeeded', 'Failed', 'Pending'].includes(pod.status?.phase ?? '') || !!pod.metadata.deletionTimestamp;

function decodeEviction(body: unknown, name: string): Eviction {
  // Lenient like Kubernetes' decoder: nulls (kubectl sends `creationTimestamp: null`) are absent, unknown fields dropped.
  const decoded = decodeWith(EvictionSchema, body ?? {});
  if (!decoded.value) throw invalid(evictionType, name, decoded.errors);
  const ev = decoded.value as Eviction;
  if (ev.kind !== undefined && ev.kind !== 'Eviction') throw badRequest(`the body of pods/eviction must be an Eviction, not ${ev.kind}`);
  if (ev.metadata?.name !== undefined && ev.metadata.name !== name) throw badRequest('name in URL does not match name in Eviction object');
  const errors = validateEviction(ev);
  if (errors.length > 0) throw invalid(evictionType, name, errors);
  return ev;
}

function deleteOptionsOf(ev: Eviction, dryRun: boolean): DeleteOptions {
  const d = ev.deleteOptions ?? {};
  return {
    ...(dryRun || (d.dryRun ?? []).includes('All') ? { dryRun: true } : {}),
    ...(d.gracePeriodSeconds !== undefined ? { gracePeriodSeconds: d.gracePeriodSeconds } : {}),
    ...(d.propagationPolicy ? { propagationPolicy: d.propagationPolicy as NonNullable<DeleteOptions['propagationPolicy']> } : {}),
    ...(d.preconditions ? { preconditions: d.preconditions as NonNullable<DeleteOptions['preconditions']> } : {}),
  };
}

async function budgetsOf(registry: Registry, pod: KubeObject): Promise<PodDisruptionBudget[]> {
  const page = await registry.list(pdbType, pod.metadata.namespace, { predicate: everything });
  return (page.items as PodDisruptionBudget[]).filter((pdb) => selectorFromLabelSelector(pdb.spec?.selector).matches(pod.metadata.labels ?? {}));
}

/** Why this budget forbids one more disruption now, or undefined when it allows one. */
function refusal(pdb: PodDisruptionBudget): ApiError | undefined {
  const s = pdb.status ?? {};
  const name = pdb.metadata?.name ?? '';
  if ((s.observedGeneration ?? 0) < (pdb.metadata?.generation ?? 0)) return violation(`The disruption budget ${name} is still being processed by the server.`);
  if ((s.disruptionsAllowed ?? 0) < 0) return forbidden(pdbType, name, 'pdb disruptions allowed is negative');
  if (Object.keys(s.disruptedPods ?? {}).length > maxDisruptedPods) return forbidden(pdbType, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  if ((s.disruptionsAllowed ?? 0) === 0) {
    return violation(`The disruption budget ${name} needs ${s.desiredHealthy ?? 0} healthy pods and has ${s.currentHealthy ?? 0} currently`);
  }
  return undefined;
}

export async function evictPod(registry: Registry, pods: ResourceType, req: SubresourceRequest): Promise<SubresourceResult> {
  if (req.method !== 'POST') throw methodNotAllowed();
  const ev = decodeEviction(req.body, req.name);
  const opts = deleteOptionsOf(ev, req.dryRun);
  const success = { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
  const remove = async (): Promise<SubresourceResult> => {
    await registry.delete(pods, req.namespace, req.name, opts);
    return success;
  };
  for (let attempt = 0; attempt < evictionRetries; attempt++) {
    const pod = (await registry.get(pods, req.namespace, req.name)) as PodLike;
    if (canIgnoreBudget(pod)) return remove();
    const budgets = await budgetsOf(registry, pod);
    if (budgets.length === 0) return remove();
    if (budgets.length > 1) throw internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    const pdb = budgets[0]!;
    const s = pdb.status ?? {};
    // An unready pod adds nothing to the budget's health: evicting it spends nothing.
    if (!isPodReady(pod)) {
      if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return remove();
      if ((s.currentHealthy ?? 0) >= (s.desiredHealthy ?? 0) && (s.desiredHealthy ?? 0) > 0) return remove();
    }
    const refused = refusal(pdb);
    if (refused) throw refused;
    if (opts.dryRun) return remove();
    try {
      await registry.guaranteedUpdate(pdbType, req.namespace, pdb.metadata!.name!, (cur) => {
        const status = { ...((cur as PodDisruptionBudget).status ?? {}) };
        status.disruptionsAllowed = (status.disruptionsAllowed ?? 0) - 1;
        status.disruptedPods = { ...(status.disruptedPods ?? {}), [req.name]: nowRfc3339() };
        return { ...cur, status };
      }, { expectRv: Number(pdb.metadata!.resourceVersion) });
    } catch (err) {
      // The budget changed since we read it (another eviction, the controller): decide again.
      if (err instanceof ApiError && err.code === 409) continue;
      throw err;
    }
    return remove();
  }
  throw violation('The disruption budget changed too often while this eviction was decided; try again.');
}
