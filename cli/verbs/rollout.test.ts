import assert from 'node:assert/strict';
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { deploymentYaml } from './fixtures.testkit.js';
import { useCli } from './cli.testkit.js';

/** What the Deployment controller would have created for one revision. */
function replicaSet(d: Deployment, revision: number, image: string, changeCause?: string): ReplicaSet {
  const hash = `h${revision}`;
  const template = structuredClone(d.spec!.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
  template.spec!.containers[0]!.image = image;
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: {
      name: `web-${hash}`, namespace: 'default', labels: template.metadata.labels,
      annotations: { 'deployment.kubernetes.io/revision': String(revision), ...(changeCause ? { 'kubernetes.io/change-cause': changeCause } : {}) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: d.metadata!.uid!, controller: true, blockOwnerDeletion: true }],
    },
    spec: { replicas: 0, selector: { matchLabels: { ...d.spec!.selector.matchLabels, 'pod-template-hash': hash } }, template },
  } as ReplicaSet;
}

describe('skiff rollout', () => {
  const cli = useCli();

  it('history lists revisions; undo copies the previous template back; --to-revision picks one', async () => {
    assert.equal((await cli.skiff(['apply', '-f', cli.file('v1.yaml', deploymentYaml({ image: 'busybox:1.35' }))])).code, 0);
    const d = await cli.cs.deployments.get('default', 'web');
    await cli.cs.replicaSets.create('default', replicaSet(d, 1, 'busybox:1.35'));
    await cli.cs.replicaSets.create('default', replicaSet(d, 2, 'busybox:1.36', 'image 1.36'));
    assert.equal((await cli.skiff(['apply', '-f', cli.file('v2.yaml', deploymentYaml({ image: 'busybox:1.36' }))])).code, 0);

    let r = await cli.skiff(['rollout', 'history', 'deploy/web']);
    assert.equal(r.stdout, 'deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         image 1.36\n\n');
    r = await cli.skiff(['rollout', 'history', 'deployment', 'web', '--revision=1']);
    assert.match(r.stdout, /^deployment\.apps\/web with revision #1\nLabels: +app=web\n +pod-template-hash=h1\nContainers:\n  app:\n    Image: +busybox:1\.35\n/);

    r = await cli.skiff(['rollout', 'undo', 'deploy/web']);
    assert.equal(r.stdout, 'deployment.apps/web rolled back\n');
    const back = await cli.cs.deployments.get('default', 'web');
    assert.equal(back.spec?.template.spec?.containers[0]?.image, 'busybox:1.35');
    assert.deepEqual(back.spec?.template.metadata?.labels, { app: 'web' });

    r = await cli.skiff(['rollout', 'undo', 'deploy/web', '--to-revision=1']);
    assert.equal(r.stdout, 'deployment.apps/web skipped rollback (current template already matches revision 1)\n');
    r = await cli.skiff(['rollout', 'undo', 'deploy/web', '--to-revision=7']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: unable to find specified revision 7 in history\n');
  });

  it('status prints each step of the rollout and exits 0 when it is complete', async () => {
    assert.equal((await cli.skiff(['apply', '-f', cli.file('s.yaml', deploymentYaml({ name: 'st', replicas: 2 }))])).code, 0);
    const gen = (await cli.cs.deployments.get('default', 'st')).metadata?.generation;
    const once = await cli.skiff(['rollout', 'status', 'deploy/st', '--watch=false']);
    assert.equal(once.stdout, 'Waiting for deployment spec update to be observed...\n');
    assert.equal(once.code, 0);
    const timedOut = await cli.skiff(['rollout', 'status', 'deploy/st', '--timeout=1s']);
    assert.equal(timedOut.code, 1);
    assert.equal(timedOut.stderr, 'error: timed out waiting for the condition\n');

    const run = cli.spawn(['rollout', 'status', 'deployment/st']);
    const setStatus = (status: Record<string, number | undefined>): Promise<unknown> =>
      cli.cs.deployments.patchStatus('default', 'st', { status: { observedGeneration: gen, ...status } });
    await run.waitFor(/spec update to be observed/);
    await setStatus({ replicas: 2, updatedReplicas: 1, availableReplicas: 1 });
    await run.waitFor(/1 out of 2 new replicas have been updated/);
    await setStatus({ replicas: 3, updatedReplicas: 2, availableReplicas: 2 });
    await run.waitFor(/1 old replicas are pending termination/);
    await setStatus({ replicas: 2, updatedReplicas: 2, availableReplicas: 1 });
    await run.waitFor(/1 of 2 updated replicas are available/);
    await setStatus({ replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
    const out = await run.waitFor(/successfully rolled out/);
    assert.equal(out, [
      'Waiting for deployment spec update to be observed...',
      'Waiting for deployment "st" rollout to finish: 1 out of 2 new replicas have been updated...',
      'Waiting for deployment "st" rollout to finish: 1 old replicas are pending termination...',
      'Waiting for deployment "st" rollout to finish: 1 of 2 updated replicas are available...',
      'deployment "st" successfully rolled out',
      '',
    ].join('\n'));
    assert.equal(await run.exited(), 0);
  });

  it('pause, resume and restart', async () => {
    assert.equal((await cli.skiff(['apply', '-f', cli.file('p.yaml', deploymentYaml({ name: 'pr' }))])).code, 0);
    let r = await cli.skiff(['rollout', 'pause', 'deploy/pr']);
    assert.equal(r.stdout, 'deployment.apps/pr paused\n');
    assert.equal((await cli.cs.deployments.get('default', 'pr')).spec?.paused, true);
    r = await cli.skiff(['rollout', 'pause', 'deploy/pr']);
    assert.equal(r.stderr, 'error: deployments.apps "pr" is already paused\n');
    r = await cli.skiff(['rollout', 'undo', 'deploy/pr']);
    assert.match(r.stderr, /^error: you cannot rollback a paused deployment/);
    r = await cli.skiff(['rollout', 'resume', 'deploy/pr']);
    assert.equal(r.stdout, 'deployment.apps/pr resumed\n');
    r = await cli.skiff(['rollout', 'restart', 'deploy/pr']);
    assert.equal(r.stdout, 'deployment.apps/pr restarted\n');
    const d = await cli.cs.deployments.get('default', 'pr');
    assert.ok(d.spec?.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
    assert.equal(d.spec?.template.metadata?.labels?.app, 'pr', 'the rest of the template is kept');
  });
});
