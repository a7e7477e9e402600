// A node's credentials (system:node:<name>): its own pods' Secrets are readable, nothing else's;
// its own Node, Lease and pods' status writable, another node's not (Node authorizer + NodeRestriction).
import assert from 'node:assert/strict';
import { requestWithCa, type TlsResponse } from '../host/tls-get.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { waitFor } from '../testing/wait.js';
import { uniqueName } from './client.testkit.js';

describe('Node authorizer and NodeRestriction', function () {
  this.timeout(60_000);
  let server: TestApiServer;
  const ns = uniqueName('nodes');
  type Who = 'admin' | 'node-a' | 'node-b';
  const creds: Partial<Record<Who, { cert: string; key: string }>> = {};

  const call = (who: Who, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<TlsResponse> =>
    requestWithCa(server.url + path, {
      ca: server.caPem!, ...creds[who]!, method, ...(body === undefined ? {} : { body: JSON.stringify(body), contentType }),
    });
  const ok = async (r: Promise<TlsResponse>, status = 201): Promise<void> => {
    const res = await r;
    assert.equal(res.status, status, res.body);
  };
  const message = async (r: Promise<TlsResponse>): Promise<string> => {
    const res = await r;
    assert.equal(res.status, 403, res.body);
    return JSON.parse(res.body).message as string;
  };
  const merge = 'application/merge-patch+json';

  before(async () => {
    server = await startTestApiServer({ secure: true });
    for (const [who, id] of [['admin', { user: 'root', groups: ['system:masters'] }], ['node-a', { user: 'system:node:node-a', groups: ['system:nodes'] }], ['node-b', { user: 'system:node:node-b', groups: ['system:nodes'] }]] as const) {
      const c = server.pki!.clientCert(`test-${who}`, id);
      creds[who] = { cert: c.certPem, key: c.keyPem };
    }
    await ok(call('admin', 'POST', '/api/v1/namespaces', { metadata: { name: ns } }));
    for (const node of ['node-a', 'node-b']) await ok(call('admin', 'POST', '/api/v1/nodes', { metadata: { name: node } }));
    for (const s of ['s-a', 's-b', 's-unused']) await ok(call('admin', 'POST', `/api/v1/namespaces/${ns}/secrets`, { metadata: { name: s }, stringData: { k: s } }));
    for (const [pod, node, secret] of [['p-a', 'node-a', 's-a'], ['p-b', 'node-b', 's-b']]) {
      await ok(call('admin', 'POST', `/api/v1/namespaces/${ns}/pods`, {
        metadata: { name: pod },
        spec: { nodeName: node, containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'v', secret: { secretName: secret } }] },
      }));
    }
  });
  after(async () => {
    await server?.close();
  });

  it('reads the Secrets of its own pods only', async () => {
    await waitFor('node-a to read s-a', async () => (await call('node-a', 'GET', `/api/v1/namespaces/${ns}/secrets/s-a`)).status === 200);
    for (const s of ['s-b', 's-unused']) {
      assert.equal(
        await message(call('node-a', 'GET', `/api/v1/namespaces/${ns}/secrets/${s}`)),
        `secrets "${s}" is forbidden: User "system:node:node-a" cannot get resource "secrets" in API group "" in the namespace "${ns}": no relationship found between node 'node-a' and this object`,
      );
    }
    assert.match(await message(call('node-a', 'GET', `/api/v1/namespaces/${ns}/secrets`)), /cannot list resource "secrets"/);
    // Once the pod goes, so does the right to its Secret.
    await ok(call('admin', 'DELETE', `/api/v1/namespaces/${ns}/pods/p-b?gracePeriodSeconds=0`), 200);
    await waitFor('node-b to lose s-b', async () => (await call('node-b', 'GET', `/api/v1/namespaces/${ns}/secrets/s-b`)).status === 403);
  });

  it('changes only its own Node, and not its node-restriction labels', async () => {
    await ok(call('node-a', 'PATCH', '/api/v1/nodes/node-a', { metadata: { labels: { role: 'web' } } }, merge), 200);
    assert.equal(await message(call('node-a', 'PATCH', '/api/v1/nodes/node-b', { metadata: { labels: { role: 'web' } } }, merge)), 'nodes "node-b" is forbidden: node "node-a" is not allowed to modify node "node-b"');
    assert.equal(
      await message(call('node-a', 'PATCH', '/api/v1/nodes/node-a', { metadata: { labels: { 'node-restriction.kubernetes.io/zone': 'z1' } } }, merge)),
      'nodes "node-a" is forbidden: node "node-a" is not allowed to modify labels: node-restriction.kubernetes.io/zone',
    );
    assert.match(await message(call('node-a', 'DELETE', '/api/v1/nodes/node-b')), /node "node-a" is not allowed to modify node "node-b"/);
  });

  it('writes the status of its own pods and its own Lease only', async () => {
    await ok(call('node-a', 'PATCH', `/api/v1/namespaces/${ns}/pods/p-a/status`, { status: { phase: 'Running' } }, merge), 200);
    await ok(call('admin', 'POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'p-b2' }, spec: { nodeName: 'node-b', containers: [{ name: 'c', image: 'busybox' }] } }));
    assert.equal(
      await message(call('node-a', 'PATCH', `/api/v1/namespaces/${ns}/pods/p-b2/status`, { status: { phase: 'Running' } }, merge)),
      'pods "p-b2" is forbidden: node "node-a" can only update pod status for pods with spec.nodeName set to itself',
    );
    assert.match(await message(call('node-a', 'POST', `/api/v1/namespaces/${ns}/pods`, { metadata: { name: 'sneaky' }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'busybox' }] } })), /can only create mirror pods/);
    const lease = (name: string) => ({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name }, spec: { holderIdentity: name } });
    await ok(call('node-a', 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease('node-a')));
    await ok(call('admin', 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', lease('node-b')));
    assert.match(await message(call('node-a', 'PUT', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-b', lease('node-b'))), /can only access node lease with the same name as the requesting node/);
  });
});
