// What a PodDisruptionBudget's status should say, as plain data from the budget, its pods and the
// scale of their controllers (Kubernetes' pkg/controller/disruption: getExpectedPodCount,
// countHealthyPods, buildDisruptedPodMap, updatePdbStatus).
import type { Condition, Pod, PodDisruptionBudget, PodDisruptionBudgetStatus } from '../../api/index.js';
import { intOrPercentValue } from '../../api/validation.js';

/** How long an eviction the apiserver recorded in disruptedPods may take to show up as a deletion. */
export const deletionTimeoutMs = 2 * 60_000;

export interface BudgetInputs {
  pdb: PodDisruptionBudget;
  /** The pods the budget's selector picks, in its namespace. */
  pods: Pod[];
  /**
   * Sum of the desired replicas of the pods' controllers (read through their scale subresource),
   * or an error saying why it is unknown. Needed only for maxUnavailable and percentage minAvailable.
   */
  expectedScale: () => Promise<number>;
  now: number;
}

export interface BudgetOutcome {
  status: PodDisruptionBudgetStatus;
  /** When a recorded disruption expires and the budget must be counted again (ms from now). */
  recheckMs?: number;
}

const isReady = (p: Pod): boolean => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

/** intstr.GetScaledValueFromIntOrPercent(value, total, roundUp=true). */
function scaled(value: string | number, total: number): number {
  const v = intOrPercentValue(value);
  return v.percent ? Math.ceil((v.value * total) / 100) : v.value;
}

/** [expectedPods, desiredHealthy] as the budget's spec defines them. */
async function expectations(pdb: PodDisruptionBudget, pods: Pod[], expectedScale: () => Promise<number>): Promise<[number, number]> {
  const spec = pdb.spec ?? {};
  if (spec.maxUnavailable !== undefined) {
    const expected = await expectedScale();
    return [expected, Math.max(0, expected - scaled(spec.maxUnavailable, expected))];
  }
  if (spec.minAvailable !== undefined) {
    if (typeof spec.minAvailable === 'number') return [pods.length, spec.minAvailable];
    const expected = await expectedScale();
    return [expected, scaled(spec.minAvailable, expected)];
  }
  return [0, 0];
}

/** The disruptedPods entries still pending (pod exists, not deleting, not expired), and the earliest expiry. */
function pendingDisruptions(pdb: PodDisruptionBudget, pods: Pod[], now: number): { kept: Record<string, string>; recheckMs?: number } {
  const recorded = pdb.status?.disruptedPods ?? {};
  const kept: Record<string, string> = {};
  let recheckMs: number | undefined;
  for (const p of pods) {
    const name = p.metadata?.name ?? '';
    const at = recorded[name];
    if (at === undefined || p.metadata?.deletionTimestamp) continue;
    const expiresIn = Date.parse(at) + deletionTimeoutMs - now;
    if (expiresIn <= 0) continue;
    kept[name] = at;
    recheckMs = Math.min(recheckMs ?? expiresIn, expiresIn);
  }
  return { kept, ...(recheckMs !== undefined ? { recheckMs } : {}) };
}

function condition(pdb: PodDisruptionBudget, status: 'True' | 'False', reason: string, message: string, now: number): Condition[] {
  const old = (pdb.status?.conditions ?? []).find((c) => c.type === 'DisruptionAllowed');
  const others = (pdb.status?.conditions ?? []).filter((c) => c.type !== 'DisruptionAllowed');
  const changed = !old || old.status !== status;
  const lastTransitionTime = changed ? new Date(now).toISOString().replace(/\.\d+Z$/, 'Z') : old.lastTransitionTime;
  return [...others, {
    type: 'DisruptionAllowed', status, reason, message,
    observedGeneration: pdb.metadata?.generation ?? 0,
    ...(lastTransitionTime ? { lastTransitionTime } : {}),
  }];
}

export async function budgetStatus(inputs: BudgetInputs): Promise<BudgetOutcome> {
  const { pdb, pods, now } = inputs;
  const generation = pdb.metadata?.generation ?? 0;
  let expected: number;
  let desired: number;
  try {
    [expected, desired] = await expectations(pdb, pods, inputs.expectedScale);
  } catch (err) {
    // Unknown scale: allow nothing rather than guess (Kubernetes' failSafe).
    const status: PodDisruptionBudgetStatus = {
      ...(pdb.status ?? {}),
      disruptionsAllowed: 0,
      observedGeneration: generation,
      conditions: condition(pdb, 'False', 'SyncFailed', (err as Error).message, now),
    };
    return { status };
  }
  const { kept, recheckMs } = pendingDisruptions(pdb, pods, now);
  const healthy = pods.filter((p) => !p.metadata?.deletionTimestamp && isReady(p) && kept[p.metadata?.name ?? ''] === undefined).length;
  let allowed = healthy - desired;
  if (expected <= 0 || allowed <= 0) allowed = 0;
  const status: PodDisruptionBudgetStatus = {
    observedGeneration: generation,
    ...(Object.keys(kept).length ? { disruptedPods: kept } : {}),
    disruptionsAllowed: allowed,
    currentHealthy: healthy,
    desiredHealthy: desired,
    expectedPods: expected,
    conditions: allowed > 0 ? condition(pdb, 'True', 'SufficientPods', '', now) : condition(pdb, 'False', 'InsufficientPods', '', now),
  };
  return { status, ...(recheckMs !== undefined ? { recheckMs } : {}) };
}
