// Reconciling the bootstrap policy at start: missing roles and bindings are created; ones still
// marked `rbac.authorization.kubernetes.io/autoupdate: "true"` get the default rules and subjects
// back. One an administrator marked "false" is left as they made it.
import { findResource } from '../../api/registry.js';
import type { KubeObject } from '../../api/resource.js';
import { isDeepStrictEqual } from 'node:util';
import { ApiError } from '../errors.js';
import type { Registry } from '../registry/rest.js';
import { bootstrapClusterRoleBindings, bootstrapClusterRoles } from './bootstrap-policy.js';

/** Spec-like fields each kind reconciles. */
const managed = ['rules', 'aggregationRule', 'subjects', 'roleRef'] as const;

export async function reconcileBootstrapPolicy(registry: Registry): Promise<{ created: number; updated: number }> {
  const counts = { created: 0, updated: 0 };
  const kinds = [
    [findResource('rbac.authorization.k8s.io', 'v1', 'clusterroles')!, bootstrapClusterRoles],
    [findResource('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings')!, bootstrapClusterRoleBindings],
  ] as const;
  for (const [rt, wanted] of kinds) {
    for (const want of wanted as unknown as KubeObject[]) {
      const name = want.metadata.name!;
      let cur: KubeObject | undefined;
      try {
        cur = await registry.get(rt, undefined, name);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
      if (!cur) {
        await registry.create(rt, undefined, structuredClone(want));
        counts.created++;
        continue;
      }
      if (cur.metadata.annotations?.['rbac.authorization.kubernetes.io/autoupdate'] === 'false') continue;
      if (managed.every((f) => isDeepStrictEqual(cur[f], want[f]))) continue;
      const next: KubeObject = { ...cur, metadata: { ...cur.metadata, labels: { ...cur.metadata.labels, ...want.metadata.labels } } };
      for (const f of managed) if (want[f] !== undefined) next[f] = structuredClone(want[f]);
      await registry.update(rt, undefined, name, next);
      counts.updated++;
    }
  }
  return counts;
}
