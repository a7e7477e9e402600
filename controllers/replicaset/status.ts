// ReplicaSet status from the pods it controls, and the ReplicaFailure condition.
import type { Pod, ReplicaSet, ReplicaSetCondition, ReplicaSetStatus } from '../../api/index.js';
import { isPodAvailable, isPodReady, nowTime } from './pods.js';
import { stableJson } from './stable-json.js';

export function calculateStatus(rs: ReplicaSet, pods: Pod[], manageError: Error | undefined, now: number): ReplicaSetStatus {
  const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  let conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== 'ReplicaFailure');
  const prior = rs.status?.conditions?.find((c) => c.type === 'ReplicaFailure');
  const want = rs.spec?.replicas ?? 1;
  if (manageError && pods.length < want) {
    // Like upstream's SetCondition: the same status and reason is no change (the message of
    // the first failure stays), so a failing create does not rewrite status on every retry.
    const cond: ReplicaSetCondition =
      prior?.status === 'True' && prior.reason === 'FailedCreate'
        ? prior
        : { type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: manageError.message, lastTransitionTime: nowTime(now) };
    conditions = [...conditions, cond];
  } else if (manageError && prior) {
    conditions = [...conditions, prior];
  }
  return {
    replicas: pods.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: rs.metadata?.generation ?? 0,
    ...(conditions.length ? { conditions } : {}),
  };
}

export function statusEqual(a: ReplicaSetStatus | undefined, b: ReplicaSetStatus): boolean {
  const x = a ?? {};
  return (
    (x.replicas ?? 0) === b.replicas &&
    (x.fullyLabeledReplicas ?? 0) === b.fullyLabeledReplicas &&
    (x.readyReplicas ?? 0) === b.readyReplicas &&
    (x.availableReplicas ?? 0) === b.availableReplicas &&
    (x.observedGeneration ?? 0) === b.observedGeneration &&
    stableJson(x.conditions ?? []) === stableJson(b.conditions ?? [])
  );
}
