// Defaults a user sees in `kubectl get -o yaml` right after creating an object.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { createNamespace, deployment, pod, show, TestClient, uniqueName } from './test-client.js';

describe('apiserver defaults', function () {
  let server: TestApiServer;
  let c: TestClient;
  let ns: string;

  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    ns = await createNamespace(c, 'defaults');
  });

  after(async function () {
    await server?.close();
  });

  it('defaults a Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600', async function () {
    const name = uniqueName('dep');
    const r = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body;
    assert.equal(got.spec.replicas, 1);
    assert.deepEqual(got.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(got.spec.revisionHistoryLimit, 10);
    assert.equal(got.spec.progressDeadlineSeconds, 600);
    // The pod template is defaulted like a pod.
    assert.equal(got.spec.template.spec.restartPolicy, 'Always');
    assert.equal(got.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });

  it('defaults a Pod: restartPolicy, grace period, dnsPolicy, schedulerName, imagePullPolicy, terminationMessagePath', async function () {
    const name = uniqueName('pod');
    const body = pod(name);
    body.spec.containers.push({ name: 'latest', image: 'busybox' }, { name: 'tagged-latest', image: 'busybox:latest' });
    const r = await c.post(`/api/v1/namespaces/${ns}/pods`, body);
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/pods/${name}`)).body;
    assert.equal(got.spec.restartPolicy, 'Always');
    assert.equal(got.spec.terminationGracePeriodSeconds, 30);
    assert.equal(got.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(got.spec.schedulerName, 'default-scheduler');
    const [tagged, untagged, latest] = got.spec.containers;
    assert.equal(tagged.imagePullPolicy, 'IfNotPresent');
    assert.equal(untagged.imagePullPolicy, 'Always');
    assert.equal(latest.imagePullPolicy, 'Always');
    assert.equal(tagged.terminationMessagePath, '/dev/termination-log');
    assert.equal(got.status?.phase, 'Pending');
  });

  it('defaults a Service: type ClusterIP, port protocol TCP, targetPort = port', async function () {
    const name = uniqueName('svc');
    const r = await c.post(`/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] },
    });
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/services/${name}`)).body;
    assert.equal(got.spec.type, 'ClusterIP');
    assert.equal(got.spec.ports[0].protocol, 'TCP');
    assert.equal(got.spec.ports[0].targetPort, 8080);
  });

  it('folds Secret stringData into base64 data', async function () {
    const name = uniqueName('secret');
    const r = await c.post(`/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { user: Buffer.from('admin').toString('base64') },
      stringData: { password: 's3cret' },
    });
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/secrets/${name}`)).body;
    assert.equal(got.data.password, Buffer.from('s3cret').toString('base64'));
    assert.equal(got.data.user, Buffer.from('admin').toString('base64'));
    assert.equal(got.stringData, undefined, 'stringData is write-only');
    assert.equal(got.type, 'Opaque');
  });
});
