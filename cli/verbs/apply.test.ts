import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { deploymentYaml, serviceYaml } from './fixtures.testkit.js';
import { lastAppliedAnnotation } from './merge.js';
import { useCli } from './cli.testkit.js';

describe('skiff apply', () => {
  const cli = useCli();

  it('creates, then reports unchanged, then configures and removes dropped fields', async () => {
    const first = cli.file('app.yaml', `${deploymentYaml({ env: { MODE: 'a', DEBUG: '1' }, labels: { team: 'x' } })}---\n${serviceYaml()}`);
    let r = await cli.skiff(['apply', '-f', first]);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, 'deployment.apps/web created\nservice/web created\n');
    assert.equal(r.code, 0);
    const created = await cli.cs.deployments.get('default', 'web');
    assert.ok(created.metadata?.annotations?.[lastAppliedAnnotation]?.includes('"replicas":2'));

    r = await cli.skiff(['apply', '-f', first]);
    assert.equal(r.stdout, 'deployment.apps/web unchanged\nservice/web unchanged\n');

    const second = cli.file('app2.yaml', deploymentYaml({ replicas: 3, env: { MODE: 'b' } }));
    r = await cli.skiff(['apply', '-f', second]);
    assert.equal(r.stdout, 'deployment.apps/web configured\n');
    const d = await cli.cs.deployments.get('default', 'web');
    assert.equal(d.spec?.replicas, 3);
    assert.deepEqual(d.spec?.template.spec?.containers[0]?.env, [{ name: 'MODE', value: 'b' }]);
    assert.equal(d.metadata?.labels?.team, undefined, 'label dropped from the config is removed');
    assert.equal(d.metadata?.labels?.app, 'web');
  });

  it('re-applying a config the server normalised (quantities, int-or-string ports, NodePort) is unchanged', async () => {
    const text = deploymentYaml({ name: 'norm' }).replace('        image: busybox:1.36\n',
      '        image: busybox:1.36\n        resources:\n          requests: {cpu: 0.5, memory: 64Mi}\n          limits: {cpu: 1}\n        ports:\n        - containerPort: 8080\n')
      + `---\n${serviceYaml('norm').replace('spec:\n', 'spec:\n  type: NodePort\n')}`;
    const f = cli.file('norm.yaml', text);
    assert.equal((await cli.skiff(['apply', '-f', f])).stdout, 'deployment.apps/norm created\nservice/norm created\n');
    const r = await cli.skiff(['apply', '-f', f]);
    assert.equal(r.stdout, 'deployment.apps/norm unchanged\nservice/norm unchanged\n', r.stderr);
  });

  it('keeps fields another writer set that the config never mentioned', async () => {
    const f = cli.file('keep.yaml', deploymentYaml({ name: 'keep' }));
    assert.equal((await cli.skiff(['apply', '-f', f])).code, 0);
    await cli.cs.deployments.patch('default', 'keep', { metadata: { annotations: { owner: 'ops' } } });
    const r = await cli.skiff(['apply', '-f', f]);
    assert.equal(r.stdout, 'deployment.apps/keep unchanged\n');
    assert.equal((await cli.cs.deployments.get('default', 'keep')).metadata?.annotations?.owner, 'ops');
  });

  it('reads stdin, directories recursively, and honours -n and --dry-run=server', async () => {
    await cli.cs.namespaces.create(undefined, { metadata: { name: 'other' } });
    const dir = join(cli.dir, 'tree');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    cli.file('tree/a.yaml', serviceYaml('svc-a'));
    cli.file('tree/sub/b.yml', serviceYaml('svc-b'));
    cli.file('tree/notes.txt', 'not a manifest');
    let r = await cli.skiff(['apply', '-f', dir]);
    assert.equal(r.stdout, 'service/svc-a created\n', 'without -R only the top level');
    r = await cli.skiff(['apply', '-R', '-f', dir]);
    assert.equal(r.stdout, 'service/svc-a unchanged\nservice/svc-b created\n');

    r = await cli.skiff(['apply', '-n', 'other', '-f', '-'], { stdin: serviceYaml('piped') });
    assert.equal(r.stdout, 'service/piped created\n');
    assert.equal((await cli.cs.services.get('other', 'piped')).metadata?.namespace, 'other');

    r = await cli.skiff(['apply', '--dry-run=server', '-f', '-'], { stdin: serviceYaml('dry') });
    assert.equal(r.stdout, 'service/dry created (server dry run)\n');
    await assert.rejects(cli.cs.services.get('default', 'dry'), /not found/);
  });

  it('prints the server\'s 422 naming the field, and exits 1', async () => {
    const bad = cli.file('bad.yaml', deploymentYaml({ name: 'bad', replicas: -1 }));
    const r = await cli.skiff(['apply', '-f', bad]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^Error from server \(Invalid\): error when creating ".*bad\.yaml": .*spec\.replicas.*\n$/);
    assert.equal(r.stdout, '');
  });

  it('rejects a manifest without kind in one line', async () => {
    const r = await cli.skiff(['apply', '-f', '-'], { stdin: 'metadata:\n  name: x\n' });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: STDIN: apiVersion and kind must be set\n');
  });
});
