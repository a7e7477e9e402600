// The real kubectl's rollout verbs against the controllers, and automatic rollback.
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { localKubectl, type KubectlResult as Result, type LocalKubectl } from '../../testing/kubectl.js';
import { eventually, runControllers, type Harness } from '../replicaset/harness.testkit.js';
import { replicaSetController } from '../replicaset/index.js';
import { deploymentController } from './index.js';
import { brokenImage, deployment, replicaSetsOf, rolledOut, setImage } from './support.testkit.js';

describe('deployment rollouts with the real kubectl', function () {
  this.timeout(90_000);
  let api: TestApiServer;
  let h: Harness;
  let k: LocalKubectl;
  const kubectl = (...args: string[]): Promise<Result> => k.run(...args);
  const show = (r: Result): string => `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;

  before(async () => {
    api = await startTestApiServer();
    h = await runControllers(api.url, [replicaSetController, deploymentController], { ready: brokenImage });
    k = localKubectl(api.url, 'skiff-rollout-');
  });
  after(async () => {
    await h?.stop();
    await api?.close();
    k?.close();
  });

  it('rollout status, history, undo and undo --to-revision', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('web', 'app:v1', { replicas: 4 }, { 'kubernetes.io/change-cause': 'first' }));
    let r = await kubectl('rollout', 'status', 'deployment/web', '--timeout=40s');
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /deployment "web" successfully rolled out/);

    await setImage(cs, 'web', 'app:v2', { 'kubernetes.io/change-cause': 'second' });
    r = await kubectl('rollout', 'status', 'deployment/web', '--timeout=40s');
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /successfully rolled out/);

    r = await kubectl('rollout', 'history', 'deployment/web');
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /REVISION\s+CHANGE-CAUSE/);
    assert.match(r.stdout, /^1\s+first$/m);
    assert.match(r.stdout, /^2\s+second$/m);

    r = await kubectl('rollout', 'history', 'deployment/web', '--revision=1');
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /Image:\s+app:v1/);

    r = await kubectl('rollout', 'undo', 'deployment/web');
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /deployment.apps\/web rolled back/);
    r = await kubectl('rollout', 'status', 'deployment/web', '--timeout=40s');
    assert.equal(r.code, 0, show(r));
    let d = await cs.deployments.get('default', 'web');
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'app:v1');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3', 'the reused replica set gets max+1');
    assert.equal((await replicaSetsOf(cs, 'web')).length, 2, 'the old replica set was reused');

    r = await kubectl('rollout', 'history', 'deployment/web');
    assert.match(r.stdout, /^2\s+second$/m);
    assert.match(r.stdout, /^3\s+first$/m);
    assert.doesNotMatch(r.stdout, /^1\s/m);

    r = await kubectl('rollout', 'undo', 'deployment/web', '--to-revision=2');
    assert.equal(r.code, 0, show(r));
    r = await kubectl('rollout', 'status', 'deployment/web', '--timeout=40s');
    assert.equal(r.code, 0, show(r));
    d = await cs.deployments.get('default', 'web');
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'app:v2');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '4');
    const pods = (await cs.pods.list('default', { labelSelector: 'app=web' })).items;
    assert.deepEqual([...new Set(pods.map((p) => p.spec?.containers[0]?.image))], ['app:v2']);
  });

  it('rollout status fails once the progress deadline passes', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('stuck', 'app:v1', { replicas: 2, progressDeadlineSeconds: 2 }));
    await eventually('v1 rolled out', () => rolledOut(cs, 'stuck'));
    await setImage(cs, 'stuck', 'app:broken');
    const r = await kubectl('rollout', 'status', 'deployment/stuck', '--timeout=40s');
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /deployment "stuck" exceeded its progress deadline/);
    const cond = (await cs.deployments.get('default', 'stuck')).status?.conditions?.find((c) => c.type === 'Progressing');
    assert.deepEqual([cond?.status, cond?.reason], ['False', 'ProgressDeadlineExceeded']);
  });

  it('rolls back automatically to the last fully available revision', async () => {
    const cs = h.clientset;
    await cs.deployments.create('default', deployment('auto', 'app:v1', { replicas: 3, progressDeadlineSeconds: 2 }, { 'skiff.io/auto-rollback': 'true' }));
    await eventually('v1 rolled out', () => rolledOut(cs, 'auto'));
    await setImage(cs, 'auto', 'app:broken');
    const ev = await eventually('the AutoRollback event', async () =>
      (await cs.events.list('default')).items.find((e) => e.involvedObject?.name === 'auto' && e.reason === 'AutoRollback'), 30_000);
    assert.equal(ev.type, 'Warning');
    assert.match(ev.message ?? '', /Rollout of revision 2 \(replica set auto-\w+\) exceeded its progress deadline of 2s; rolled back to revision 1/);
    const d = await eventually('rolled back and rolled out', () => rolledOut(cs, 'auto'), 30_000);
    assert.equal(d.spec?.template.spec?.containers[0]?.image, 'app:v1');
    assert.equal(d.metadata?.annotations?.['deployment.kubernetes.io/revision'], '3');
    const r = await kubectl('rollout', 'status', 'deployment/auto', '--timeout=20s');
    assert.equal(r.code, 0, show(r));
    const broken = (await replicaSetsOf(cs, 'auto')).find((rs) => rs.spec?.template?.spec?.containers[0]?.image === 'app:broken');
    await eventually('the broken replica set scaled to 0', async () => (await cs.replicaSets.get('default', broken?.metadata?.name ?? '')).spec?.replicas === 0);
  });
});
