// podFailurePolicy: the first rule that matches a failed pod decides what its failure means
// (pkg/controller/job/pod_failure_policy.go).
import type { Pod, PodFailurePolicy } from '../../api/index.js';

export type FailureAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

export interface PolicyMatch {
  action: FailureAction;
  /** For FailJob: the message of the FailureTarget / Failed conditions. */
  message: string;
}

/** The matching rule's action for a Failed pod, or undefined (then the failure counts). */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch | undefined {
  if (!policy) return undefined;
  const ns = pod.metadata?.namespace ?? '';
  const name = pod.metadata?.name ?? '';
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const [i, rule] of policy.rules.entries()) {
    const action = rule.action as FailureAction;
    const codes = rule.onExitCodes;
    if (codes) {
      for (const s of statuses) {
        const code = s.state?.terminated?.exitCode;
        // Exit code 0 never matches: a container that succeeded did not cause the failure.
        if (code === undefined || code === 0) continue;
        if (codes.containerName && codes.containerName !== s.name) continue;
        const listed = codes.values.includes(code);
        if (codes.operator === 'In' ? listed : !listed) {
          return { action, message: `Container ${s.name} for pod ${ns}/${name} failed with exit code ${code} matching ${action} rule at index ${i}` };
        }
      }
    }
    for (const pattern of rule.onPodConditions ?? []) {
      if ((pod.status?.conditions ?? []).some((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'))) {
        return { action, message: `Pod ${ns}/${name} has condition ${pattern.type} matching ${action} rule at index ${i}` };
      }
    }
  }
  return undefined;
}
