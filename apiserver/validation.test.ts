// Rejected writes: Status codes, reasons and messages a user reads in
// `Error from server (<reason>): <message>`, and that nothing was stored.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { configMap, createNamespace, deployment, show, TestClient, uniqueName, type Obj, type Resp } from './client.testkit.js';

describe('apiserver validation and errors', function () {
  let server: TestApiServer;
  let c: TestClient;
  let ns: string;
  let deps: string;
  let cms: string;

  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    ns = await createNamespace(c, 'valid');
    deps = `/apis/apps/v1/namespaces/${ns}/deployments`;
    cms = `/api/v1/namespaces/${ns}/configmaps`;
  });

  after(async function () {
    await server?.close();
  });

  function assertStatus(r: Resp, code: number, reason?: string): void {
    assert.equal(r.status, code, show(r));
    assert.equal(r.body.kind, 'Status', show(r));
    assert.equal(r.body.apiVersion, 'v1');
    assert.equal(r.body.status, 'Failure');
    assert.equal(r.body.code, code);
    assert.equal(typeof r.body.message, 'string');
    if (reason) assert.equal(r.body.reason, reason, show(r));
  }

  async function assertNotStored(path: string): Promise<void> {
    const r = await c.get(path);
    assert.equal(r.status, 404, `a rejected write was stored: ${show(r)}`);
  }

  it('rejects a Deployment without a container image: 422 Invalid naming the field', async function () {
    const name = uniqueName('noimage');
    const body = deployment(name);
    delete body.spec.template.spec.containers[0].image;
    const r = await c.post(deps, body);
    assertStatus(r, 422, 'Invalid');
    assert.ok(
      r.body.message.includes('spec.template.spec.containers[0].image: Required value'),
      `message: ${r.body.message}`,
    );
    assert.ok(r.body.message.startsWith(`Deployment.apps "${name}" is invalid`), r.body.message);
    const fields = (r.body.details?.causes ?? []).map((x: Obj) => x.field);
    assert.ok(fields.includes('spec.template.spec.containers[0].image'), `causes: ${JSON.stringify(r.body.details)}`);
    assert.equal(r.body.details?.name, name);
    await assertNotStored(`${deps}/${name}`);
  });

  it('rejects a Deployment whose selector does not match its template labels with 422', async function () {
    const name = uniqueName('mismatch');
    const body = deployment(name);
    body.spec.selector = { matchLabels: { app: 'other' } };
    const r = await c.post(deps, body);
    assertStatus(r, 422, 'Invalid');
    const fields: string[] = (r.body.details?.causes ?? []).map((x: Obj) => x.field);
    assert.ok(fields.includes('spec.template.metadata.labels'), `causes: ${JSON.stringify(r.body.details)}`);
    assert.match(r.body.message, /selector.*does not match template.*labels/);
    await assertNotStored(`${deps}/${name}`);
  });

  it('rejects an invalid name with 422 naming metadata.name', async function () {
    const r = await c.post(cms, configMap('Foo_bar'));
    assertStatus(r, 422, 'Invalid');
    assert.match(r.body.message, /metadata\.name: Invalid value: "Foo_bar"/);
    const fields = (r.body.details?.causes ?? []).map((x: Obj) => x.field);
    assert.ok(fields.includes('metadata.name'), JSON.stringify(r.body.details));
    await assertNotStored(`${cms}/Foo_bar`);
  });

  it('rejects an object without name or generateName with 422', async function () {
    const r = await c.post(cms, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {}, data: { a: 'b' } });
    assertStatus(r, 422, 'Invalid');
    assert.match(r.body.message, /metadata\.name: Required value/);
  });

  it('rejects an unknown field with fieldValidation=Strict: 400 naming the field', async function () {
    const name = uniqueName('strict');
    const body = deployment(name);
    body.spec.bogusField = 1;
    const r = await c.post(`${deps}?fieldValidation=Strict`, body);
    assertStatus(r, 400, 'BadRequest');
    assert.match(r.body.message, /unknown field "spec\.bogusField"/);
    await assertNotStored(`${deps}/${name}`);
  });

  it('accepts an unknown field without fieldValidation, with a warning, and does not store it', async function () {
    const name = uniqueName('lenient');
    const body = deployment(name);
    body.spec.bogusField = 1;
    body.metadata.alsoBogus = 'x';
    const r = await c.post(deps, body);
    assert.equal(r.status, 201, show(r));
    assert.match(r.headers.get('warning') ?? '', /bogusField/);
    const got = (await c.get(`${deps}/${name}`)).body;
    assert.equal(got.spec.bogusField, undefined);
    assert.equal(got.metadata.alsoBogus, undefined);
    assert.equal(got.spec.template.spec.containers[0].image, 'nginx:1.27');
  });

  it('rejects malformed JSON with 400', async function () {
    const r = await c.request('POST', cms, undefined, { raw: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "broken"' });
    assertStatus(r, 400, 'BadRequest');
    await assertNotStored(`${cms}/broken`);
  });

  it('rejects a body that is not an object with 400', async function () {
    for (const raw of ['[]', '"a string"', '42', 'null']) {
      const r = await c.request('POST', cms, undefined, { raw });
      assert.equal(r.status, 400, `${raw}: ${show(r)}`);
      assert.equal(r.body.kind, 'Status');
    }
  });

  it('rejects malformed YAML with 400', async function () {
    const r = await c.request('POST', cms, undefined, { raw: 'metadata:\n  name: [unclosed\n', contentType: 'application/yaml' });
    assertStatus(r, 400, 'BadRequest');
  });

  it('accepts a YAML body (application/yaml) with 201', async function () {
    const name = uniqueName('yaml');
    const yaml = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels:\n    from: yaml\ndata:\n  greeting: hello\n`;
    const r = await c.request('POST', cms, undefined, { raw: yaml, contentType: 'application/yaml' });
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`${cms}/${name}`)).body;
    assert.equal(got.data.greeting, 'hello');
    assert.equal(got.metadata.labels.from, 'yaml');
  });

  it('rejects a protobuf envelope without a kind with 400 saying so', async function () {
    const raw = new Uint8Array([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x00]);
    const r = await c.request('POST', cms, undefined, { raw, contentType: 'application/vnd.kubernetes.protobuf' });
    assertStatus(r, 400, 'BadRequest');
    assert.match(r.body.message, /no kind "" is registered for version ""/);
  });

  it('rejects a body over 3 MiB with 413', async function () {
    const name = uniqueName('huge');
    const r = await c.post(cms, configMap(name, { big: 'x'.repeat(3 * 1024 * 1024 + 10) }));
    assertStatus(r, 413, 'RequestEntityTooLarge');
    await assertNotStored(`${cms}/${name}`);
  });

  it('rejects a chunked body (no Content-Length) over 3 MiB with 413', async function () {
    const name = uniqueName('chunky');
    const total = 4 * 1024 * 1024;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent >= total) return ctrl.close();
        const text = sent === 0 ? `{"metadata":{"name":"${name}"},"data":{"a":"` : 'x'.repeat(64 * 1024);
        sent += text.length;
        ctrl.enqueue(new TextEncoder().encode(text));
      },
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half', signal: AbortSignal.timeout(20_000) };
    const res = await fetch(`${server.url}${cms}`, init as RequestInit);
    const status = JSON.parse(await res.text()) as Obj;
    assert.equal(res.status, 413);
    assert.equal(status.reason, 'RequestEntityTooLarge');
    await assertNotStored(`${cms}/${name}`);
  });

  it('rejects a body with the wrong apiVersion with 400', async function () {
    const name = uniqueName('wrongapi');
    const r = await c.post(cms, { ...configMap(name), apiVersion: 'apps/v1' });
    assertStatus(r, 400, 'BadRequest');
    assert.match(r.body.message, /apps\/v1/);
    await assertNotStored(`${cms}/${name}`);
  });

  it('rejects a body of another kind with 400', async function () {
    const name = uniqueName('wrongkind');
    const r = await c.post(cms, { ...configMap(name), kind: 'Secret' });
    assertStatus(r, 400, 'BadRequest');
    await assertNotStored(`${cms}/${name}`);
  });

  it('rejects a body whose namespace differs from the URL with 400', async function () {
    const name = uniqueName('otherns');
    const body = configMap(name);
    body.metadata.namespace = 'default';
    const r = await c.post(cms, body);
    assertStatus(r, 400, 'BadRequest');
    await assertNotStored(`${cms}/${name}`);
    assert.equal((await c.get(`/api/v1/namespaces/default/configmaps/${name}`)).status, 404);
  });

  it('rejects an update whose body names another object with 400', async function () {
    const name = uniqueName('cm');
    const created = await c.post(cms, configMap(name, { a: '1' }));
    assert.equal(created.status, 201, show(created));
    const r = await c.put(`${cms}/${name}`, { ...created.body, metadata: { ...created.body.metadata, name: 'someone-else' }, data: { a: '2' } });
    assertStatus(r, 400, 'BadRequest');
    assert.equal((await c.get(`${cms}/${name}`)).body.data.a, '1');
    await assertNotStored(`${cms}/someone-else`);
  });

  it('rejects an invalid update with 422 and keeps the stored object', async function () {
    const name = uniqueName('dep');
    const created = await c.post(deps, deployment(name));
    assert.equal(created.status, 201, show(created));
    const bad = structuredClone(created.body);
    bad.spec.template.spec.containers[0].image = '';
    const r = await c.put(`${deps}/${name}`, bad);
    assertStatus(r, 422, 'Invalid');
    assert.match(r.body.message, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
    const got = (await c.get(`${deps}/${name}`)).body;
    assert.equal(got.spec.template.spec.containers[0].image, 'nginx:1.27');
    assert.equal(got.metadata.resourceVersion, created.body.metadata.resourceVersion);
  });

  it('rejects a change of an immutable field with 422: deployment selector, immutable configmap data, pod spec', async function () {
    const name = uniqueName('dep');
    assert.equal((await c.post(deps, deployment(name))).status, 201);
    const sel = await c.patch(
      `${deps}/${name}`,
      { spec: { selector: { matchLabels: { app: name, extra: 'x' } }, template: { metadata: { labels: { extra: 'x' } } } } },
      'application/merge-patch+json',
    );
    assertStatus(sel, 422, 'Invalid');
    assert.match(sel.body.message, /spec\.selector: .*field is immutable/);
    assert.deepEqual((await c.get(`${deps}/${name}`)).body.spec.selector, { matchLabels: { app: name } });

    const cmName = uniqueName('frozen');
    assert.equal((await c.post(cms, { ...configMap(cmName, { a: '1' }), immutable: true })).status, 201);
    const frozen = await c.patch(`${cms}/${cmName}`, { data: { a: '2' } }, 'application/merge-patch+json');
    assertStatus(frozen, 422, 'Invalid');
    assert.equal((await c.get(`${cms}/${cmName}`)).body.data.a, '1');

    const podName = uniqueName('pod');
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: podName }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } })).status, 201);
    const podSpec = await c.patch(`/api/v1/namespaces/${ns}/pods/${podName}`, { spec: { restartPolicy: 'Never' } }, 'application/merge-patch+json');
    assertStatus(podSpec, 422, 'Invalid');
    assert.match(podSpec.body.message, /pod updates may not change fields/);
    const image = await c.patch(`/api/v1/namespaces/${ns}/pods/${podName}`, { spec: { containers: [{ name: 'c', image: 'nginx:1.28' }] } }, 'application/merge-patch+json');
    assert.equal(image.status, 200, `a pod's image may change: ${show(image)}`);
  });

  it('rejects an update that changes uid with 422', async function () {
    const name = uniqueName('cm');
    const created = await c.post(cms, configMap(name));
    assert.equal(created.status, 201, show(created));
    const r = await c.put(`${cms}/${name}`, { ...created.body, metadata: { ...created.body.metadata, uid: '00000000-0000-0000-0000-000000000000' } });
    assert.ok(r.status === 422 || r.status === 409, show(r));
    assert.equal((await c.get(`${cms}/${name}`)).body.metadata.uid, created.body.metadata.uid);
  });

  it('answers a malformed percent-encoding in the path with a 4xx, not a 5xx', async function () {
    const r = await c.get(`/api/v1/namespaces/${ns}/configmaps/%`);
    assert.ok(r.status >= 400 && r.status < 500, show(r));
    assert.equal(r.body.kind, 'Status');
  });

  it('answers a list at an exact future resourceVersion with a Status, not a 5xx', async function () {
    const r = await c.get(`${cms}?resourceVersion=999999999&resourceVersionMatch=Exact`);
    // Kubernetes: 504 Timeout "Too large resource version"; a 4xx is acceptable too.
    assert.ok((r.status >= 400 && r.status < 500) || (r.status === 504 && r.body.reason === 'Timeout'), show(r));
    assert.equal(r.body.kind, 'Status');
  });

  it('answers PUT to a collection with 405', async function () {
    const r = await c.put(cms, configMap(uniqueName('cm')));
    assertStatus(r, 405, 'MethodNotAllowed');
  });

  it('answers an unknown resource with 404', async function () {
    const r = await c.get(`/api/v1/namespaces/${ns}/widgets`);
    assert.equal(r.status, 404, show(r));
    assert.equal(r.body.kind, 'Status');
  });

  it('rejects an invalid merge patch result with 422 and a broken JSON patch with a 4xx', async function () {
    const name = uniqueName('dep');
    assert.equal((await c.post(deps, deployment(name))).status, 201);
    const merge = await c.patch(`${deps}/${name}`, { spec: { replicas: -1 } }, 'application/merge-patch+json');
    assertStatus(merge, 422, 'Invalid');
    assert.match(merge.body.message, /spec\.replicas/);
    const broken = await c.patch(`${deps}/${name}`, [{ op: 'replace', path: '/spec/nope/deeper', value: 1 }], 'application/json-patch+json');
    assert.ok(broken.status >= 400 && broken.status < 500, show(broken));
    assert.equal(broken.body.kind, 'Status');
    assert.equal((await c.get(`${deps}/${name}`)).body.spec.replicas, 1);
  });
});
