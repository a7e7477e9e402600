import assert from 'node:assert/strict';
import type { Pod } from '../../api/index.js';
import { deploymentYaml, pod } from './fixtures.testkit.js';
import { useCli } from './cli.testkit.js';

describe('skiff get', () => {
  const cli = useCli(async (cli) => {
    await cli.cs.namespaces.create(undefined, { metadata: { name: 'team' } });
    await cli.cs.pods.create('default', pod('alpha', { app: 'a' }));
    await cli.cs.pods.create('default', pod('beta-long-name', { app: 'b' }));
    await cli.cs.pods.create('team', pod('gamma', { app: 'a' }, 'team'));
    assert.equal((await cli.skiff(['apply', '-f', cli.file('d.yaml', deploymentYaml())])).code, 0);
  });

  it('prints the server\'s table with aligned columns', async () => {
    const r = await cli.skiff(['get', 'pods']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAME {13}READY {3}STATUS {4}RESTARTS {3}AGE$/);
    assert.match(lines[1]!, /^alpha {12}0\/1 {5}Pending {3}0 {10}\d+s$/);
    assert.match(lines[2]!, /^beta-long-name {3}0\/1/);
    assert.equal(lines.length, 3);
  });

  it('-o wide adds the priority-1 columns; --show-labels adds LABELS; -A adds NAMESPACE', async () => {
    let r = await cli.skiff(['get', 'po', '-o', 'wide']);
    assert.match(r.stdout.split('\n')[0]!, /^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    r = await cli.skiff(['get', 'pod', 'alpha', '--show-labels']);
    assert.match(r.stdout, /LABELS\nalpha .* app=a\n$/);
    r = await cli.skiff(['get', 'pods', '-A', '-l', 'app=a']);
    const lines = r.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^NAMESPACE +NAME +READY/);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2).join('/')), ['default/alpha', 'team/gamma']);
  });

  it('-o yaml, json and name', async () => {
    let r = await cli.skiff(['get', 'deploy', 'web', '-o', 'yaml']);
    assert.match(r.stdout, /^apiVersion: apps\/v1\nkind: Deployment\n/);
    r = await cli.skiff(['get', 'pods', '-o', 'json', '-n', 'team']);
    const list = JSON.parse(r.stdout) as { kind: string; items: Pod[] };
    assert.equal(list.kind, 'List');
    assert.deepEqual(list.items.map((p) => `${p.kind}/${p.metadata?.name}`), ['Pod/gamma']);
    r = await cli.skiff(['get', 'deployments.apps,services', '-o', 'name']);
    assert.equal(r.stdout, 'deployment.apps/web\nservice/kubernetes\n', r.stderr);
  });

  it('several types print one table each, names prefixed by kind', async () => {
    const r = await cli.skiff(['get', 'deploy/web', 'pod/alpha']);
    assert.equal(r.code, 0, r.stderr);
    const [deploy, pods] = r.stdout.split('\n\n');
    assert.match(deploy!, /^NAME +READY +UP-TO-DATE +AVAILABLE +AGE\ndeployment\.apps\/web +0\/2 /);
    assert.match(pods!, /^NAME +READY +STATUS +RESTARTS +AGE\npod\/alpha /);
  });

  it('a missing object is one error line and exit 1; an empty list says so', async () => {
    let r = await cli.skiff(['get', 'deploy', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
    r = await cli.skiff(['get', 'pods', '-l', 'app=none']);
    assert.equal(r.code, 0);
    assert.equal(r.stderr, 'No resources found in default namespace.\n');
    r = await cli.skiff(['get', 'widgets']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: the server doesn\'t have a resource type "widgets"\n');
  });

  it('-w streams a row per change', async () => {
    const w = cli.spawn(['get', 'pods', '-w', '-n', 'team']);
    try {
      await w.waitFor(/^gamma /m);
      await cli.cs.pods.create('team', pod('delta', {}, 'team'));
      await w.waitFor(/^delta +0\/1 +Pending/m);
    } finally {
      await w.stop();
    }
  });
});
