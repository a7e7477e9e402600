// as=Table against a running apiserver: lists, single objects, wide columns, includeObject and watches.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { configMap, createNamespace, deployment, show, TestClient, type Obj } from '../client.testkit.js';

const kubectlAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

describe('as=Table responses', () => {
  let server: TestApiServer;
  let c: TestClient;
  let ns: string;
  const get = (path: string, accept = kubectlAccept) => c.request('GET', path, undefined, { headers: { accept } });

  before(async () => {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    ns = await createNamespace(c, 'tables');
    for (const name of ['a', 'b']) {
      const r = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(name, { x: '1', y: '2' }));
      assert.equal(r.status, 201, show(r));
    }
    const d = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, { ...deployment('web'), spec: { ...deployment('web').spec, replicas: 3 } });
    assert.equal(d.status, 201, show(d));
  });

  after(async () => {
    await server?.close();
  });

  it('lists as a Table with Kubernetes columns and PartialObjectMetadata rows', async () => {
    const r = await get(`/api/v1/namespaces/${ns}/configmaps`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.kind, 'Table');
    assert.equal(r.body.apiVersion, 'meta.k8s.io/v1');
    assert.match(r.body.metadata.resourceVersion, /^\d+$/);
    assert.deepEqual(r.body.columnDefinitions.map((col: Obj) => col.name), ['Name', 'Data', 'Age']);
    for (const col of r.body.columnDefinitions) assert.deepEqual(Object.keys(col).sort(), ['description', 'format', 'name', 'priority', 'type']);
    assert.equal(r.body.rows.length, 2);
    const [row] = r.body.rows;
    assert.deepEqual(row.cells.slice(0, 2), ['a', 2]);
    assert.match(row.cells[2], /^\d+s$/);
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(row.object.metadata.name, 'a');
    assert.equal(row.object.metadata.namespace, ns);
    assert.equal(row.object.data, undefined);
  });

  it('pages with limit and continue', async () => {
    const r = await get(`/api/v1/namespaces/${ns}/configmaps?limit=1`);
    assert.equal(r.body.rows.length, 1);
    assert.ok(r.body.metadata.continue, show(r));
    const next = await get(`/api/v1/namespaces/${ns}/configmaps?limit=1&continue=${encodeURIComponent(r.body.metadata.continue)}`);
    assert.equal(next.body.rows[0].cells[0], 'b');
  });

  it('answers a single GET with a one-row Table and the object resourceVersion', async () => {
    const r = await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.kind, 'Table');
    const plain = await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`);
    assert.equal(r.body.metadata.resourceVersion, plain.body.metadata.resourceVersion);
    const cols = r.body.columnDefinitions as Obj[];
    assert.deepEqual(cols.filter((col) => col.priority === 0).map((col) => col.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age']);
    assert.deepEqual(cols.filter((col) => col.priority === 1).map((col) => col.name), ['Containers', 'Images', 'Selector']);
    assert.equal(r.body.rows.length, 1);
    const cells = r.body.rows[0].cells;
    assert.deepEqual([cells[0], cells[1], cells[2], cells[3]], ['web', '0/3', 0, 0]);
    assert.deepEqual(cells.slice(5), ['app', 'nginx:1.27', 'app=web']);
  });

  it('honours includeObject and v1beta1', async () => {
    const full = await get(`/api/v1/namespaces/${ns}/configmaps/a?includeObject=Object`);
    assert.equal(full.body.rows[0].object.kind, 'ConfigMap');
    assert.deepEqual(full.body.rows[0].object.data, { x: '1', y: '2' });
    const none = await get(`/api/v1/namespaces/${ns}/configmaps?includeObject=None`);
    assert.equal(none.body.rows[0].object, undefined);
    const bad = await get(`/api/v1/namespaces/${ns}/configmaps?includeObject=All`);
    assert.equal(bad.status, 400, show(bad));
    const beta = await get(`/api/v1/namespaces/${ns}/configmaps`, 'application/json;as=Table;v=v1beta1;g=meta.k8s.io');
    assert.equal(beta.body.apiVersion, 'meta.k8s.io/v1beta1');
    assert.equal(beta.body.rows[0].object.apiVersion, 'meta.k8s.io/v1beta1');
    const plain = await get(`/api/v1/namespaces/${ns}/configmaps`, 'application/json');
    assert.equal(plain.body.kind, 'ConfigMapList');
  });

  it('prints Namespaces with Status', async () => {
    const r = await get(`/api/v1/namespaces/${ns}`);
    assert.deepEqual(r.body.columnDefinitions.map((col: Obj) => col.name), ['Name', 'Status', 'Age']);
    assert.deepEqual(r.body.rows[0].cells.slice(0, 2), [ns, 'Active']);
  });

  it('watches as one-row Tables', async () => {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/v1/namespaces/${ns}/configmaps?watch=true`, { headers: { accept: kubectlAccept }, signal: abort.signal });
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const events: Obj[] = [];
    let buf = '';
    const until = async (n: number): Promise<void> => {
      while (events.length < n) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`watch ended after ${events.length} events`);
        buf += Buffer.from(value).toString();
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)) as Obj);
          buf = buf.slice(nl + 1);
        }
      }
    };
    try {
      await until(2);
      assert.deepEqual(events.map((e) => [e.type, e.object.kind, e.object.rows.length, e.object.rows[0].cells[0]]), [['ADDED', 'Table', 1, 'a'], ['ADDED', 'Table', 1, 'b']]);
      assert.deepEqual(events[0]!.object.columnDefinitions.map((col: Obj) => col.name), ['Name', 'Data', 'Age']);
      await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('c', { only: '1' }));
      await c.delete(`/api/v1/namespaces/${ns}/configmaps/c`);
      await until(4);
      const [added, deleted] = events.slice(2);
      assert.equal(added!.type, 'ADDED');
      assert.deepEqual(added!.object.rows[0].cells.slice(0, 2), ['c', 1]);
      assert.equal(added!.object.rows[0].object.kind, 'PartialObjectMetadata');
      assert.equal(added!.object.metadata.resourceVersion, added!.object.rows[0].object.metadata.resourceVersion);
      assert.equal(deleted!.type, 'DELETED');
      assert.equal(deleted!.object.rows[0].cells[0], 'c');
    } finally {
      abort.abort();
    }
  });
});
