// Server-side apply through the HTTP API: create, field ownership in managedFields, removal of
// fields a manager stops applying, conflicts between Apply managers and forcing them.
import assert from 'node:assert/strict';
import { fieldSet, fromFieldsV1, printPath, toFieldsV1 } from './http/server-side-apply.js';
import { kindMeta } from './http/patch-meta.js';
import { deployment, show, uniqueName, useTestApiServer, type Obj } from './client.testkit.js';

const applyType = 'application/apply-patch+yaml';

describe('server-side apply', function () {
  this.timeout(30_000);
  const f = useTestApiServer('ssa');
  const cmPath = (name: string) => `/api/v1/namespaces/${f.ns}/configmaps/${name}`;
  const apply = (path: string, body: Obj, manager: string | undefined, force = false) =>
    f.c.request('PATCH', `${path}?${manager ? `fieldManager=${manager}&` : ''}${force ? 'force=true' : ''}`, body, { contentType: applyType });
  const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });
  const managers = (obj: Obj) => (obj.metadata.managedFields as Obj[]).map((e) => `${e.manager}/${e.operation}`).sort();

  it('creates a missing object (201) and records the applier as the owner of its fields', async () => {
    const name = uniqueName('cm');
    const r = await apply(cmPath(name), cm(name, { a: '1', b: '2' }), 'alice');
    assert.equal(r.status, 201, show(r));
    assert.deepEqual(r.body.data, { a: '1', b: '2' });
    const [entry] = r.body.metadata.managedFields as Obj[];
    assert.equal(entry!.manager, 'alice');
    assert.equal(entry!.operation, 'Apply');
    assert.equal(entry!.apiVersion, 'v1');
    assert.equal(entry!.fieldsType, 'FieldsV1');
    assert.deepEqual(entry!.fieldsV1, { 'f:data': { 'f:a': {}, 'f:b': {} } });
    assert.match(entry!.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal((await f.c.get(cmPath(name))).body.data.a, '1');
  });

  it('on re-apply changes values, removes the fields the manager no longer applies, keeps fields of other writers', async () => {
    const name = uniqueName('cm');
    assert.equal((await apply(cmPath(name), cm(name, { a: '1', b: '2' }), 'alice')).status, 201);
    const other = await f.c.patch(cmPath(name), { data: { c: 'other' } }, 'application/merge-patch+json');
    assert.equal(other.status, 200, show(other));
    const r = await apply(cmPath(name), cm(name, { a: 'changed' }), 'alice');
    assert.equal(r.status, 200, show(r));
    assert.deepEqual(r.body.data, { a: 'changed', c: 'other' });
    assert.deepEqual(r.body.metadata.managedFields[0].fieldsV1, { 'f:data': { 'f:a': {} } });
  });

  it('answers 409 with FieldManagerConflict causes when another Apply manager owns a changed value; force moves ownership', async () => {
    const name = uniqueName('cm');
    await apply(cmPath(name), cm(name, { a: '1', b: '2' }), 'alice');
    const conflict = await apply(cmPath(name), cm(name, { a: 'bob', b: '2' }), 'bob');
    assert.equal(conflict.status, 409, show(conflict));
    assert.equal(conflict.body.reason, 'Conflict');
    assert.deepEqual(conflict.body.details.causes, [{ reason: 'FieldManagerConflict', message: 'conflict with "alice" using v1', field: '.data.a' }]);
    assert.match(conflict.body.message, /Apply failed with 1 conflict: conflict with "alice" using v1: \.data\.a/);
    assert.equal((await f.c.get(cmPath(name))).body.data.a, '1', 'nothing changed');

    // The same value is no conflict: both own it.
    const shared = await apply(cmPath(name), cm(name, { b: '2' }), 'bob');
    assert.equal(shared.status, 200, show(shared));
    assert.deepEqual(managers(shared.body), ['alice/Apply', 'bob/Apply']);

    const forced = await apply(cmPath(name), cm(name, { a: 'bob', b: '2' }), 'bob', true);
    assert.equal(forced.status, 200, show(forced));
    assert.equal(forced.body.data.a, 'bob');
    const alice = (forced.body.metadata.managedFields as Obj[]).find((e) => e.manager === 'alice')!;
    assert.deepEqual(alice.fieldsV1, { 'f:data': { 'f:b': {} } });

    // alice stops applying b, but bob still owns it: it stays.
    const again = await apply(cmPath(name), cm(name, {}), 'alice');
    assert.equal(again.status, 200, show(again));
    assert.deepEqual(again.body.data, { a: 'bob', b: '2' });
  });

  it('merges keyed lists item by item and removes an item the manager stops applying', async () => {
    const name = uniqueName('web');
    const path = `/apis/apps/v1/namespaces/${f.ns}/deployments/${name}`;
    const d = deployment(name);
    d.spec.template.spec.containers = [{ name: 'app', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }];
    assert.equal((await apply(path, d, 'alice')).status, 201);
    const replicas = await f.c.patch(path, { spec: { replicas: 3 } }, 'application/strategic-merge-patch+json');
    assert.equal(replicas.status, 200, show(replicas));
    d.spec.template.spec.containers = [{ name: 'app', image: 'nginx:1.28' }];
    const r = await apply(path, d, 'alice');
    assert.equal(r.status, 200, show(r));
    const containers = r.body.spec.template.spec.containers as Obj[];
    assert.deepEqual(containers.map((x) => `${x.name}=${x.image}`), ['app=nginx:1.28']);
    assert.equal(containers[0]!.imagePullPolicy, 'IfNotPresent', 'defaults stay');
    assert.equal(r.body.spec.replicas, 3, 'a field set by another writer stays');
    assert.equal(r.body.metadata.generation, 3);
    const fields = r.body.metadata.managedFields[0].fieldsV1;
    assert.deepEqual(fields['f:spec']['f:template']['f:spec']['f:containers'], { 'k:{"name":"app"}': { '.': {}, 'f:name': {}, 'f:image': {} } });
  });

  it('requires fieldManager, checks the name, and honours dryRun', async () => {
    const name = uniqueName('cm');
    const missing = await apply(cmPath(name), cm(name, { a: '1' }), undefined);
    assert.equal(missing.status, 422, show(missing));
    assert.equal(missing.body.details.causes[0].field, 'fieldManager');
    const wrong = await apply(cmPath(name), cm('other', { a: '1' }), 'alice');
    assert.equal(wrong.status, 400, show(wrong));
    const dry = await f.c.request('PATCH', `${cmPath(name)}?fieldManager=alice&dryRun=All`, cm(name, { a: '1' }), { contentType: applyType });
    assert.equal(dry.status, 201, show(dry));
    assert.equal((await f.c.get(cmPath(name))).status, 404);
    const yaml = await f.c.request('PATCH', `${cmPath(name)}?fieldManager=alice`, undefined, { raw: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`, contentType: applyType });
    assert.equal(yaml.status, 201, show(yaml));
    assert.deepEqual(yaml.body.data, { k: 'v' });
  });
});

describe('server-side apply field sets', () => {
  it('uses merge keys, set members and atomic leaves, and round-trips through FieldsV1', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', labels: { app: 'x' }, finalizers: ['a/b'] },
      spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], args: ['x'] }], tolerations: [{ operator: 'Exists' }] },
      status: { phase: 'Running' },
    };
    const set = fieldSet(pod, kindMeta('Pod')!);
    assert.deepEqual([...set].map(printPath).sort(), [
      '.metadata.finalizers[="a/b"]',
      '.metadata.labels.app',
      '.spec.containers[name="c"]',
      '.spec.containers[name="c"].args',
      '.spec.containers[name="c"].image',
      '.spec.containers[name="c"].name',
      '.spec.containers[name="c"].ports[containerPort=80]',
      '.spec.containers[name="c"].ports[containerPort=80].containerPort',
      '.spec.tolerations',
    ]);
    assert.deepEqual(fromFieldsV1(toFieldsV1(set)), set);
  });
});
