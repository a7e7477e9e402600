// Protobuf on the apiserver's wire (application/vnd.kubernetes.protobuf): request bodies read
// as the same objects as JSON, and bodies that are not protobuf objects answered 400 or 415.
import assert from 'node:assert/strict';
import { encodeObject } from '../api/protobuf/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { createNamespace, TestClient } from './test-client.js';

const protobuf = 'application/vnd.kubernetes.protobuf';

describe('apiserver protobuf', function () {
  let server: TestApiServer;
  let c: TestClient;
  let ns: string;

  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    ns = await createNamespace(c, 'pb');
  });

  after(async function () {
    await server?.close();
  });

  it('creates and updates from protobuf bodies as from JSON', async function () {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }] }] } } } };
    const coll = `/apis/apps/v1/namespaces/${ns}/deployments`;
    const created = await c.post(coll, undefined, { raw: encodeObject(d), contentType: protobuf });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.spec.replicas, 0);
    assert.deepEqual(created.body.spec.template.spec.containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
    const update = { ...created.body, spec: { ...created.body.spec, replicas: 2 } };
    const updated = await c.put(`${coll}/web`, undefined, { raw: encodeObject(update), contentType: protobuf });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.spec.replicas, 2);
    assert.equal(updated.body.metadata.generation, 2);
  });

  it('answers 400 naming the problem for a body that is not a protobuf object, 415 for a patch in protobuf', async function () {
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const notProto = await c.post(coll, undefined, { raw: '{"kind":"ConfigMap"}', contentType: protobuf });
    assert.equal(notProto.status, 400);
    assert.match(notProto.body.message, /not a valid protobuf object: provided data does not appear to be a protobuf message/);
    const wrongKind = await c.post(coll, undefined, { raw: Buffer.concat([Buffer.from('k8s\0'), Buffer.from([10, 11, 10, 2, ...Buffer.from('v1'), 18, 5, ...Buffer.from('Wheel')])]), contentType: protobuf });
    assert.equal(wrongKind.status, 400);
    assert.match(wrongKind.body.message, /no kind "Wheel" is registered for version "v1"/);
    const cm = encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    const patch = await c.request('PATCH', `${coll}/x`, undefined, { raw: cm, contentType: protobuf });
    assert.equal(patch.status, 415);
  });
});
