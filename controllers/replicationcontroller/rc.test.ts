import assert from 'node:assert/strict';
import type { ReplicationController } from '../../api/index.js';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { eventually, runControllers, type Harness } from '../replicaset/harness.testkit.js';
import { replicationControllerController } from './index.js';

describe('replicationcontroller controller (real apiserver, fake nodes)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let h: Harness;
  before(async () => {
    api = await startTestApiServer();
    h = await runControllers(api.url, [replicationControllerController]);
  });
  after(async () => {
    await h?.stop();
    await api?.close();
  });

  it('keeps replicas pods from the template (selector defaulted from its labels), reports status, scales through /scale', async () => {
    const cs = h.clientset;
    const rc = await cs.replicationControllers.create('default', {
      apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy' },
      spec: { replicas: 3, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    } as ReplicationController);
    assert.deepEqual(rc.spec?.selector, { app: 'legacy' });
    const ready = await eventually('3 ready', async () => {
      const r = await cs.replicationControllers.get('default', 'legacy');
      return r.status?.readyReplicas === 3 && r.status.availableReplicas === 3 ? r : undefined;
    });
    assert.equal(ready.status?.observedGeneration, ready.metadata?.generation);
    const pods = (await cs.pods.list('default', { labelSelector: 'app=legacy' })).items;
    assert.equal(pods.length, 3);
    assert.deepEqual(pods[0]?.metadata?.ownerReferences?.map((r) => `${r.apiVersion}/${r.kind}/${r.name}`), ['v1/ReplicationController/legacy']);
    const scale = await cs.replicationControllers.getScale('default', 'legacy');
    assert.equal(scale.status?.selector, 'app=legacy');
    await cs.replicationControllers.scale('default', 'legacy', 1);
    await eventually('1 pod', async () => (await cs.pods.list('default', { labelSelector: 'app=legacy' })).items.filter((p) => !p.metadata?.deletionTimestamp).length === 1);
  });
});
