import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { Informer } from '../../client/index.js';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { isPodReady } from '../replicaset/index.js';
import { eventually, runControllers, type Harness } from '../replicaset/harness.testkit.js';
import { replicaSetController } from '../replicaset/index.js';
import { computeHash, deploymentController } from './index.js';
import { brokenImage, deployment, replicaSetsOf, rolledOut, setImage } from './support.testkit.js';

const images = (pods: Pod[]): string[] => [...new Set(pods.map((p) => p.spec?.containers[0]?.image ?? ''))].sort();

describe('deployment controller (real apiserver, test plays the nodes)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let h: Harness;
  before(async () => {
    api = await startTestApiServer();
    h = await runControllers(api.url, [replicaSetController, deploymentController], { ready: brokenImage });
  });
  after(async () => {
    await h?.stop();
    await api?.close();
  });

  it('rolls 10 replicas v1→v2 with maxSurge 2 / maxUnavailable 1 within bounds', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('roll', 'app:v1', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 2, maxUnavailable: 1 } } }));
    const first = await eventually('v1 rolled out', () => rolledOut(cs, 'roll'));
    assert.equal(first.metadata?.annotations?.['deployment.kubernetes.io/revision'], '1');
    const [rs1] = await replicaSetsOf(cs, 'roll');
    const hash = rs1?.metadata?.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs1?.metadata?.name, `roll-${hash}`);
    assert.deepEqual(rs1?.spec?.selector.matchLabels, { app: 'roll', 'pod-template-hash': hash });
    assert.equal(rs1?.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '10');
    assert.equal(rs1?.metadata?.annotations?.['deployment.kubernetes.io/max-replicas'], '12');

    const pods = new Informer<Pod>(cs.pods, { namespace: 'default', labelSelector: 'app=roll' });
    let maxTotal = 0;
    let minAvailable = Infinity;
    let armed = false;
    const sample = (): void => {
      // The initial list arrives one add at a time: judge only from the full picture on.
      if (!armed) return;
      const all = pods.store.list();
      maxTotal = Math.max(maxTotal, all.length);
      minAvailable = Math.min(minAvailable, all.filter((p) => isPodReady(p) && !p.metadata?.deletionTimestamp).length);
    };
    pods.on({ add: sample, update: sample, delete: sample });
    await pods.start();
    armed = true;
    sample();
    try {
      await setImage(cs, 'roll', 'app:v2');
      const d = await eventually('v2 rolled out', () => rolledOut(cs, 'roll'), 40_000);
      assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '2');
      await eventually('only v2 pods', async () => {
        const all = pods.store.list();
        return all.length === 10 && images(all).join() === 'app:v2';
      });
    } finally {
      pods.stop();
    }
    assert.ok(maxTotal <= 12, `total pods reached ${maxTotal}`);
    assert.ok(minAvailable >= 9, `available pods dropped to ${minAvailable}`);
    const progressing = (await cs.deployments.get('default', 'roll')).status?.conditions?.find((c) => c.type === 'Progressing');
    assert.equal(progressing?.reason, 'NewReplicaSetAvailable');
    const events = (await cs.events.list('default')).items.filter((e) => e.involvedObject?.name === 'roll' && e.reason === 'ScalingReplicaSet');
    assert.ok(events.some((e) => /^Scaled up replica set roll-\w+ to 10 from 0$/.test(e.message ?? '')), 'the first scale-up event');
    assert.ok(events.some((e) => /^Scaled down replica set roll-\w+ to \d+ from \d+$/.test(e.message ?? '')), 'scale-down events');
  });

  it('Recreate removes every old pod before creating new ones', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('rec', 'app:v1', { replicas: 4, strategy: { type: 'Recreate' } }));
    await eventually('v1 rolled out', () => rolledOut(cs, 'rec'));
    const pods = new Informer<Pod>(cs.pods, { namespace: 'default', labelSelector: 'app=rec' });
    let mixed = false;
    pods.on({ add: () => (mixed ||= images(pods.store.list()).length > 1) });
    await pods.start();
    try {
      await setImage(cs, 'rec', 'app:v2');
      await eventually('v2 rolled out', () => rolledOut(cs, 'rec'));
      assert.deepEqual(images(pods.store.list()), ['app:v2']);
    } finally {
      pods.stop();
    }
    assert.equal(mixed, false, 'v1 and v2 pods never coexist');
  });

  it('splits a scale-up mid-rollout proportionally', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('prop', 'app:v1', { replicas: 10, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } }));
    await eventually('v1 rolled out', () => rolledOut(cs, 'prop'));
    await setImage(cs, 'prop', 'app:broken');
    // Stuck: the new pods never become ready.
    const sizes = async (): Promise<string> => {
      const rss = await replicaSetsOf(cs, 'prop');
      const by = (img: string): number => rss.find((r) => r.spec?.template?.spec?.containers[0]?.image === img)?.spec?.replicas ?? -1;
      return `${by('app:v1')}/${by('app:broken')}`;
    };
    await eventually('stuck at 8 old / 5 new', async () => (await sizes()) === '8/5');
    await cs.deployments.scale('default', 'prop', 20);
    // 13 → 23 pods: old 8·23/13 ≈ 14, new 5·23/13 ≈ 9 (upstream's arithmetic).
    await eventually('14 old / 9 new', async () => (await sizes()) === '14/9');
    const rss = await replicaSetsOf(cs, 'prop');
    for (const rs of rss) assert.equal(rs.metadata?.annotations?.['deployment.kubernetes.io/desired-replicas'], '20');
  });

  it('a paused deployment neither rolls out nor ignores scaling; resuming rolls out', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('pause', 'app:v1'));
    await eventually('v1 rolled out', () => rolledOut(cs, 'pause'));
    await cs.deployments.patch('default', 'pause', { spec: { paused: true } });
    await setImage(cs, 'pause', 'app:v2');
    await cs.deployments.scale('default', 'pause', 5);
    const paused = await eventually('paused and scaled', async () => {
      const d = await cs.deployments.get('default', 'pause');
      const ok = d.status?.observedGeneration === d.metadata?.generation && d.status?.availableReplicas === 5;
      return ok ? d : undefined;
    });
    const cond = paused.status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([cond?.status, cond?.reason], ['Unknown', 'DeploymentPaused']);
    assert.equal((await replicaSetsOf(cs, 'pause')).length, 1, 'no new replica set while paused');

    await cs.deployments.patch('default', 'pause', { spec: { paused: false } });
    await eventually('v2 rolled out', () => rolledOut(cs, 'pause'));
    const pods = (await cs.pods.list('default', { labelSelector: 'app=pause' })).items;
    assert.deepEqual(images(pods), ['app:v2']);
    assert.equal(pods.length, 5);
  });

  it('adopts an orphaned replica set with its template instead of creating one', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('orphan', 'app:v1', { replicas: 2 }));
    const [rs] = await eventually('rolled out', async () => (await rolledOut(cs, 'orphan')) && (await replicaSetsOf(cs, 'orphan')));
    const name = rs?.metadata?.name ?? '';
    // What `kubectl delete deployment --cascade=orphan` leaves behind, then the deployment again.
    await cs.deployments.delete('default', 'orphan');
    await eventually('deployment gone', async () => !(await cs.deployments.list('default')).items.some((d) => d.metadata?.name === 'orphan'));
    await cs.replicaSets.patch('default', name, { metadata: { ownerReferences: null } });
    const again = await cs.deployments.create('default', deployment('orphan', 'app:v1', { replicas: 2 }));
    const adopted = await eventually('re-adopted', async () => {
      const r = await cs.replicaSets.get('default', name);
      return r.metadata?.ownerReferences?.[0]?.uid === again.metadata?.uid ? r : undefined;
    });
    assert.equal(adopted.metadata?.ownerReferences?.[0]?.controller, true);
    await eventually('rolled out', () => rolledOut(cs, 'orphan'));
    assert.deepEqual((await replicaSetsOf(cs, 'orphan')).map((r) => r.metadata?.name), [name]);
  });

  it('steps around a pod-template-hash collision with collisionCount', async () => {
    const cs = h.clientset;
    // Paused: the controller reads it but creates no replica set yet.
    const d = await cs.deployments.create('default', deployment('coll', 'app:v1', { replicas: 1, paused: true }));
    const hash = computeHash(d.spec?.template ?? {}, undefined);
    await cs.replicaSets.create('default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: `coll-${hash}` },
      spec: { replicas: 0, selector: { matchLabels: { app: 'squatter' } }, template: { metadata: { labels: { app: 'squatter' } }, spec: { containers: [{ name: 'c', image: 'other' }] } } },
    });
    await cs.deployments.patch('default', 'coll', { spec: { paused: false } });
    const done = await eventually('rolled out', () => rolledOut(cs, 'coll'));
    assert.equal(done.status?.collisionCount, 1);
    const [own] = await replicaSetsOf(cs, 'coll');
    assert.notEqual(own?.metadata?.name, `coll-${hash}`);
    assert.equal(own?.metadata?.name, `coll-${computeHash(d.spec?.template ?? {}, 1)}`);
  });

  it('keeps revisionHistoryLimit old replica sets', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('hist', 'app:v1', { replicas: 1, revisionHistoryLimit: 2 }));
    for (const v of ['v2', 'v3', 'v4', 'v5']) {
      await eventually('rolled out', () => rolledOut(cs, 'hist'));
      await setImage(cs, 'hist', `app:${v}`);
    }
    await eventually('v5 rolled out', () => rolledOut(cs, 'hist'));
    const revisions = await eventually('3 replica sets', async () => {
      const rss = await replicaSetsOf(cs, 'hist');
      return rss.length === 3 ? rss.map((r) => r.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort() : undefined;
    });
    assert.deepEqual(revisions, ['3', '4', '5']);
  });
});
