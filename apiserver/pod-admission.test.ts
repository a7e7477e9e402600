// Pod admission through the HTTP API: priority from PriorityClasses, default NoExecute tolerations.
import assert from 'node:assert/strict';
import { pod, show, uniqueName, useTestApiServer, type Obj } from './client.testkit.js';

const pcs = '/apis/scheduling.k8s.io/v1/priorityclasses';
const defaultTolerations = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('pod admission', function () {
  this.timeout(30_000);
  const f = useTestApiServer('admit');
  const create = (spec: Obj) => f.c.post(`/api/v1/namespaces/${f.ns}/pods`, pod(uniqueName('p'), { spec }));
  const priorityClass = async (value: number, extra: Obj = {}): Promise<string> => {
    const name = uniqueName('pc');
    const r = await f.c.post(pcs, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, ...extra });
    assert.equal(r.status, 201, show(r));
    return name;
  };

  it('serves the built-in system PriorityClasses', async () => {
    const r = await f.c.get(`${pcs}/system-node-critical`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.value, 2000001000);
    assert.equal((await f.c.get(`${pcs}/system-cluster-critical`)).body.value, 2000000000);
  });

  it('resolves priorityClassName to spec.priority (and the class preemption policy)', async () => {
    const name = await priorityClass(1000, { preemptionPolicy: 'Never' });
    const r = await create({ priorityClassName: name });
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.spec.priority, 1000);
    assert.equal(r.body.spec.preemptionPolicy, 'Never');
    const crit = await create({ priorityClassName: 'system-cluster-critical' });
    assert.equal(crit.body.spec.priority, 2000000000);
  });

  it('refuses an unknown class and a priority that disagrees with the class, naming the field', async () => {
    const unknown = await create({ priorityClassName: 'no-such-class' });
    assert.equal(unknown.status, 422, show(unknown));
    assert.equal(unknown.body.details.causes[0].field, 'spec.priorityClassName');
    assert.match(unknown.body.message, /spec\.priorityClassName: Not found: "no-such-class"/);

    const name = await priorityClass(50);
    const wrong = await create({ priorityClassName: name, priority: 7 });
    assert.equal(wrong.status, 422, show(wrong));
    assert.equal(wrong.body.details.causes[0].field, 'spec.priority');
    assert.equal((await create({ priorityClassName: name, priority: 50 })).status, 201);
    assert.equal((await create({ priority: 3 })).status, 422);
    const list = await f.c.get(`/api/v1/namespaces/${f.ns}/pods`);
    assert.ok(!list.body.items.some((p: Obj) => p.spec.priority === 7 || p.spec.priority === 3), 'refused pods are not stored');
  });

  it('adds the not-ready and unreachable tolerations of 300 s unless the pod has its own', async () => {
    const plain = await create({});
    assert.equal(plain.status, 201, show(plain));
    assert.deepEqual(plain.body.spec.tolerations, defaultTolerations);

    const own = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 };
    const mine = await create({ tolerations: [own, { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }] });
    assert.deepEqual(mine.body.spec.tolerations, [own, { key: 'gpu', operator: 'Exists', effect: 'NoSchedule' }, defaultTolerations[1]]);

    const everything = await create({ tolerations: [{ operator: 'Exists' }] });
    assert.deepEqual(everything.body.spec.tolerations, [{ operator: 'Exists' }]);
  });

  it('gives pods without a class the globalDefault class, or priority 0', async () => {
    const none = await create({});
    assert.equal(none.body.spec.priority, 0);
    assert.equal(none.body.spec.priorityClassName, undefined);
    const name = await priorityClass(200, { globalDefault: true });
    const r = await create({});
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.spec.priority, 200);
    assert.equal(r.body.spec.priorityClassName, name);
  });
});
