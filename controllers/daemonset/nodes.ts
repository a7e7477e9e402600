// Which nodes a DaemonSet runs on, and its pods: built per node with a node-affinity term on
// the node's name (the scheduler places them) and the tolerations every daemon pod gets.
import {
  specMatchesNodeAffinity, tolerates, type DaemonSet, type Node, type OwnerReference, type Pod, type Toleration,
} from '../../api/index.js';
import { revisionHashLabel } from '../history/revisions.js';
import { podFromTemplate } from '../replicaset/index.js';

export { revisionHashLabel };
export const templateGenerationLabel = 'pod-template-generation';

const exists = (key: string, effect: string): Toleration => ({ key, operator: 'Exists', effect });

/** Daemon pods keep running through node trouble (AddOrUpdateDaemonPodTolerations). */
export function daemonTolerations(hostNetwork: boolean): Toleration[] {
  return [
    exists('node.kubernetes.io/not-ready', 'NoExecute'),
    exists('node.kubernetes.io/unreachable', 'NoExecute'),
    exists('node.kubernetes.io/disk-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/memory-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/pid-pressure', 'NoSchedule'),
    exists('node.kubernetes.io/unschedulable', 'NoSchedule'),
    ...(hostNetwork ? [exists('node.kubernetes.io/network-unavailable', 'NoSchedule')] : []),
  ];
}

function withDaemonTolerations(own: Toleration[] | undefined, hostNetwork: boolean): Toleration[] {
  const out = [...(own ?? [])];
  for (const t of daemonTolerations(hostNetwork)) {
    if (!out.some((o) => o.key === t.key && o.effect === t.effect)) out.push(t);
  }
  return out;
}

/** nodeShouldRunDaemonPod: the template's node name, selector and affinity match, and every NoSchedule/NoExecute taint is tolerated. */
export function shouldRun(ds: DaemonSet, node: Node): boolean {
  const spec = ds.spec?.template.spec;
  const name = node.metadata?.name ?? '';
  if (spec?.nodeName && spec.nodeName !== name) return false;
  if (!specMatchesNodeAffinity(spec, { name, labels: node.metadata?.labels ?? {} })) return false;
  const tolerations = withDaemonTolerations(spec?.tolerations, spec?.hostNetwork === true);
  return (node.spec?.taints ?? []).every((taint) => (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') || tolerations.some((t) => tolerates(t, taint)));
}

/** The node a daemon pod is for: its nodeName, or the name in its node-affinity term before it is scheduled. */
export function targetNode(pod: Pod): string | undefined {
  if (pod.spec?.nodeName) return pod.spec.nodeName;
  for (const term of pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) {
    for (const f of term.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && f.values?.length === 1) return f.values[0];
    }
  }
  return undefined;
}

/** The daemon pod for `node` from the current template. */
export function daemonPod(ds: DaemonSet, owner: OwnerReference, node: string, hash: string): Pod {
  const m = ds.metadata ?? {};
  const pod = podFromTemplate(ds.spec!.template, m.namespace ?? 'default', `${m.name}-`, owner);
  pod.metadata!.labels = { ...pod.metadata!.labels, [revisionHashLabel]: hash, [templateGenerationLabel]: String(m.generation ?? 1) };
  const spec = pod.spec!;
  spec.tolerations = withDaemonTolerations(spec.tolerations, spec.hostNetwork === true);
  // Kubernetes replaces any required node terms with one on the node's name (the selector was checked above).
  const affinity = (spec.affinity ??= {});
  const nodeAffinity = (affinity.nodeAffinity ??= {});
  nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }] };
  return pod;
}
