// The reconcile against a cache that lags on purpose: a pod informer that is never started,
// so only what the test puts in it is "observed".
import assert from 'node:assert/strict';
import type { Pod, ReplicaSet } from '../../api/index.js';
import { Clientset, EventRecorder, Informer, createLogger, keyOf } from '../../client/index.js';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { Expectations } from './expectations.js';
import { replicaSetKind, replicaSetReconciler } from './reconcile.js';

describe('replicaset reconcile with a lagging cache', function () {
  this.timeout(30_000);
  let api: TestApiServer;
  let cs: Clientset;
  before(async () => {
    api = await startTestApiServer();
    cs = new Clientset({ server: api.url });
  });
  after(async () => {
    cs?.close();
    await api?.close();
  });

  it('creates once and waits for the cache to show its pods before creating again', async () => {
    const rs = await cs.replicaSets.create('default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'lag' },
      spec: { replicas: 5, selector: { matchLabels: { app: 'lag' } }, template: { metadata: { labels: { app: 'lag' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const replicaSets = new Informer<ReplicaSet>(cs.replicaSets);
    replicaSets.store.set(rs);
    const pods = new Informer<Pod>(cs.pods);
    pods.addIndexer('namespace', (p) => [p.metadata?.namespace ?? '']);
    const expectations = new Expectations();
    const log = createLogger('test');
    const reconcile = replicaSetReconciler({ kind: replicaSetKind, clientset: cs, replicaSets, pods, expectations, recorder: new EventRecorder(cs, 'test', undefined, log), log });
    const key = keyOf(rs);
    const count = async (): Promise<number> => (await cs.pods.list('default', { labelSelector: 'app=lag' })).items.length;

    await reconcile(key);
    assert.equal(await count(), 5);
    assert.equal(expectations.satisfied(key), false);
    // The cache still shows no pods; without expectations this would create 5 more.
    await reconcile(key);
    await reconcile(key);
    assert.equal(await count(), 5, 'no over-creation while the cache lags');

    // The cache catches up: the controller trusts it again and has nothing to do.
    for (const p of (await cs.pods.list('default', { labelSelector: 'app=lag' })).items) {
      pods.store.set(p);
      expectations.creationObserved(key);
    }
    assert.equal(expectations.satisfied(key), true);
    await reconcile(key);
    assert.equal(await count(), 5);
  });

  it('trusts the cache again once an expectation expires (a lost event must not wedge it)', async () => {
    const exp = new Expectations(50);
    exp.expect('k', 3);
    assert.equal(exp.satisfied('k'), false);
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(exp.satisfied('k'), true);
    exp.expect('d', 0, ['ns/a', 'ns/b']);
    exp.deletionObserved('d', 'ns/a');
    assert.equal(exp.satisfied('d'), false);
    exp.deletionObserved('d', 'ns/b');
    assert.equal(exp.satisfied('d'), true);
  });
});
