// Discovery, version, OpenAPI, health and metrics: what kubectl reads before any command.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { configMap, show, TestClient, uniqueName, type Obj } from './client.testkit.js';

describe('apiserver discovery, health and metrics', function () {
  let server: TestApiServer;
  let c: TestClient;

  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
  });

  after(async function () {
    await server?.close();
  });

  function entry(list: Obj, name: string): Obj {
    const e = (list.resources as Obj[]).find((r) => r.name === name);
    assert.ok(e, `${list.groupVersion} has no ${name}: ${(list.resources as Obj[]).map((r) => r.name).join(', ')}`);
    return e;
  }

  it('serves /api as APIVersions with v1', async function () {
    const r = await c.get('/api');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.kind, 'APIVersions');
    assert.deepEqual(r.body.versions, ['v1']);
  });

  it('serves /apis as an APIGroupList with the served groups', async function () {
    const r = await c.get('/apis');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.kind, 'APIGroupList');
    const groups = new Map((r.body.groups as Obj[]).map((g) => [g.name as string, g]));
    for (const g of ['apps', 'coordination.k8s.io', 'discovery.k8s.io', 'scheduling.k8s.io', 'policy']) {
      assert.ok(groups.has(g), `group ${g} missing from /apis`);
      assert.equal(groups.get(g)!.preferredVersion.groupVersion, `${g}/v1`);
    }
    const apps = await c.get('/apis/apps');
    assert.equal(apps.status, 200, show(apps));
    assert.equal(apps.body.kind, 'APIGroup');
  });

  it('serves /api/v1 with pods (short name po), pods/status and pods/binding', async function () {
    const r = await c.get('/api/v1');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.kind, 'APIResourceList');
    assert.equal(r.body.groupVersion, 'v1');
    const pods = entry(r.body, 'pods');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.equal(pods.kind, 'Pod');
    assert.equal(pods.singularName, 'pod');
    assert.equal(pods.namespaced, true);
    assert.ok(pods.categories?.includes('all'), JSON.stringify(pods));
    for (const v of ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']) assert.ok(pods.verbs.includes(v), `pods lacks verb ${v}`);
    entry(r.body, 'pods/status');
    const binding = entry(r.body, 'pods/binding');
    assert.deepEqual(binding.verbs, ['create']);
    const expected: [string, string[], boolean][] = [
      ['services', ['svc'], true],
      ['configmaps', ['cm'], true],
      ['namespaces', ['ns'], false],
      ['nodes', ['no'], false],
      ['endpoints', ['ep'], true],
    ];
    for (const [name, shortNames, namespaced] of expected) {
      const e = entry(r.body, name);
      assert.deepEqual(e.shortNames, shortNames, name);
      assert.equal(e.namespaced, namespaced, name);
    }
  });

  it('serves /apis/apps/v1 with deployments (deploy) and deployments/scale in group autoscaling', async function () {
    const r = await c.get('/apis/apps/v1');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.groupVersion, 'apps/v1');
    assert.deepEqual(entry(r.body, 'deployments').shortNames, ['deploy']);
    assert.deepEqual(entry(r.body, 'replicasets').shortNames, ['rs']);
    const scale = entry(r.body, 'deployments/scale');
    assert.equal(scale.group, 'autoscaling');
    assert.equal(scale.version, 'v1');
    assert.equal(scale.kind, 'Scale');
    entry(r.body, 'deployments/status');
  });

  it('answers an unknown group-version with 404', async function () {
    const r = await c.get('/apis/nope.example.com/v1');
    assert.equal(r.status, 404, show(r));
  });

  it('reports version major 1, minor 32', async function () {
    const r = await c.get('/version');
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.major, '1');
    assert.equal(r.body.minor, '32');
    assert.match(r.body.gitVersion, /^v1\.32\./);
  });

  it('serves an OpenAPI v3 index and apps/v1 document with a patch operation taking fieldValidation', async function () {
    const idx = await c.get('/openapi/v3');
    assert.equal(idx.status, 200, show(idx));
    const apps = idx.body.paths?.['apis/apps/v1'];
    assert.ok(apps?.serverRelativeURL, `no apis/apps/v1 in ${Object.keys(idx.body.paths ?? {}).join(', ')}`);
    assert.ok(idx.body.paths['api/v1'], 'no api/v1 in the OpenAPI index');

    const doc = await c.get(apps.serverRelativeURL);
    assert.equal(doc.status, 200, show(doc));
    const ops = Object.values(doc.body.paths as Record<string, Obj>);
    const patch = ops
      .map((p) => p.patch)
      .find((op: Obj | undefined) => op?.['x-kubernetes-group-version-kind']?.kind === 'Deployment');
    assert.ok(patch, 'no patch operation for Deployment');
    assert.ok((patch.parameters as Obj[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'), JSON.stringify(patch.parameters));
  });

  it('documents the kinds as Kubernetes-named component schemas whose $refs all resolve', async function () {
    const idx = await c.get('/openapi/v3');
    for (const [gv, kind, id] of [
      ['apis/apps/v1', 'Deployment', 'io.k8s.api.apps.v1.Deployment'],
      ['api/v1', 'Pod', 'io.k8s.api.core.v1.Pod'],
    ] as const) {
      const doc = await c.get(idx.body.paths[gv].serverRelativeURL);
      const schemas = doc.body.components.schemas as Record<string, Obj>;
      assert.deepEqual(schemas[id]?.['x-kubernetes-group-version-kind'], [{ group: gv === 'api/v1' ? '' : 'apps', kind, version: 'v1' }]);
      const refs = JSON.stringify(schemas).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
      for (const ref of refs) {
        const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
        assert.ok(schemas[name], `${gv}: dangling ${ref}`);
      }
    }
    const core = await c.get(idx.body.paths['api/v1'].serverRelativeURL);
    const schemas = core.body.components.schemas as Record<string, Obj>;
    const containers = schemas['io.k8s.api.core.v1.PodSpec']!.properties.containers;
    assert.equal(containers.type, 'array');
    assert.deepEqual(containers.items, { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' });
    assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
    assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
    assert.match(containers.description, /List of containers/);
    assert.equal(schemas['io.k8s.api.core.v1.Container']!.properties.image.type, 'string');
    assert.deepEqual(schemas['io.k8s.api.core.v1.Container']!.required, ['name']);
    assert.equal(schemas['io.k8s.api.core.v1.Container']!.properties.ports['x-kubernetes-patch-merge-key'], 'containerPort');
    assert.equal(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString']?.format, 'int-or-string');
  });

  it('serves /openapi/v2 as JSON, and as gnostic protobuf to a client asking as kubectl does', async function () {
    const json = await c.get('/openapi/v2');
    assert.equal(json.status, 200, show(json));
    assert.equal(json.body.swagger, '2.0');
    assert.ok(json.body.definitions['io.k8s.api.apps.v1.Deployment'], 'no Deployment definition');
    const pb = await fetch(`${server.url}/openapi/v2`, { headers: { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' } });
    assert.equal(pb.status, 200);
    // Go's mime parser (client-go) rejects the '@' spelling kubectl asks with; Kubernetes answers with dots.
    assert.equal(pb.headers.get('content-type'), 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    const bytes = Buffer.from(await pb.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 5)], [0x0a, 3, ...Buffer.from('2.0')]); // Document.swagger = 1
  });

  it('answers /healthz and /readyz with 200', async function () {
    for (const path of ['/healthz', '/readyz']) {
      const r = await c.get(path);
      assert.equal(r.status, 200, `${path}: ${show(r)}`);
      assert.equal(r.text, 'ok');
    }
  });

  it('counts requests in /metrics as apiserver_request_total by verb, resource and code', async function () {
    await c.post('/api/v1/namespaces/default/configmaps', configMap(uniqueName('metrics')));
    await c.get('/api/v1/namespaces/default/configmaps/does-not-exist');
    const r = await c.get('/metrics');
    assert.equal(r.status, 200, show(r));
    assert.match(r.headers.get('content-type') ?? '', /text\/plain/);
    const lines = r.text.split('\n').filter((l) => l.startsWith('apiserver_request_total{'));
    const counted = (labels: string[]) => lines.some((l) => labels.every((x) => l.includes(x)) && /\} [1-9]\d*$/.test(l));
    assert.ok(counted(['verb="POST"', 'resource="configmaps"', 'code="201"']), lines.join('\n'));
    assert.ok(counted(['verb="GET"', 'resource="configmaps"', 'code="404"']), lines.join('\n'));
    assert.match(r.text, /apiserver_request_duration_seconds_bucket/);
  });
});
