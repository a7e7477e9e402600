// Shared by the deployment tests: manifests, the fake nodes' readiness rule, and the
// rollout-done check as `kubectl rollout status` makes it.
import type { Deployment, Pod, ReplicaSet } from '../../api/index.js';
import type { Clientset } from '../../client/index.js';

export function deployment(name: string, image: string, spec: Partial<NonNullable<Deployment['spec']>> = {}, annotations?: Record<string, string>): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image }] } },
      ...spec,
    },
  };
}

/** Images the fake nodes never make ready: a rollout to them gets stuck. */
export const brokenImage = (pod: Pod): boolean => !(pod.spec?.containers ?? []).some((c) => (c.image ?? '').includes('broken'));

export async function setImage(cs: Clientset, name: string, image: string, annotations?: Record<string, string>): Promise<void> {
  await cs.deployments.patch('default', name, {
    ...(annotations ? { metadata: { annotations } } : {}),
    spec: { template: { spec: { containers: [{ name: 'c', image }] } } },
  }, 'strategic');
}

/** Done as `kubectl rollout status` judges it. */
export async function rolledOut(cs: Clientset, name: string): Promise<Deployment | undefined> {
  const d = await cs.deployments.get('default', name);
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  const ok = (d.metadata?.generation ?? 0) <= (s.observedGeneration ?? 0) && progressing?.reason !== 'ProgressDeadlineExceeded' &&
    (s.updatedReplicas ?? 0) >= want && (s.replicas ?? 0) <= (s.updatedReplicas ?? 0) && (s.availableReplicas ?? 0) >= (s.updatedReplicas ?? 0);
  return ok ? d : undefined;
}

export async function replicaSetsOf(cs: Clientset, name: string): Promise<ReplicaSet[]> {
  return (await cs.replicaSets.list('default', { labelSelector: `app=${name}` })).items;
}
