import assert from 'node:assert/strict';
import { startTestApiServer } from '../../testing/apiserver.js';
import { writeKubeconfig } from '../../host/kubeconfig.js';
import { deploymentYaml } from './fixtures.testkit.js';
import { useCli } from './cli.testkit.js';

describe('skiff scale and version', () => {
  const cli = useCli(async (cli) => {
    assert.equal((await cli.skiff(['apply', '-f', cli.file('d.yaml', deploymentYaml({ replicas: 2 }))])).code, 0);
  });

  it('scale sets spec.replicas through the scale subresource', async () => {
    let r = await cli.skiff(['scale', 'deploy/web', '--replicas', '5']);
    assert.equal(r.stdout, 'deployment.apps/web scaled\n');
    assert.equal((await cli.cs.deployments.get('default', 'web')).spec?.replicas, 5);
    r = await cli.skiff(['scale', 'deployment', 'web', '--replicas=0', '--current-replicas=3']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: Expected replicas to be 3, was 5\n');
    r = await cli.skiff(['scale', 'deploy', 'nope', '--replicas=1']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): deployments.apps "nope" not found\n');
    r = await cli.skiff(['scale', 'svc/kubernetes', '--replicas=1']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: services "kubernetes" cannot be scaled/);
  });

  it('version prints the client and the server version', async () => {
    const r = await cli.skiff(['version']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Client Version: v\d+\.\d+\.\d+\nServer Version: v1\.32\.0-skiff\n$/);
    const json = JSON.parse((await cli.skiff(['version', '-o', 'json'])).stdout) as { serverVersion: { minor: string } };
    assert.equal(json.serverVersion.minor, '32');
  });

  it('speaks HTTPS with the kubeconfig\'s CA and bearer token', async () => {
    const secure = await startTestApiServer({ secure: true });
    try {
      const kc = `${cli.dir}/secure-kubeconfig`;
      writeKubeconfig(kc, { server: secure.url, caPem: secure.caPem!, token: secure.token! });
      let r = await cli.skiff(['get', 'ns', 'default', '-o', 'name', '--kubeconfig', kc]);
      assert.equal(r.stdout, 'namespace/default\n', r.stderr);
      writeKubeconfig(kc, { server: secure.url, caPem: secure.caPem!, token: 'wrong' });
      r = await cli.skiff(['get', 'ns', '--kubeconfig', kc]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^Error from server \(Unauthorized\): /);
    } finally {
      await secure.close();
    }
  });

  it('an unreachable server is one line and exit 1', async () => {
    const kc = cli.file('dead-kubeconfig', `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:9"}}]
users: [{name: u, user: {}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`);
    const r = await cli.skiff(['version', '--kubeconfig', kc]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Client Version: /);
    assert.match(r.stderr, /^error: the connection to the server was refused - is the cluster running\?.*\n$/);
  });
});
