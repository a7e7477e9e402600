// ClusterIP and NodePort allocation: what a user sees on `kubectl get svc`, and the guarantee
// that two Services never share an address, even when created at the same moment.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { createNamespace, show, TestClient, uniqueName, type Obj } from './client.testkit.js';

function service(name: string, spec: Obj = {}): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }], ...spec } };
}

describe('apiserver Service allocation', () => {
  let server: TestApiServer;
  let c: TestClient;
  let ns: string;
  const svcs = () => `/api/v1/namespaces/${ns}/services`;

  before(async () => {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    ns = await createNamespace(c, 'alloc');
  });
  after(async () => server?.close());

  it('gives the kubernetes Service in default the first address, pointing at the apiserver', async () => {
    const svc = await c.get('/api/v1/namespaces/default/services/kubernetes');
    assert.equal(svc.status, 200, show(svc));
    assert.equal(svc.body.spec.clusterIP, '10.96.0.1');
    const eps = await c.get('/api/v1/namespaces/default/endpoints/kubernetes');
    assert.equal(eps.status, 200, show(eps));
    assert.equal(eps.body.subsets[0].ports[0].port, server.port);
  });

  it('assigns a ClusterIP from 10.96.0.0/12 and NodePorts from 30000-32767', async () => {
    const r = await c.post(svcs(), service(uniqueName('np'), { type: 'NodePort' }));
    assert.equal(r.status, 201, show(r));
    const ip: string = r.body.spec.clusterIP;
    const [a, b] = ip.split('.').map(Number);
    assert.ok(a === 10 && b! >= 96 && b! < 112, `clusterIP ${ip} outside 10.96.0.0/12`);
    assert.deepEqual(r.body.spec.clusterIPs, [ip]);
    const port: number = r.body.spec.ports[0].nodePort;
    assert.ok(port >= 30000 && port <= 32767, `nodePort ${port}`);
  });

  it('keeps clusterIP None for headless Services and allocates nothing', async () => {
    const r = await c.post(svcs(), service(uniqueName('headless'), { clusterIP: 'None' }));
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.spec.clusterIP, 'None');
  });

  it('honours a requested address, refuses a taken one with 422, and frees it on delete', async () => {
    const first = uniqueName('want');
    const r1 = await c.post(svcs(), service(first, { clusterIP: '10.96.7.7', type: 'NodePort', ports: [{ port: 80, nodePort: 31777 }] }));
    assert.equal(r1.status, 201, show(r1));
    assert.equal(r1.body.spec.clusterIP, '10.96.7.7');
    const dupIp = await c.post(svcs(), service(uniqueName('dup'), { clusterIP: '10.96.7.7' }));
    assert.equal(dupIp.status, 422, show(dupIp));
    assert.match(dupIp.body.message, /spec\.clusterIPs: .*10\.96\.7\.7.*already allocated/);
    const dupPort = await c.post(svcs(), service(uniqueName('dup'), { type: 'NodePort', ports: [{ port: 80, nodePort: 31777 }] }));
    assert.equal(dupPort.status, 422, show(dupPort));
    assert.match(dupPort.body.message, /spec\.ports\[0\]\.nodePort: .*31777.*already allocated/);
    assert.equal((await c.delete(`${svcs()}/${first}`)).status, 200);
    const again = await c.post(svcs(), service(uniqueName('again'), { clusterIP: '10.96.7.7', type: 'NodePort', ports: [{ port: 80, nodePort: 31777 }] }));
    assert.equal(again.status, 201, show(again));
  });

  it('refuses addresses outside the ranges, naming the field', async () => {
    const ip = await c.post(svcs(), service(uniqueName('out'), { clusterIP: '10.200.0.1' }));
    assert.equal(ip.status, 422, show(ip));
    assert.match(ip.body.message, /not in the valid range/);
    const port = await c.post(svcs(), service(uniqueName('out'), { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }));
    assert.equal(port.status, 422, show(port));
    assert.equal(port.body.details.causes[0].field, 'spec.ports[0].nodePort');
  });

  it('never gives one NodePort to two Services created at the same moment', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, () => c.post(svcs(), service(uniqueName('race'), { type: 'NodePort', ports: [{ port: 80, nodePort: 32100 }] }))),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 1, results.map((r) => r.status).join(','));
    assert.ok(results.every((r) => r.status === 201 || r.status === 422));
  });

  it('keeps the allocated addresses when an update omits them, and releases NodePorts on a type change', async () => {
    const name = uniqueName('keep');
    const r = await c.post(svcs(), service(name, { type: 'NodePort', ports: [{ port: 80, nodePort: 32200 }] }));
    assert.equal(r.status, 201, show(r));
    const put = await c.put(`${svcs()}/${name}`, { ...service(name, { type: 'ClusterIP' }), metadata: { name, resourceVersion: r.body.metadata.resourceVersion } });
    assert.equal(put.status, 200, show(put));
    assert.equal(put.body.spec.clusterIP, r.body.spec.clusterIP);
    assert.equal(put.body.spec.ports[0].nodePort, undefined);
    const reuse = await c.post(svcs(), service(uniqueName('reuse'), { type: 'NodePort', ports: [{ port: 80, nodePort: 32200 }] }));
    assert.equal(reuse.status, 201, show(reuse));
  });
});
