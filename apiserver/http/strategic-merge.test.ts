// Strategic merge patch, table-driven: each case is (kind, original, patch, expected result) as
// Kubernetes' strategicpatch package computes it for that kind's schema.
import assert from 'node:assert/strict';
import { ApiError } from '../errors.js';
import { applyPatch } from './patch.js';

interface Case {
  name: string;
  kind: string;
  original: unknown;
  patch: unknown;
  want: unknown;
}

const c = (name: string, image: string, extra: Record<string, unknown> = {}) => ({ name, image, ...extra });
const pod = (spec: unknown) => ({ kind: 'Pod', metadata: { name: 'p' }, spec });
const deploy = (spec: unknown) => ({ kind: 'Deployment', metadata: { name: 'd' }, spec });
const tpl = (podSpec: unknown) => ({ template: { metadata: { labels: { app: 'web' } }, spec: podSpec } });

const cases: Case[] = [
  {
    name: 'changing one container image keeps the other containers',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'a:1'), c('b', 'b:1')] }),
    patch: { spec: { containers: [{ name: 'b', image: 'b:2' }] } },
    want: pod({ containers: [c('a', 'a:1'), c('b', 'b:2')] }),
  },
  {
    name: 'a new container is appended',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'a:1')] }),
    patch: { spec: { containers: [{ name: 'b', image: 'b:1' }] } },
    want: pod({ containers: [c('a', 'a:1'), c('b', 'b:1')] }),
  },
  {
    name: 'the same inside a Deployment pod template',
    kind: 'Deployment',
    original: deploy({ replicas: 1, ...tpl({ containers: [c('web', 'x:1'), c('side', 's:1')] }) }),
    patch: { spec: { template: { spec: { containers: [{ name: 'web', image: 'x:2' }] } } } },
    want: deploy({ replicas: 1, ...tpl({ containers: [c('web', 'x:2'), c('side', 's:1')] }) }),
  },
  {
    name: 'env var deleted with $patch: delete, the others kept',
    kind: 'Deployment',
    original: deploy(tpl({ containers: [c('web', 'x', { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] })] })),
    patch: { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'A', $patch: 'delete' }] }] } } } },
    want: deploy(tpl({ containers: [c('web', 'x', { env: [{ name: 'B', value: '2' }] })] })),
  },
  {
    name: 'env merged by name: a changed value and a new variable',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'x', { env: [{ name: 'A', value: '1' }] })] }),
    patch: { spec: { containers: [{ name: 'a', env: [{ name: 'A', value: '9' }, { name: 'C', value: '3' }] }] } },
    want: pod({ containers: [c('a', 'x', { env: [{ name: 'A', value: '9' }, { name: 'C', value: '3' }] })] }),
  },
  {
    name: '$setElementOrder reorders the containers',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'a'), c('b', 'b'), c('c', 'c')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }], containers: [{ name: 'a', image: 'a:2' }] } },
    want: pod({ containers: [c('c', 'c'), c('a', 'a:2'), c('b', 'b')] }),
  },
  {
    name: '$setElementOrder with server-only elements: placed by server order (Kubernetes mergeSortedSlice)',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'a'), c('srv', 's'), c('b', 'b')] }),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } },
    want: pod({ containers: [c('srv', 's'), c('b', 'b'), c('a', 'a')] }),
  },
  {
    name: '$retainKeys drops rollingUpdate when switching to Recreate',
    kind: 'Deployment',
    original: deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } }),
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    want: deploy({ strategy: { type: 'Recreate' } }),
  },
  {
    name: 'finalizers (merge, primitive) are a union',
    kind: 'ConfigMap',
    original: { metadata: { name: 'x', finalizers: ['a', 'b'] } },
    patch: { metadata: { finalizers: ['b', 'c'] } },
    want: { metadata: { name: 'x', finalizers: ['a', 'b', 'c'] } },
  },
  {
    name: '$deleteFromPrimitiveList removes finalizers',
    kind: 'ConfigMap',
    original: { metadata: { name: 'x', finalizers: ['a', 'b', 'c'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } },
    want: { metadata: { name: 'x', finalizers: ['a', 'c'] } },
  },
  {
    name: 'tolerations have no merge key: replaced as a whole',
    kind: 'Pod',
    original: pod({ tolerations: [{ key: 'a', operator: 'Exists' }] }),
    patch: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } },
    want: pod({ tolerations: [{ key: 'b', operator: 'Exists' }] }),
  },
  {
    name: 'null deletes a key; maps merge',
    kind: 'ConfigMap',
    original: { metadata: { name: 'x', labels: { a: '1', b: '2' } }, data: { k: 'v', old: 'o' } },
    patch: { metadata: { labels: { a: null, c: '3' } }, data: { old: null } },
    want: { metadata: { name: 'x', labels: { b: '2', c: '3' } }, data: { k: 'v' } },
  },
  {
    name: 'container ports merge by containerPort, volumeMounts by mountPath',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'x', { ports: [{ containerPort: 80 }], volumeMounts: [{ name: 'v', mountPath: '/a' }] })] }),
    patch: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 443 }], volumeMounts: [{ name: 'w', mountPath: '/a' }] }] } },
    want: pod({ containers: [c('a', 'x', { ports: [{ containerPort: 80 }, { containerPort: 443 }], volumeMounts: [{ name: 'w', mountPath: '/a' }] })] }),
  },
  {
    name: 'Service ports merge by port',
    kind: 'Service',
    original: { metadata: { name: 's' }, spec: { clusterIP: '10.96.0.5', ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } },
    patch: { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
    want: { metadata: { name: 's' }, spec: { clusterIP: '10.96.0.5', ports: [{ port: 80, targetPort: 9090 }, { port: 443 }] } },
  },
  {
    name: 'a {"$patch": "replace"} element replaces the list',
    kind: 'Pod',
    original: pod({ containers: [c('a', 'a'), c('b', 'b')] }),
    patch: { spec: { containers: [{ $patch: 'replace' }, { name: 'z', image: 'z' }] } },
    want: pod({ containers: [c('z', 'z')] }),
  },
  {
    name: '$patch: replace on a map replaces it',
    kind: 'Pod',
    original: pod({ nodeSelector: { a: '1', b: '2' } }),
    patch: { spec: { nodeSelector: { $patch: 'replace', c: '3' } } },
    want: pod({ nodeSelector: { c: '3' } }),
  },
  {
    name: 'volumes merge by name, imagePullSecrets by name, hostAliases by ip',
    kind: 'Pod',
    original: pod({ volumes: [{ name: 'v1', emptyDir: {} }], imagePullSecrets: [{ name: 'r1' }], hostAliases: [{ ip: '1.2.3.4', hostnames: ['a'] }] }),
    patch: { spec: { volumes: [{ name: 'v2', emptyDir: {} }], imagePullSecrets: [{ name: 'r2' }], hostAliases: [{ ip: '1.2.3.4', hostnames: ['b'] }] } },
    want: pod({
      volumes: [{ name: 'v1', emptyDir: {} }, { name: 'v2', emptyDir: {} }],
      imagePullSecrets: [{ name: 'r1' }, { name: 'r2' }],
      hostAliases: [{ ip: '1.2.3.4', hostnames: ['b'] }],
    }),
  },
  {
    name: 'ownerReferences merge by uid; status conditions by type',
    kind: 'ReplicaSet',
    original: { metadata: { ownerReferences: [{ uid: 'u1', name: 'a' }] }, status: { conditions: [{ type: 'A', status: 'True' }] } },
    patch: { metadata: { ownerReferences: [{ uid: 'u2', name: 'b' }] }, status: { conditions: [{ type: 'B', status: 'False' }] } },
    want: {
      metadata: { ownerReferences: [{ uid: 'u1', name: 'a' }, { uid: 'u2', name: 'b' }] },
      status: { conditions: [{ type: 'A', status: 'True' }, { type: 'B', status: 'False' }] },
    },
  },
  {
    name: 'directives in a newly added element are applied, not stored',
    kind: 'Pod',
    original: pod({}),
    patch: { spec: { '$setElementOrder/containers': [{ name: 'a' }], containers: [{ name: 'a', image: 'a', env: [{ name: 'X', value: '1' }] }] } },
    want: pod({ containers: [c('a', 'a', { env: [{ name: 'X', value: '1' }] })] }),
  },
  {
    name: 'a kind without metadata here gets merge-patch semantics (lists replaced)',
    kind: 'Widget',
    original: { spec: { items: [{ name: 'a' }, { name: 'b' }], keep: 1 } },
    patch: { spec: { items: [{ name: 'c' }] } },
    want: { spec: { items: [{ name: 'c' }], keep: 1 } },
  },
];

describe('strategic merge patch', () => {
  for (const t of cases) {
    it(t.name, () => {
      const before = structuredClone(t.original);
      assert.deepEqual(applyPatch('strategic-merge-patch', t.original, t.patch, t.kind), t.want);
      assert.deepEqual(t.original, before, 'the original must not be modified');
    });
  }

  it('rejects an unknown $patch directive and a list element without its merge key with 422', () => {
    for (const patch of [{ spec: { $patch: 'explode' } }, { spec: { containers: [{ image: 'x' }] } }]) {
      assert.throws(() => applyPatch('strategic-merge-patch', pod({ containers: [] }), patch, 'Pod'), (e: unknown) => e instanceof ApiError && e.code === 422);
    }
  });

  it('rejects a patch that is not an object with 400', () => {
    assert.throws(() => applyPatch('strategic-merge-patch', pod({}), [1], 'Pod'), (e: unknown) => e instanceof ApiError && e.code === 400);
  });
});
