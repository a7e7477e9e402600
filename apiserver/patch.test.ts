// Patches from many writers at once: each applies to the latest object, none is lost.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { configMap, createNamespace, show, TestClient, uniqueName } from './client.testkit.js';

describe('apiserver concurrent patches', () => {
  let server: TestApiServer;
  let c: TestClient;
  let ns: string;

  before(async () => {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    ns = await createNamespace(c, 'patch');
  });
  after(async () => server?.close());

  it('applies every one of 10 simultaneous merge patches (retried on conflict, as Kubernetes does)', async () => {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name))).status, 201);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        c.request('PATCH', path, { metadata: { labels: { [`writer-${i}`]: 'yes' } } }, { contentType: 'application/merge-patch+json' }),
      ),
    );
    for (const r of results) assert.equal(r.status, 200, show(r));
    const got = await c.get(path);
    assert.equal(Object.keys(got.body.metadata.labels ?? {}).filter((k) => k.startsWith('writer-')).length, 10, show(got));
  });

  it('answers 409 when the patch pins a stale resourceVersion', async () => {
    const name = uniqueName('cm');
    const path = `/api/v1/namespaces/${ns}/configmaps/${name}`;
    const created = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name));
    const rv: string = created.body.metadata.resourceVersion;
    assert.equal((await c.request('PATCH', path, { data: { a: '2' } }, { contentType: 'application/merge-patch+json' })).status, 200);
    const stale = await c.request('PATCH', path, { metadata: { resourceVersion: rv }, data: { a: '3' } }, { contentType: 'application/merge-patch+json' });
    assert.equal(stale.status, 409, show(stale));
    assert.equal(stale.body.reason, 'Conflict');
  });
});
