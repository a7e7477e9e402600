// Create, get, list, update, patch and delete through the HTTP API, as kubectl and controllers do them.
import assert from 'node:assert/strict';
import { configMap, createNamespace, deployment, type Obj, pod, show, TestClient, uniqueName, useTestApiServer } from './client.testkit.js';

interface KindCase {
  kind: string;
  collection: (ns: string) => string;
  make: (name: string, ns: string) => Obj;
}

const kinds: KindCase[] = [
  { kind: 'ConfigMap', collection: (ns) => `/api/v1/namespaces/${ns}/configmaps`, make: (n) => configMap(n) },
  { kind: 'Pod', collection: (ns) => `/api/v1/namespaces/${ns}/pods`, make: (n) => pod(n) },
  { kind: 'Deployment', collection: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`, make: (n) => deployment(n) },
  { kind: 'Namespace', collection: () => '/api/v1/namespaces', make: (n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n } }) },
  { kind: 'Node', collection: () => '/api/v1/nodes', make: (n) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: n } }) },
  { kind: 'Service', collection: (ns) => `/api/v1/namespaces/${ns}/services`, make: (n) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: n }, spec: { selector: { app: n }, ports: [{ port: 80 }] } }) },
  { kind: 'Secret', collection: (ns) => `/api/v1/namespaces/${ns}/secrets`, make: (n) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: n }, stringData: { k: 'v' } }) },
  {
    kind: 'Endpoints',
    collection: (ns) => `/api/v1/namespaces/${ns}/endpoints`,
    make: (n) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: { name: n }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] }),
  },
  {
    kind: 'Event',
    collection: (ns) => `/api/v1/namespaces/${ns}/events`,
    make: (n, ns) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: n }, involvedObject: { kind: 'Pod', name: 'p', namespace: ns }, reason: 'Test', message: 'hello', type: 'Normal' }),
  },
  {
    kind: 'ReplicaSet',
    collection: (ns) => `/apis/apps/v1/namespaces/${ns}/replicasets`,
    make: (n) => {
      const d = deployment(n);
      return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: n }, spec: { selector: d.spec.selector, template: d.spec.template } };
    },
  },
  {
    kind: 'Lease',
    collection: (ns) => `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases`,
    make: (n) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: n }, spec: { holderIdentity: 'me', leaseDurationSeconds: 15 } }),
  },
  {
    kind: 'EndpointSlice',
    collection: (ns) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
    make: (n) => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { name: n, labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      endpoints: [{ addresses: ['10.0.0.1'], conditions: { ready: true } }],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    }),
  },
  {
    kind: 'PodDisruptionBudget',
    collection: (ns) => `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`,
    make: (n) => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: n }, spec: { minAvailable: 1, selector: { matchLabels: { app: n } } } }),
  },
  {
    kind: 'PriorityClass',
    collection: () => '/apis/scheduling.k8s.io/v1/priorityclasses',
    make: (n) => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: n }, value: 1000 }),
  },
];

describe('apiserver CRUD', function () {
  let c: TestClient;
  let ns: string;
  const fixture = useTestApiServer('crud');
  before(() => ({ c, ns } = fixture));

  for (const k of kinds) {
    it(`creates, gets, lists and deletes a ${k.kind}`, async function () {
      const name = uniqueName(k.kind.toLowerCase());
      const coll = k.collection(ns);
      const created = await c.post(coll, k.make(name, ns));
      assert.equal(created.status, 201, show(created));
      const m = created.body.metadata;
      assert.equal(created.body.kind, k.kind);
      assert.equal(m.name, name);
      assert.match(m.uid, /^[0-9a-f-]{36}$/);
      assert.match(m.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(m.resourceVersion, /^[1-9]\d*$/);
      // Kinds whose controllers report status.observedGeneration carry generation (as in Kubernetes).
      if (['Deployment', 'ReplicaSet', 'PodDisruptionBudget'].includes(k.kind)) assert.equal(m.generation, 1);
      if (coll.includes('/namespaces/')) assert.equal(m.namespace, ns);
      else assert.equal(m.namespace, undefined);

      const got = await c.get(`${coll}/${name}`);
      assert.equal(got.status, 200, show(got));
      assert.equal(got.body.metadata.uid, m.uid);
      assert.equal(got.body.metadata.resourceVersion, m.resourceVersion);

      const list = await c.get(coll);
      assert.equal(list.status, 200, show(list));
      assert.equal(list.body.kind, `${k.kind}List`);
      assert.ok(
        list.body.items.some((o: Obj) => o.metadata.name === name && o.metadata.uid === m.uid),
        `${name} is not in the list`,
      );

      const del = await c.delete(`${coll}/${name}`);
      // A namespace is only marked (its content is removed first); everything else is gone.
      if (k.kind === 'Namespace') assert.ok(del.status === 200 || del.status === 202, show(del));
      else {
        assert.equal(del.status, 200, show(del));
        const after = await c.get(`${coll}/${name}`);
        assert.equal(after.status, 404, show(after));
      }
    });
  }

  it('lists with kind ConfigMapList, apiVersion v1 and a list resourceVersion', async function () {
    await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(uniqueName('cm')));
    const list = await c.get(`/api/v1/namespaces/${ns}/configmaps`);
    assert.equal(list.status, 200, show(list));
    assert.equal(list.body.kind, 'ConfigMapList');
    assert.equal(list.body.apiVersion, 'v1');
    assert.match(list.body.metadata.resourceVersion, /^[1-9]\d*$/);
    assert.ok(Array.isArray(list.body.items));
    assert.match(list.headers.get('content-type') ?? '', /application\/json/);
  });

  it('lists more than the 4 MiB gRPC allows by default from etcd (a few thousand pods)', async function () {
    const big = await createNamespace(c, 'big-list');
    for (let i = 0; i < 6; i++) {
      const r = await c.post(`/api/v1/namespaces/${big}/configmaps`, configMap(`big-${i}`, { blob: 'x'.repeat(900 * 1024) }));
      assert.equal(r.status, 201, show(r));
    }
    const list = await c.get(`/api/v1/namespaces/${big}/configmaps`);
    assert.equal(list.status, 200, show(list));
    assert.equal(list.body.items.length, 6);
  });

  it('updates with the current resourceVersion and rejects a stale one with 409 Conflict', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    const created = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { a: '1' }));
    assert.equal(created.status, 201, show(created));
    const v1 = created.body;

    const updated = await c.put(path, { ...v1, data: { a: '2' } });
    assert.equal(updated.status, 200, show(updated));
    assert.equal(updated.body.data.a, '2');
    assert.notEqual(updated.body.metadata.resourceVersion, v1.metadata.resourceVersion);
    assert.equal(updated.body.metadata.uid, v1.metadata.uid);

    const stale = await c.put(path, { ...v1, data: { a: '3' } });
    assert.equal(stale.status, 409, show(stale));
    assert.equal(stale.body.kind, 'Status');
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal(stale.body.code, 409);
    assert.equal(stale.body.details?.name, name);
    assert.equal((await c.get(path)).body.data.a, '2', 'the stale write must not be stored');
  });

  it('updates without a resourceVersion unconditionally', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { a: '1' }))).status, 201);
    const r = await c.put(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { a: '2' } });
    assert.equal(r.status, 200, show(r));
    assert.equal((await c.get(path)).body.data.a, '2');
  });

  it('takes the namespace of an update from the URL when the body has none', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    const created = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { a: '1' }));
    assert.equal(created.status, 201, show(created));
    const { namespace: _ns, ...meta } = created.body.metadata;
    const r = await c.put(path, { ...created.body, metadata: meta, data: { a: '2' } });
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.metadata.namespace, ns);
    assert.equal((await c.get(path)).body.data.a, '2');
  });

  it('answers an update or patch of a missing object with 404', async function () {
    const path = `/api/v1/namespaces/${ns}/configmaps/${uniqueName('missing')}`;
    const name = path.split('/').pop()!;
    const put = await c.put(path, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: {} });
    assert.equal(put.status, 404, show(put));
    assert.equal(put.body.reason, 'NotFound');
    const patch = await c.patch(path, { data: { a: '1' } }, 'application/merge-patch+json');
    assert.equal(patch.status, 404, show(patch));
    assert.equal((await c.get(path)).status, 404, 'an update must not create');
  });

  it('lets exactly one of several concurrent updates at the same resourceVersion win', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    const created = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { n: '0' }));
    assert.equal(created.status, 201, show(created));
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => c.put(path, { ...created.body, data: { n: String(i + 1) } })),
    );
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409, 409], results.map(show).join('\n'));
    const winner = results.find((r) => r.status === 200)!;
    assert.equal((await c.get(path)).body.data.n, winner.body.data.n);
  });

  it('lets exactly one of several concurrent creates of one name succeed', async function () {
    const name = uniqueName('cm');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { n: String(i) }))),
    );
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [201, 409, 409, 409, 409], results.map(show).join('\n'));
    const winner = results.find((r) => r.status === 201)!;
    assert.equal((await c.get(`/api/v1/namespaces/${ns}/configmaps/${name}`)).body.metadata.uid, winner.body.metadata.uid);
  });

  it('answers a second create of the same name with 409 AlreadyExists', async function () {
    const name = uniqueName('cm');
    const first = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { a: '1' }));
    assert.equal(first.status, 201, show(first));
    const again = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { a: '2' }));
    assert.equal(again.status, 409, show(again));
    assert.equal(again.body.kind, 'Status');
    assert.equal(again.body.reason, 'AlreadyExists');
    assert.equal(again.body.details?.name, name);
    assert.equal((await c.get(`/api/v1/namespaces/${ns}/configmaps/${name}`)).body.data.a, '1');
  });

  it('answers a missing object with a 404 NotFound Status', async function () {
    const r = await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/nope`);
    assert.equal(r.status, 404, show(r));
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.apiVersion, 'v1');
    assert.equal(r.body.status, 'Failure');
    assert.equal(r.body.reason, 'NotFound');
    assert.equal(r.body.code, 404);
    assert.equal(r.body.details?.name, 'nope');
    assert.equal(r.body.details?.group, 'apps');
    assert.equal(r.body.details?.kind, 'deployments');
    assert.equal(r.body.message, 'deployments.apps "nope" not found');
  });

  it('generates a name from generateName', async function () {
    const r = await c.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.equal(r.status, 201, show(r));
    const name: string = r.body.metadata.name;
    assert.match(name, /^gen-[a-z0-9]{5}$/);
    assert.equal(r.body.metadata.generateName, 'gen-');
    assert.equal((await c.get(`/api/v1/namespaces/${ns}/configmaps/${name}`)).status, 200);
    const r2 = await c.post(`/api/v1/namespaces/${ns}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
    assert.equal(r2.status, 201, show(r2));
    assert.notEqual(r2.body.metadata.name, name);
  });

  async function createDeployment(): Promise<{ path: string; created: Obj }> {
    const name = uniqueName('dep');
    const res = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
    assert.equal(res.status, 201, show(res));
    assert.equal(res.body.metadata.generation, 1);
    return { path: `/apis/apps/v1/namespaces/${ns}/deployments/${name}`, created: res.body };
  }

  it('keeps generation on an unchanged PUT (a no-op kubectl replace/apply)', async function () {
    const { path, created } = await createDeployment();
    const same = await c.put(path, created);
    assert.equal(same.status, 200, show(same));
    assert.equal(same.body.metadata.generation, 1);
    assert.equal((await c.get(path)).body.metadata.generation, 1);
  });

  it('keeps generation on a label change', async function () {
    const { path, created } = await createDeployment();
    const relabeled = await c.put(path, { ...created, metadata: { ...created.metadata, labels: { tier: 'web' } } });
    assert.equal(relabeled.status, 200, show(relabeled));
    assert.equal(relabeled.body.metadata.labels?.tier, 'web');
    assert.equal(relabeled.body.metadata.generation, 1);
  });

  it('bumps generation by one on a spec change', async function () {
    const { path, created } = await createDeployment();
    const scaled = await c.put(path, { ...created, spec: { ...created.spec, replicas: 4 } });
    assert.equal(scaled.status, 200, show(scaled));
    assert.equal(scaled.body.spec.replicas, 4);
    assert.equal(scaled.body.metadata.generation, 2);
    assert.equal((await c.get(path)).body.metadata.generation, 2);
  });

  it('writes only status through deployments/status, and ignores status on the main resource', async function () {
    const name = uniqueName('dep');
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
    const created = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
    assert.equal(created.status, 201, show(created));

    // A status write that also tries to change the spec: only the status lands.
    const st = await c.put(`${path}/status`, {
      ...created.body,
      spec: { ...created.body.spec, replicas: 7 },
      status: { observedGeneration: 1, replicas: 3, readyReplicas: 2 },
    });
    assert.equal(st.status, 200, show(st));
    const afterStatus = (await c.get(path)).body;
    assert.equal(afterStatus.status?.replicas, 3);
    assert.equal(afterStatus.status?.readyReplicas, 2);
    assert.equal(afterStatus.spec.replicas, 1, 'a status write must not change spec');
    assert.equal(afterStatus.metadata.generation, 1);

    // A main-resource write that also tries to change the status: only the spec lands.
    const main = await c.put(path, { ...afterStatus, spec: { ...afterStatus.spec, replicas: 2 }, status: { replicas: 99 } });
    assert.equal(main.status, 200, show(main));
    const afterMain = (await c.get(path)).body;
    assert.equal(afterMain.spec.replicas, 2);
    assert.equal(afterMain.status?.replicas, 3, 'a main-resource write must not change status');
  });

  it('binds a pod with pods/binding once: nodeName and PodScheduled=True, then 409', async function () {
    const name = uniqueName('pod');
    const created = await c.post(`/api/v1/namespaces/${ns}/pods`, pod(name));
    assert.equal(created.status, 201, show(created));
    const binding = (node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });

    const bound = await c.post(`/api/v1/namespaces/${ns}/pods/${name}/binding`, binding('node-a'));
    assert.equal(bound.status, 201, show(bound));
    const got = (await c.get(`/api/v1/namespaces/${ns}/pods/${name}`)).body;
    assert.equal(got.spec.nodeName, 'node-a');
    const scheduled = (got.status?.conditions ?? []).find((x: Obj) => x.type === 'PodScheduled');
    assert.equal(scheduled?.status, 'True', JSON.stringify(got.status));

    const again = await c.post(`/api/v1/namespaces/${ns}/pods/${name}/binding`, binding('node-b'));
    assert.equal(again.status, 409, show(again));
    assert.equal(again.body.kind, 'Status');
    assert.equal((await c.get(`/api/v1/namespaces/${ns}/pods/${name}`)).body.spec.nodeName, 'node-a');
  });

  it('rejects a status write with a stale resourceVersion with 409', async function () {
    const name = uniqueName('dep');
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
    const created = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
    assert.equal(created.status, 201, show(created));
    const first = await c.put(`${path}/status`, { ...created.body, status: { replicas: 1 } });
    assert.equal(first.status, 200, show(first));
    const stale = await c.put(`${path}/status`, { ...created.body, status: { replicas: 2 } });
    assert.equal(stale.status, 409, show(stale));
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal((await c.get(path)).body.status?.replicas, 1);
  });

  it('writes only status through nodes/status (cluster-scoped)', async function () {
    const name = uniqueName('node');
    const created = await c.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name } });
    assert.equal(created.status, 201, show(created));
    const st = await c.put(`/api/v1/nodes/${name}/status`, {
      ...created.body,
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ready' }] },
    });
    assert.equal(st.status, 200, show(st));
    const got = (await c.get(`/api/v1/nodes/${name}`)).body;
    assert.equal(got.status?.conditions?.[0]?.type, 'Ready');
    assert.notEqual(got.spec?.unschedulable, true, 'a status write must not change spec');
  });

  it('answers a binding for a missing pod with 404', async function () {
    const r = await c.post(`/api/v1/namespaces/${ns}/pods/no-such-pod/binding`, {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name: 'no-such-pod' },
      target: { kind: 'Node', name: 'node-a' },
    });
    assert.equal(r.status, 404, show(r));
    assert.equal(r.body.reason, 'NotFound');
  });

  it('stores nothing for dryRun=All create, update and delete', async function () {
    const name = uniqueName('cm');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const dry = await c.post(`${coll}?dryRun=All`, configMap(name, { a: '1' }));
    assert.equal(dry.status, 201, show(dry));
    assert.equal(dry.body.metadata.name, name);
    assert.equal((await c.get(`${coll}/${name}`)).status, 404, 'a dry-run create must store nothing');

    const real = await c.post(coll, configMap(name, { a: '1' }));
    assert.equal(real.status, 201, show(real));
    const dryUpdate = await c.put(`${coll}/${name}?dryRun=All`, { ...real.body, data: { a: '2' } });
    assert.equal(dryUpdate.status, 200, show(dryUpdate));
    assert.equal(dryUpdate.body.data.a, '2');
    const stored = (await c.get(`${coll}/${name}`)).body;
    assert.equal(stored.data.a, '1', 'a dry-run update must store nothing');
    assert.equal(stored.metadata.resourceVersion, real.body.metadata.resourceVersion);

    const dryDelete = await c.request('DELETE', `${coll}/${name}?dryRun=All`);
    assert.equal(dryDelete.status, 200, show(dryDelete));
    assert.equal((await c.get(`${coll}/${name}`)).status, 200, 'a dry-run delete must remove nothing');
  });

  it('applies a JSON merge patch', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { a: '1', b: '2' }));
    const r = await c.patch(path, { metadata: { labels: { env: 'prod' } }, data: { a: '10', b: null, c: '3' } }, 'application/merge-patch+json');
    assert.equal(r.status, 200, show(r));
    const got = (await c.get(path)).body;
    assert.deepEqual(got.data, { a: '10', c: '3' });
    assert.equal(got.metadata.labels?.env, 'prod');
  });

  it('applies a JSON patch (RFC 6902)', async function () {
    const name = uniqueName('dep');
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
    const created = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
    assert.equal(created.status, 201, show(created));
    const r = await c.patch(
      path,
      [
        { op: 'replace', path: '/spec/replicas', value: 3 },
        { op: 'add', path: '/metadata/annotations', value: { note: 'patched' } },
        { op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:1.28' },
      ],
      'application/json-patch+json',
    );
    assert.equal(r.status, 200, show(r));
    const got = (await c.get(path)).body;
    assert.equal(got.spec.replicas, 3);
    assert.equal(got.metadata.annotations?.note, 'patched');
    assert.equal(got.spec.template.spec.containers[0].image, 'nginx:1.28');
    assert.equal(got.metadata.generation, 2);
  });

  it('patches status through pods/status with a merge patch', async function () {
    const name = uniqueName('pod');
    await c.post(`/api/v1/namespaces/${ns}/pods`, pod(name));
    const r = await c.patch(`/api/v1/namespaces/${ns}/pods/${name}/status`, { status: { phase: 'Running', podIP: '10.0.0.5' } }, 'application/merge-patch+json');
    assert.equal(r.status, 200, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/pods/${name}`)).body;
    assert.equal(got.status.phase, 'Running');
    assert.equal(got.status.podIP, '10.0.0.5');
  });
});
