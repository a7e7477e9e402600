// Deletion: finalizers, graceful pod deletion, deletecollection and namespace lifecycle.
import assert from 'node:assert/strict';
import { configMap, createNamespace, type Obj, pod, show, TestClient, uniqueName, useTestApiServer, waitFor } from './client.testkit.js';

describe('apiserver deletion', function () {
  let c: TestClient;
  let ns: string;
  const fixture = useTestApiServer('del');
  before(() => ({ c, ns } = fixture));

  const gone = (path: string) => waitFor(`${path} to be gone`, async () => (await c.get(path)).status === 404, 30_000, 200);

  it('marks an object with finalizers instead of removing it, and removes it with its last finalizer', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    const body = configMap(name);
    body.metadata.finalizers = ['example.com/keep', 'example.com/also'];
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/configmaps`, body)).status, 201);

    const del = await c.delete(path);
    assert.ok(del.status === 200 || del.status === 202, show(del));
    assert.ok(del.body.metadata?.deletionTimestamp, `delete answer has no deletionTimestamp: ${show(del)}`);

    const marked = await c.get(path);
    assert.equal(marked.status, 200, 'an object with finalizers must still be readable');
    assert.ok(marked.body.metadata.deletionTimestamp);
    assert.deepEqual(marked.body.metadata.finalizers, ['example.com/keep', 'example.com/also']);

    const one = await c.put(path, { ...marked.body, metadata: { ...marked.body.metadata, finalizers: ['example.com/also'] } });
    assert.equal(one.status, 200, show(one));
    assert.equal((await c.get(path)).status, 200, 'one finalizer left: still there');

    const last = await c.put(path, { ...one.body, metadata: { ...one.body.metadata, finalizers: [] } });
    assert.ok(last.status === 200 || last.status === 201, show(last));
    await gone(path);
  });

  it('removes an unbound pod at once', async function () {
    const name = uniqueName('pod');
    const path = `/api/v1/namespaces/${ns}/pods/${name}`;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/pods`, pod(name))).status, 201);
    const del = await c.delete(path);
    assert.equal(del.status, 200, show(del));
    const after = await c.get(path);
    assert.equal(after.status, 404, show(after));
  });

  it('marks a bound pod with deletionTimestamp and a 30 s grace period; grace 0 removes it', async function () {
    const name = uniqueName('pod');
    const path = `/api/v1/namespaces/${ns}/pods/${name}`;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/pods`, pod(name))).status, 201);
    const bind = await c.post(`${path}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'node-1' } });
    assert.equal(bind.status, 201, show(bind));

    const del = await c.delete(path);
    assert.ok(del.status === 200 || del.status === 202, show(del));
    const marked = await c.get(path);
    assert.equal(marked.status, 200, 'a bound pod waits for its kubelet');
    assert.ok(marked.body.metadata.deletionTimestamp);
    assert.equal(marked.body.metadata.deletionGracePeriodSeconds, 30);
    const deadline = Date.parse(marked.body.metadata.deletionTimestamp);
    assert.ok(deadline > Date.now() + 10_000, `deletionTimestamp ${marked.body.metadata.deletionTimestamp} should be ~30 s ahead`);

    const force = await c.request('DELETE', `${path}?gracePeriodSeconds=0`);
    assert.equal(force.status, 200, show(force));
    assert.equal((await c.get(path)).status, 404);
  });

  it('removes a bound pod at once for DeleteOptions {gracePeriodSeconds: 0} in the body (kubectl --force)', async function () {
    const name = uniqueName('pod');
    const path = `/api/v1/namespaces/${ns}/pods/${name}`;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/pods`, pod(name, { spec: { nodeName: 'node-1' } }))).status, 201);
    const del = await c.delete(path, { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Background' });
    assert.equal(del.status, 200, show(del));
    assert.equal((await c.get(path)).status, 404);
  });

  it('refuses a delete whose uid precondition does not match with 409', async function () {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name))).status, 201);
    const del = await c.delete(path, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } });
    assert.equal(del.status, 409, show(del));
    assert.equal((await c.get(path)).status, 200);
  });

  it('answers deleting a missing object with 404', async function () {
    const r = await c.delete(`/api/v1/namespaces/${ns}/configmaps/never-was`);
    assert.equal(r.status, 404, show(r));
    assert.equal(r.body.reason, 'NotFound');
  });

  it('deletes a collection by labelSelector and keeps the rest', async function () {
    const local = await createNamespace(c, 'delcoll');
    const coll = `/api/v1/namespaces/${local}/configmaps`;
    for (const [name, labels] of [['x1', { purge: 'yes' }], ['x2', { purge: 'yes' }], ['keep', { purge: 'no' }]] as const) {
      assert.equal((await c.post(coll, configMap(name, {}, labels))).status, 201);
    }
    const r = await c.request('DELETE', `${coll}?labelSelector=purge%3Dyes`);
    assert.equal(r.status, 200, show(r));
    const left = await c.get(coll);
    assert.deepEqual((left.body.items as Obj[]).map((o) => o.metadata.name), ['keep']);
  });

  it('deletes a namespace: Terminating, no new content (403), then its content and itself are gone', async function () {
    const doomed = await createNamespace(c, 'doomed');
    const coll = `/api/v1/namespaces/${doomed}/configmaps`;
    assert.equal((await c.post(coll, configMap('plain'))).status, 201);
    // A finalizer holds the namespace in Terminating until the test lets go.
    const held = configMap('held');
    held.metadata.finalizers = ['example.com/hold'];
    assert.equal((await c.post(coll, held)).status, 201);

    const del = await c.delete(`/api/v1/namespaces/${doomed}`);
    assert.ok(del.status === 200 || del.status === 202, show(del));
    const terminating = await c.get(`/api/v1/namespaces/${doomed}`);
    assert.equal(terminating.status, 200, show(terminating));
    assert.equal(terminating.body.status?.phase, 'Terminating');
    assert.ok(terminating.body.metadata.deletionTimestamp);

    const refused = await c.post(coll, configMap('latecomer'));
    assert.equal(refused.status, 403, show(refused));
    assert.equal(refused.body.reason, 'Forbidden');
    assert.match(refused.body.message, /terminat/);

    await gone(`${coll}/plain`);
    await waitFor('the held configmap to be marked', async () => (await c.get(`${coll}/held`)).body.metadata?.deletionTimestamp, 30_000, 200);
    assert.equal((await c.get(`/api/v1/namespaces/${doomed}`)).status, 200, 'the namespace waits for its content');

    const held2 = (await c.get(`${coll}/held`)).body;
    const release = await c.put(`${coll}/held`, { ...held2, metadata: { ...held2.metadata, finalizers: [] } });
    assert.ok(release.status === 200 || release.status === 201, show(release));
    await gone(`${coll}/held`);
    await gone(`/api/v1/namespaces/${doomed}`);
    assert.equal((await c.get(`${coll}/latecomer`)).status, 404);
  });

  it('deletes a namespace with plain content without help', async function () {
    const doomed = await createNamespace(c, 'doomed2');
    const coll = `/api/v1/namespaces/${doomed}/configmaps`;
    for (const name of ['a', 'b']) assert.equal((await c.post(coll, configMap(name))).status, 201);
    assert.equal((await c.post(`/api/v1/namespaces/${doomed}/pods`, pod('p'))).status, 201);
    const del = await c.delete(`/api/v1/namespaces/${doomed}`);
    assert.ok(del.status === 200 || del.status === 202, show(del));
    await gone(`/api/v1/namespaces/${doomed}`);
    assert.equal((await c.get(coll)).body.items?.length ?? 0, 0);
    // The name can be used again.
    assert.equal((await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: doomed } })).status, 201);
  });

  it('answers creating in a missing namespace with 404', async function () {
    const r = await c.post('/api/v1/namespaces/no-such-ns/configmaps', configMap('orphan'));
    assert.equal(r.status, 404, show(r));
    assert.equal(r.body.reason, 'NotFound');
    assert.match(r.body.message, /no-such-ns/);
  });

  for (const name of ['default', 'kube-system']) {
    it(`refuses to delete the ${name} namespace with 403`, async function () {
      const r = await c.delete(`/api/v1/namespaces/${name}`);
      assert.equal(r.status, 403, show(r));
      assert.equal(r.body.reason, 'Forbidden');
      const ns2 = await c.get(`/api/v1/namespaces/${name}`);
      assert.equal(ns2.status, 200);
      assert.equal(ns2.body.metadata.deletionTimestamp, undefined);
    });
  }

  it('has the system namespaces from the start', async function () {
    const r = await c.get('/api/v1/namespaces');
    const have = (r.body.items as Obj[]).map((o) => o.metadata.name);
    for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.ok(have.includes(n), `${n} missing`);
    const d = (await c.get('/api/v1/namespaces/default')).body;
    assert.equal(d.status?.phase, 'Active');
  });
});
