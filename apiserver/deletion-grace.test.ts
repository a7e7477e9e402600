// A pod held by finalizers, or deleted with Foreground/Orphan propagation, keeps its grace
// period: its kubelet still gives preStop hooks and SIGTERM their time. A later grace-0 delete
// still shortens it, and the pod goes once the finalizers are gone.
import assert from 'node:assert/strict';
import { pod, show, uniqueName, useTestApiServer, type TestClient } from './client.testkit.js';

describe('apiserver deletion: grace periods under finalizers', function () {
  let c: TestClient;
  let ns: string;
  const fixture = useTestApiServer('grace');
  before(() => ({ c, ns } = fixture));

  /** A pod bound to a node, with `finalizers`, and its path. */
  const boundPod = async (finalizers: string[] = []): Promise<string> => {
    const name = uniqueName('pod');
    const path = `/api/v1/namespaces/${ns}/pods/${name}`;
    const body = pod(name, { spec: { terminationGracePeriodSeconds: 45 } });
    if (finalizers.length) body.metadata.finalizers = finalizers;
    assert.equal((await c.post(`/api/v1/namespaces/${ns}/pods`, body)).status, 201);
    const bind = await c.post(`${path}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { kind: 'Node', name: 'node-1' } });
    assert.equal(bind.status, 201, show(bind));
    return path;
  };

  for (const [what, finalizers, body] of [
    ['a finalizer', ['example.com/hold'], undefined],
    ['Foreground propagation', [], { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Foreground' }],
    ['Orphan propagation', [], { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Orphan' }],
  ] as const) {
    it(`a bound pod deleted with ${what} keeps its terminationGracePeriodSeconds`, async () => {
      const path = await boundPod([...finalizers]);
      const del = await c.delete(path, body);
      assert.ok(del.status === 200 || del.status === 202, show(del));
      const marked = (await c.get(path)).body;
      assert.equal(marked.metadata.deletionGracePeriodSeconds, 45, JSON.stringify(marked.metadata));
      assert.ok(Date.parse(marked.metadata.deletionTimestamp) > Date.now() + 30_000, 'deletionTimestamp ~45 s ahead');
    });
  }

  it('a grace-0 delete shortens it; the pod goes with its last finalizer', async () => {
    const path = await boundPod(['example.com/hold']);
    await c.delete(path);
    const force = await c.request('DELETE', `${path}?gracePeriodSeconds=0`);
    assert.ok(force.status === 200 || force.status === 202, show(force));
    const held = (await c.get(path)).body;
    assert.equal(held.metadata.deletionGracePeriodSeconds, 0);
    assert.ok(Date.parse(held.metadata.deletionTimestamp) <= Date.now() + 1000);
    const release = await c.put(path, { ...held, metadata: { ...held.metadata, finalizers: [] } });
    assert.ok(release.status === 200, show(release));
    assert.equal((await c.get(path)).status, 404);
  });
});
