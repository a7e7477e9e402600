import assert from 'node:assert/strict';
import type { Pod, ReplicaSet } from '../../api/index.js';
import { Informer, type Clientset } from '../../client/index.js';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { eventually, runControllers, type Harness } from './harness.testkit.js';
import { replicaSetController } from './index.js';

function replicaSet(name: string, replicas: number, extra: { minReadySeconds?: number } = {}): ReplicaSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      ...extra,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name, tier: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
  };
}

async function podsOf(cs: Clientset, app: string): Promise<Pod[]> {
  return (await cs.pods.list('default', { labelSelector: `app=${app}` })).items;
}

describe('replicaset controller (real apiserver, test plays the nodes)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let h: Harness;
  before(async () => {
    api = await startTestApiServer();
    h = await runControllers(api.url, [replicaSetController]);
  });
  after(async () => {
    await h?.stop();
    await api?.close();
  });

  it('scales up with owned, generated pods and reports status; scales down', async () => {
    const cs = h.clientset;
    const created = await cs.replicaSets.create('default', replicaSet('web', 5));
    const rs = await eventually('5 ready replicas', async () => {
      const r = await cs.replicaSets.get('default', 'web');
      return r.status?.availableReplicas === 5 && r.status.readyReplicas === 5 ? r : undefined;
    });
    assert.equal(rs.status?.replicas, 5);
    assert.equal(rs.status?.fullyLabeledReplicas, 5);
    assert.equal(rs.status?.observedGeneration, rs.metadata?.generation);
    const pods = await podsOf(cs, 'web');
    assert.equal(pods.length, 5);
    for (const p of pods) {
      assert.match(p.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata?.ownerReferences, [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: created.metadata?.uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    const events = await eventually('SuccessfulCreate events', async () => {
      const evs = (await cs.events.list('default')).items.filter((e) => e.involvedObject?.name === 'web' && e.reason === 'SuccessfulCreate');
      return evs.length === 5 ? evs : undefined;
    });
    assert.match(events[0]?.message ?? '', /^Created pod: web-/);

    await cs.replicaSets.scale('default', 'web', 2);
    await eventually('2 pods', async () => (await podsOf(cs, 'web')).length === 2);
    const after = await eventually('status 2', async () => {
      const r = await cs.replicaSets.get('default', 'web');
      return r.status?.replicas === 2 && r.status.observedGeneration === r.metadata?.generation ? r : undefined;
    });
    assert.equal(after.status?.availableReplicas, 2);
  });

  it('adopts a matching orphan and releases a pod that stops matching', async () => {
    const cs = h.clientset;
    const orphan = await cs.pods.create('default', {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'stray', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const rs = await cs.replicaSets.create('default', replicaSet('adopt', 2));
    await eventually('the orphan adopted', async () => {
      const p = await cs.pods.get('default', 'stray');
      return p.metadata?.ownerReferences?.[0]?.uid === rs.metadata?.uid;
    });
    await eventually('2 pods', async () => (await podsOf(cs, 'adopt')).length === 2);
    assert.ok((await podsOf(cs, 'adopt')).some((p) => p.metadata?.uid === orphan.metadata?.uid), 'the orphan counts as one of the two');

    await cs.pods.patch('default', 'stray', { metadata: { labels: { app: 'gone' } } });
    await eventually('the pod released', async () => (await cs.pods.get('default', 'stray')).metadata?.ownerReferences?.length === 0);
    await eventually('a replacement', async () => (await podsOf(cs, 'adopt')).length === 2);
  });

  it('never over-creates under a burst of changes', async () => {
    const cs = h.clientset;
    const seen = new Informer<Pod>(cs.pods, { namespace: 'default', labelSelector: 'app=burst' });
    let max = 0;
    seen.on({ add: () => (max = Math.max(max, seen.store.size)) });
    await seen.start();
    try {
      await cs.replicaSets.create('default', replicaSet('burst', 30));
      // Every write to the ReplicaSet re-queues it while its creates are still in flight.
      await Promise.all(Array.from({ length: 20 }, (_, i) => cs.replicaSets.patch('default', 'burst', { metadata: { annotations: { poke: String(i) } } })));
      await eventually('30 available', async () => (await cs.replicaSets.get('default', 'burst')).status?.availableReplicas === 30);
      // Let any excess creation show up before judging.
      await eventually('quiet', async () => (await cs.replicaSets.get('default', 'burst')).status?.replicas === 30);
      assert.equal((await podsOf(cs, 'burst')).length, 30);
      assert.equal(max, 30, 'pods at any time');
    } finally {
      seen.stop();
    }
  });

  it('reports ReplicaFailure while pods cannot be created, and clears it', async () => {
    const cs = h.clientset;
    const rs = replicaSet('failing', 2);
    (rs.spec?.template?.spec as { priorityClassName?: string }).priorityClassName = 'later';
    await cs.replicaSets.create('default', rs);
    const cond = await eventually('ReplicaFailure', async () =>
      (await cs.replicaSets.get('default', 'failing')).status?.conditions?.find((c) => c.type === 'ReplicaFailure'));
    assert.equal(cond.status, 'True');
    assert.equal(cond.reason, 'FailedCreate');
    assert.match(cond.message ?? '', /priorityClassName/);
    await cs.priorityClasses.create(undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'later' }, value: 1000 });
    const healed = await eventually('2 replicas, condition gone', async () => {
      const r = await cs.replicaSets.get('default', 'failing');
      return r.status?.replicas === 2 ? r : undefined;
    }, 30_000);
    assert.equal(healed.status?.conditions?.find((c) => c.type === 'ReplicaFailure'), undefined);
  });

  it('counts pods available only after minReadySeconds', async () => {
    const cs = h.clientset;
    await cs.replicaSets.create('default', replicaSet('slow', 2, { minReadySeconds: 2 }));
    const ready = await eventually('2 ready', async () => {
      const r = await cs.replicaSets.get('default', 'slow');
      return r.status?.readyReplicas === 2 ? r : undefined;
    });
    const readyAt = Date.now();
    assert.ok((ready.status?.availableReplicas ?? 0) < 2, 'not available at once');
    await eventually('2 available', async () => (await cs.replicaSets.get('default', 'slow')).status?.availableReplicas === 2, 10_000);
    assert.ok(Date.now() - readyAt >= 500, 'availability waited for minReadySeconds');
  });
});
