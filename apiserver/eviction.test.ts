// pods/eviction against a real apiserver and etcd: allowed while the pod's PodDisruptionBudget
// allows a disruption (and then spent), 429 with Kubernetes' message otherwise; the pod is deleted
// as its DeleteOptions say. Budget status is written by hand here (the disruption controller's
// job, tested in controllers/disruption).
import assert from 'node:assert/strict';
import { pod, show, uniqueName, useTestApiServer, type Obj } from './client.testkit.js';

describe('pods/eviction', function () {
  const f = useTestApiServer('evict');
  const podPath = (name: string) => `/api/v1/namespaces/${f.ns}/pods/${name}`;
  const pdbPath = (name = '') => `/apis/policy/v1/namespaces/${f.ns}/poddisruptionbudgets${name ? `/${name}` : ''}`;
  // As kubectl drain sends it, `creationTimestamp: null` included.
  const evict = (name: string, extra: Obj = {}) =>
    f.c.post(`${podPath(name)}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: f.ns, creationTimestamp: null }, deleteOptions: {}, ...extra });

  /** A running, ready pod on a node (so a delete only marks it, as the kubelet finishes it). */
  async function runningPod(labels: Record<string, string>, ready = true): Promise<string> {
    const name = uniqueName('p');
    const created = await f.c.post(`/api/v1/namespaces/${f.ns}/pods`, pod(name, { labels, spec: { nodeName: 'node-a' } }));
    assert.equal(created.status, 201, show(created));
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] };
    const r = await f.c.put(`${podPath(name)}/status`, { ...created.body, status });
    assert.equal(r.status, 200, show(r));
    return name;
  }

  async function budget(labels: Record<string, string>, status: Obj): Promise<string> {
    const name = uniqueName('pdb');
    const r = await f.c.post(pdbPath(), { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: labels } } });
    assert.equal(r.status, 201, show(r));
    const s = await f.c.put(`${pdbPath(name)}/status`, { ...r.body, status: { observedGeneration: r.body.metadata.generation, ...status } });
    assert.equal(s.status, 200, show(s));
    return name;
  }

  it('is listed in discovery as pods/eviction creating a policy/v1 Eviction (and pods/portforward beside it)', async function () {
    const r = await f.c.get('/api/v1');
    const e = (r.body.resources as Obj[]).find((x) => x.name === 'pods/eviction');
    assert.deepEqual({ group: e?.group, version: e?.version, kind: e?.kind, verbs: e?.verbs }, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    const pf = (r.body.resources as Obj[]).find((x) => x.name === 'pods/portforward');
    assert.deepEqual({ kind: pf?.kind, verbs: pf?.verbs }, { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
  });

  it('evicts a pod no budget selects: 201 Success, and the pod is deleted gracefully', async function () {
    const name = await runningPod({ app: uniqueName('free') });
    const r = await evict(name);
    assert.equal(r.status, 201, show(r));
    assert.equal(r.body.status, 'Success');
    const after = await f.c.get(podPath(name));
    assert.ok(after.body.metadata.deletionTimestamp, `pod not being deleted: ${show(after)}`);
    assert.equal(after.body.metadata.deletionGracePeriodSeconds, 30);
  });

  it('honours deleteOptions: gracePeriodSeconds 0 removes at once, dryRun leaves the pod', async function () {
    const a = await runningPod({ app: uniqueName('opts') });
    const dry = await evict(a, { deleteOptions: { dryRun: ['All'] } });
    assert.equal(dry.status, 201, show(dry));
    assert.equal((await f.c.get(podPath(a))).body.metadata.deletionTimestamp, undefined);
    const now = await evict(a, { deleteOptions: { gracePeriodSeconds: 0 } });
    assert.equal(now.status, 201, show(now));
    assert.equal((await f.c.get(podPath(a))).status, 404);
  });

  it('refuses with 429 and the DisruptionBudget cause while the budget allows no disruption', async function () {
    const labels = { app: uniqueName('guarded') };
    const name = await runningPod(labels);
    const pdb = await budget(labels, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 });
    const r = await evict(name);
    assert.equal(r.status, 429, show(r));
    assert.equal(r.body.reason, 'TooManyRequests');
    assert.equal(r.body.message, "Cannot evict pod as it would violate the pod's disruption budget.");
    assert.deepEqual(r.body.details.causes, [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb} needs 1 healthy pods and has 1 currently` }]);
    assert.equal((await f.c.get(podPath(name))).body.metadata.deletionTimestamp, undefined, 'the pod must not be touched');
  });

  it('spends one allowed disruption per eviction, recording the pod, then refuses the next', async function () {
    const labels = { app: uniqueName('spend') };
    const [a, b] = [await runningPod(labels), await runningPod(labels)];
    const pdb = await budget(labels, { disruptionsAllowed: 1, currentHealthy: 2, desiredHealthy: 1, expectedPods: 2 });
    const first = await evict(a!);
    assert.equal(first.status, 201, show(first));
    const status = (await f.c.get(pdbPath(pdb))).body.status;
    assert.equal(status.disruptionsAllowed, 0);
    assert.ok(status.disruptedPods?.[a!], JSON.stringify(status));
    const second = await evict(b!);
    assert.equal(second.status, 429, show(second));
  });

  it('evicts an unready pod without spending the budget while the budget is healthy', async function () {
    const labels = { app: uniqueName('unready') };
    await runningPod(labels);
    const sick = await runningPod(labels, false);
    const pdb = await budget(labels, { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 2 });
    const r = await evict(sick);
    assert.equal(r.status, 201, show(r));
    assert.equal((await f.c.get(pdbPath(pdb))).body.status.disruptionsAllowed, 0);
  });

  it('refuses while the budget has not been observed since its last change', async function () {
    const labels = { app: uniqueName('stale') };
    const name = await runningPod(labels);
    const pdb = await budget(labels, { disruptionsAllowed: 1, currentHealthy: 1, desiredHealthy: 0, expectedPods: 1, observedGeneration: 0 });
    const r = await evict(name);
    assert.equal(r.status, 429, show(r));
    assert.match(r.body.details.causes[0].message, new RegExp(`The disruption budget ${pdb} is still being processed by the server`));
  });

  it('answers 500 when two budgets select the pod, and 400 for a mismatched name', async function () {
    const labels = { app: uniqueName('two') };
    const name = await runningPod(labels);
    await budget(labels, { disruptionsAllowed: 1 });
    await budget(labels, { disruptionsAllowed: 1 });
    const r = await evict(name);
    assert.equal(r.status, 500, show(r));
    assert.match(r.body.message, /more than one PodDisruptionBudget/);
    const bad = await f.c.post(`${podPath(name)}/eviction`, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } });
    assert.equal(bad.status, 400, show(bad));
    assert.match(bad.body.message, /name in URL does not match name in Eviction object/);
    const negative = await evict(name, { deleteOptions: { gracePeriodSeconds: -1 } });
    assert.equal(negative.status, 422, show(negative));
    assert.equal(negative.body.details.causes[0].field, 'deleteOptions.gracePeriodSeconds');
  });

  it('answers 404 for a pod that does not exist', async function () {
    const r = await evict('nobody');
    assert.equal(r.status, 404, show(r));
  });
});
