// The small verbs of an operator's day against the control plane alone: `kubectl events`,
// `api-resources` / `api-versions` listing what is served, `get --raw /metrics`, and an eviction
// posted as kubectl would (`create --raw` of a policy/v1 Eviction).
import assert from 'node:assert/strict';
import { eventually, show, useCluster, type Cluster } from './support.js';

describe('kubectl events, api-resources, metrics and eviction against skiff up (e2e)', function () {
  this.timeout(120_000);
  let c: Cluster;
  useCluster((cluster) => (c = cluster));
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await c.kubectl(args, stdin === undefined ? {} : { stdin });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${show(r)}`);
    return r.stdout;
  };
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: default}\nspec:\n  containers: [{name: c, image: busybox}]\n`;

  it('kubectl events --for a pod shows why it is not scheduled', async () => {
    await ok(['apply', '-f', '-'], pod('lonely'));
    await eventually('a FailedScheduling event', async () => /Warning\s+FailedScheduling\s+Pod\/lonely\s+.*no nodes available/.test(await ok(['events', '-n', 'default', '--for', 'pod/lonely'])));
  });

  it('api-resources and api-versions list every served resource and group-version', async () => {
    const resources = await ok(['api-resources', '--no-headers']);
    for (const line of [/^pods\s+po\s+v1\s+true\s+Pod$/m, /^poddisruptionbudgets\s+pdb\s+policy\/v1\s+true\s+PodDisruptionBudget$/m, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m]) {
      assert.match(resources, line);
    }
    const versions = (await ok(['api-versions'])).trim().split('\n');
    for (const gv of ['v1', 'apps/v1', 'policy/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1', 'scheduling.k8s.io/v1']) assert.ok(versions.includes(gv), `${gv} missing: ${versions.join(', ')}`);
  });

  it('get --raw /metrics returns the apiserver Prometheus metrics', async () => {
    const text = await ok(['get', '--raw', '/metrics']);
    assert.match(text, /^apiserver_request_total\{verb="POST",resource="pods",code="201"\} [1-9]\d*$/m);
  });

  it('an Eviction posted with create --raw deletes a pod no budget protects', async () => {
    await ok(['apply', '-f', '-'], pod('evictee'));
    const eviction = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'evictee', namespace: 'default' } });
    const out = await ok(['create', '--raw', '/api/v1/namespaces/default/pods/evictee/eviction', '-f', '-'], eviction);
    assert.match(out, /"status":"Success"/);
    const r = await c.kubectl(['get', 'pod', 'evictee', '-n', 'default']);
    assert.match(r.stderr, /NotFound/);
  });
});
