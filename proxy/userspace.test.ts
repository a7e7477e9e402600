// The userspace fallback on loopback: NodePort connections reach a ready endpoint.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clientset, createLogger } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { startProxy, type RunningProxy } from './proxy.js';

describe('skiff proxy userspace fallback', function () {
  this.timeout(20_000);
  let api: TestApiServer;
  let backend: Server;
  let proxy: RunningProxy | undefined;

  before(async () => {
    api = await startTestApiServer();
    backend = createServer((_q, s) => s.end('backend'));
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', () => r()));
  });

  after(async () => {
    await proxy?.stop();
    backend?.close();
    await api?.close();
  });

  it('serves a NodePort on the node address from a userspace TCP proxy', async () => {
    const cs = new Clientset({ server: api.url });
    const node = await cs.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'u1' } });
    await cs.nodes.updateStatus({ ...node, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] } });
    const svc = await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }] },
    });
    await cs.endpointSlices.create('default', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'web-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
      ports: [{ name: 'http', port: (backend.address() as AddressInfo).port, protocol: 'TCP' }],
      endpoints: [{ addresses: ['127.0.0.1'], conditions: { ready: true } }],
    });
    proxy = await startProxy({ clientset: cs, nodeName: 'u1', mode: 'userspace', manageLoadBalancers: false, log: createLogger('proxy-test', 'warn') });
    assert.equal(proxy.mode, 'userspace');
    await proxy.synced();
    const deadline = Date.now() + 5000;
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${svc.spec?.ports?.[0]?.nodePort ?? 0}/`);
        assert.equal(await res.text(), 'backend');
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });
});
