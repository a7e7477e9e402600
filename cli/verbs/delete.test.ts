import assert from 'node:assert/strict';
import { deploymentYaml, pod, serviceYaml } from './fixtures.testkit.js';
import { useCli } from './cli.testkit.js';

describe('skiff delete', () => {
  const cli = useCli();

  it('deletes by name and by label selector, printing kubectl\'s lines', async () => {
    for (const [name, app] of [['p1', 'x'], ['p2', 'x'], ['p3', 'y']] as const) await cli.cs.pods.create('default', pod(name, { app }));
    let r = await cli.skiff(['delete', 'pod', 'p1', '--grace-period=0']);
    assert.equal(r.stdout, 'pod "p1" deleted\n');
    assert.equal(r.code, 0, r.stderr);
    r = await cli.skiff(['delete', 'pods', '-l', 'app=x']);
    assert.equal(r.stdout, 'pod "p2" deleted\n');
    const left = await cli.cs.pods.list('default');
    assert.deepEqual(left.items.map((p) => p.metadata?.name), ['p3']);
  });

  it('deletes what a manifest lists', async () => {
    const f = cli.file('app.yaml', `${deploymentYaml({ name: 'm' })}---\n${serviceYaml('m')}`);
    assert.equal((await cli.skiff(['apply', '-f', f])).code, 0);
    const r = await cli.skiff(['delete', '-f', f]);
    assert.equal(r.stdout, 'deployment.apps "m" deleted\nservice "m" deleted\n');
    await assert.rejects(cli.cs.services.get('default', 'm'), /not found/);
  });

  it('--cascade=foreground waits until the garbage collector has finished; orphan is passed on', async () => {
    for (const name of ['fg', 'or']) assert.equal((await cli.skiff(['apply', '-f', cli.file(`${name}.yaml`, deploymentYaml({ name }))])).code, 0);
    const del = cli.spawn(['delete', 'deploy/fg', '--cascade=foreground']);
    await del.waitFor(/deployment\.apps "fg" deleted/);
    const pending = await cli.cs.deployments.get('default', 'fg');
    assert.deepEqual(pending.metadata?.finalizers, ['foregroundDeletion']);
    assert.ok(pending.metadata?.deletionTimestamp);
    assert.equal(del.child.exitCode, null, 'still waiting while the finalizer is there');
    // Play the garbage collector: dependents gone, finalizer removed.
    await cli.cs.deployments.patch('default', 'fg', { metadata: { finalizers: null } });
    assert.equal(await del.exited(), 0);

    const r = await cli.skiff(['delete', 'deployment', 'or', '--cascade=orphan', '--wait=false']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((await cli.cs.deployments.get('default', 'or')).metadata?.finalizers, ['orphan']);
  });

  it('a missing object is one error line and exit 1 (unless --ignore-not-found)', async () => {
    let r = await cli.skiff(['delete', 'svc', 'ghost']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): services "ghost" not found\n');
    r = await cli.skiff(['delete', 'svc', 'ghost', '--ignore-not-found']);
    assert.equal(r.code, 0);
    r = await cli.skiff(['delete', 'pods']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: resource\(s\) were provided, but no name was specified/);
  });
});
