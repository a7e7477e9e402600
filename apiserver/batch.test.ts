// batch/v1 through the apiserver: the generated selector, validation a user reads, the Table
// kubectl prints, and the OpenAPI document `kubectl explain` walks.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { createNamespace, show, TestClient, type Obj } from './client.testkit.js';

const job = (name: string, spec: Obj = {}): Obj => ({
  apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
  spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
});

describe('apiserver batch/v1', function () {
  let server: TestApiServer;
  let c: TestClient;
  let jobs: string;
  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
    const ns = await createNamespace(c, 'batch');
    jobs = `/apis/batch/v1/namespaces/${ns}/jobs`;
  });
  after(async () => server?.close());

  it('creates a Job with a selector on its own uid, labels on its template, and an empty status', async function () {
    const r = await c.post(jobs, job('pi'));
    assert.equal(r.status, 201, show(r));
    const uid = r.body.metadata.uid;
    assert.deepEqual(r.body.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } });
    assert.equal(r.body.spec.template.metadata.labels['batch.kubernetes.io/job-name'], 'pi');
    assert.equal(r.body.spec.template.metadata.labels['controller-uid'], uid);
    assert.deepEqual(r.body.status, {});
    assert.equal(r.body.metadata.generation, 1);
  });

  it('answers 422 naming the field for a template that restarts Always, and stores nothing', async function () {
    const bad = job('bad');
    delete bad.spec.template.spec.restartPolicy;
    const r = await c.post(jobs, bad);
    assert.equal(r.status, 422, show(r));
    assert.match(r.body.message, /spec\.template\.spec\.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"/);
    assert.equal((await c.get(`${jobs}/bad`)).status, 404);
  });

  it('rejects a template change on a started Job', async function () {
    const cur = (await c.get(`${jobs}/pi`)).body;
    cur.spec.template.spec.containers[0].image = 'other';
    const r = await c.put(`${jobs}/pi`, cur);
    assert.equal(r.status, 422, show(r));
    assert.match(r.body.message, /spec\.template: Invalid value: .*field is immutable/);
  });

  it('prints Jobs as kubectl get does (Status, Completions, Duration)', async function () {
    const r = await c.request('GET', jobs, undefined, { headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' } });
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.body.columnDefinitions.map((d: Obj) => d.name), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
    assert.deepEqual(r.body.rows[0].cells.slice(0, 4), ['pi', 'Running', '0/1', '']);
  });

  it('documents Job and CronJob in the batch/v1 OpenAPI document', async function () {
    const idx = await c.get('/openapi/v3');
    const doc = await c.get(idx.body.paths['apis/batch/v1'].serverRelativeURL);
    assert.equal(doc.status, 200, show(doc));
    const schemas = doc.body.components.schemas as Record<string, Obj>;
    assert.deepEqual(schemas['io.k8s.api.batch.v1.Job']?.['x-kubernetes-group-version-kind'], [{ group: 'batch', kind: 'Job', version: 'v1' }]);
    assert.match(schemas['io.k8s.api.batch.v1.JobSpec']?.properties?.backoffLimit?.description ?? '', /number of retries/);
    assert.ok(schemas['io.k8s.api.batch.v1.CronJobSpec']?.properties?.jobTemplate, 'CronJobSpec.jobTemplate');
  });
});
