// Protobuf on the apiserver's wire (application/vnd.kubernetes.protobuf): request bodies read
// as the same objects as JSON, bodies that are not protobuf objects answered 400 or 415, and
// answers (objects, lists, Status, watch frames) in protobuf when Accept prefers it.
import assert from 'node:assert/strict';
import { decodeObject, decodeWatchFrames, encodeObject } from '../api/protobuf/index.js';
import { waitFor } from '../testing/wait.js';
import { findByKind } from '../api/registry.js';
import type { ResourceType } from '../api/resource.js';
import { watchInProtobuf } from './http/codec.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { createNamespace, TestClient } from './client.testkit.js';

const protobuf = 'application/vnd.kubernetes.protobuf';
/** What client-go's typed clients (kubectl's generators, drain, describe) send. */
const typedAccept = `${protobuf},application/json`;

async function getRaw(url: string, accept: string): Promise<{ status: number; type: string; body: Buffer }> {
  const res = await fetch(url, { headers: { accept } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
}

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

  it('scales to zero with a protobuf Scale, whose zero replicas Go leaves off the wire', async function () {
    const path = `/apis/apps/v1/namespaces/${ns}/deployments/web/scale`;
    const scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: ns }, spec: { replicas: 0 } };
    const r = await c.put(path, undefined, { raw: encodeObject(scale), contentType: protobuf });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.spec.replicas ?? 0, 0);
    assert.equal((await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/web`)).body.spec.replicas, 0);
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

  it('answers objects, lists and Status in protobuf when Accept prefers it, equal to the JSON answers', async function () {
    const coll = `/apis/apps/v1/namespaces/${ns}/deployments`;
    const one = await getRaw(`${server.url}${coll}/web`, typedAccept);
    assert.equal(one.status, 200);
    assert.equal(one.type, protobuf);
    const json = (await c.get(`${coll}/web`)).body;
    assert.deepEqual(decodeObject(one.body), json);

    const list = await getRaw(`${server.url}${coll}`, typedAccept);
    assert.equal(list.type, protobuf);
    const jsonList = (await c.get(coll)).body;
    const items = (jsonList.items as Record<string, unknown>[]).map(({ apiVersion: _a, kind: _k, ...rest }) => rest);
    assert.deepEqual(decodeObject(list.body), { ...jsonList, items });

    const missing = await getRaw(`${server.url}${coll}/nope`, typedAccept);
    assert.equal(missing.status, 404);
    assert.equal(missing.type, protobuf);
    assert.deepEqual(decodeObject(missing.body), (await c.get(`${coll}/nope`)).body);
  });

  it('keeps JSON for JSON clients, Tables and a preference by q', async function () {
    const path = `${server.url}/api/v1/namespaces/${ns}/configmaps`;
    assert.equal((await getRaw(path, 'application/json')).type, 'application/json');
    assert.equal((await getRaw(path, '*/*')).type, 'application/json');
    assert.equal((await getRaw(path, `${protobuf};q=0.5,application/json`)).type, 'application/json');
    assert.equal((await getRaw(path, `application/json;q=0.9,${protobuf}`)).type, protobuf);
    const table = await getRaw(path, `${protobuf};as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1;g=meta.k8s.io,application/json`);
    assert.equal(table.type, 'application/json');
    assert.equal(JSON.parse(table.body.toString()).kind, 'Table');
  });

  it('streams a watch as length-prefixed protobuf frames: ADDED, MODIFIED, DELETED', async function () {
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    assert.equal((await c.post(coll, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before' } })).status, 201);
    const abort = new AbortController();
    const res = await fetch(`${server.url}${coll}?watch=1`, { headers: { accept: typedAccept }, signal: abort.signal });
    assert.equal(res.headers.get('content-type'), `${protobuf};stream=watch`);
    const events: { type: string; object: Record<string, unknown> }[] = [];
    let buf: Buffer = Buffer.alloc(0);
    const reader = res.body!.getReader();
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const out = decodeWatchFrames(Buffer.concat([buf, Buffer.from(value)]));
        events.push(...out.events);
        buf = out.rest;
      }
    })().catch(() => undefined);
    try {
      const seen = (type: string, name: string) => () => events.some((e) => e.type === type && (e.object.metadata as { name: string }).name === name);
      await waitFor('ADDED for the existing object', seen('ADDED', 'before'));
      assert.equal((await c.post(coll, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'live' }, data: { a: '1' } })).status, 201);
      await waitFor('ADDED', seen('ADDED', 'live'));
      assert.equal((await c.patch(`${coll}/live`, { data: { a: '2' } }, 'application/merge-patch+json')).status, 200);
      await waitFor('MODIFIED', seen('MODIFIED', 'live'));
      assert.equal((await c.delete(`${coll}/live`)).status, 200);
      await waitFor('DELETED', seen('DELETED', 'live'));
      const modified = events.find((e) => e.type === 'MODIFIED')!;
      assert.equal(modified.object.kind, 'ConfigMap');
      assert.deepEqual(modified.object.data, { a: '2' });
    } finally {
      abort.abort();
      await pump;
    }
  });

  it('watches a kind with no protobuf form in JSON lines, whatever the client asks', function () {
    const pods = findByKind('v1', 'Pod')!;
    assert.equal(watchInProtobuf(typedAccept, pods), true);
    assert.equal(watchInProtobuf('application/json', pods), false);
    const widget: ResourceType = { ...pods, group: 'example.com', kind: 'Widget', listKind: 'WidgetList', plural: 'widgets' };
    assert.equal(watchInProtobuf(typedAccept, widget), false);
  });
});
