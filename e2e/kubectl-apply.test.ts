// The real, unmodified kubectl: client-side apply (three-way strategic merge patches), patch of
// each type, scale and diff against `skiff up`. One cluster for the file; tests run in order.
import assert from 'node:assert/strict';
import { useCluster, type Cluster, type RunResult, show } from './support.js';

const NS = 'e2e-apply';

function manifest(opts: { image: string; env: Record<string, string> }): string {
  const env = Object.entries(opts.env).map(([k, v]) => `        - name: ${k}\n          value: "${v}"`).join('\n');
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: ${opts.image}
        env:
${env}
      - name: side
        image: busybox:1.36
`;
}

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
}
interface Deploy {
  metadata: { annotations?: Record<string, string>; generation?: number; resourceVersion?: string };
  spec: { replicas: number; template: { metadata: { labels?: Record<string, string> }; spec: { containers: Container[] } } };
}

describe('kubectl apply, patch, scale and diff against skiff up (e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await cluster.kubectl(args, stdin === undefined ? {} : { stdin });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${show(r)}`);
    return r.stdout;
  };
  const deploy = async (): Promise<Deploy> => JSON.parse(await ok(['get', 'deploy', 'web', '-n', NS, '-o', 'json'])) as Deploy;
  const container = (d: Deploy, name: string): Container | undefined => d.spec.template.spec.containers.find((c) => c.name === name);

  useCluster((c) => (cluster = c));

  it('apply -f creates the objects with the last-applied annotation', async () => {
    const out = await ok(['apply', '-f', '-'], manifest({ image: 'nginx:1.27', env: { A: '1', B: '2' } }));
    assert.deepEqual(out.trim().split('\n'), [`namespace/${NS} created`, 'deployment.apps/web created']);
    const d = await deploy();
    const last = JSON.parse(d.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}') as Deploy;
    assert.equal(last.spec.template.spec.containers[0]?.image, 'nginx:1.27');
  });

  it('re-apply with a changed image is "configured" and keeps fields set by another writer', async () => {
    await ok(['annotate', 'deploy', 'web', '-n', NS, 'team=blue']);
    const before = await deploy();
    const out = await ok(['apply', '-f', '-'], manifest({ image: 'nginx:1.28', env: { A: '1', B: '2' } }));
    assert.match(out, /deployment\.apps\/web configured/);
    assert.match(out, new RegExp(`namespace/${NS} unchanged`));
    const d = await deploy();
    assert.equal(container(d, 'web')?.image, 'nginx:1.28');
    assert.equal(container(d, 'side')?.image, 'busybox:1.36');
    assert.equal(d.metadata.annotations?.team, 'blue');
    assert.equal(d.metadata.generation, (before.metadata.generation ?? 1) + 1);
  });

  it('re-apply of the same manifest is "unchanged"', async () => {
    const out = await ok(['apply', '-f', '-'], manifest({ image: 'nginx:1.28', env: { A: '1', B: '2' } }));
    assert.deepEqual(out.trim().split('\n'), [`namespace/${NS} unchanged`, 'deployment.apps/web unchanged']);
  });

  it('removing an env var from the manifest removes it on re-apply', async () => {
    const out = await ok(['apply', '-f', '-'], manifest({ image: 'nginx:1.28', env: { A: '1' } }));
    assert.match(out, /deployment\.apps\/web configured/);
    const d = await deploy();
    assert.deepEqual(container(d, 'web')?.env, [{ name: 'A', value: '1' }]);
    assert.equal(d.metadata.annotations?.team, 'blue');
  });

  it('diff -f shows a pending change (exit 1) and nothing for the live state (exit 0)', async () => {
    const changed = await cluster.kubectl(['diff', '-f', '-'], { stdin: manifest({ image: 'nginx:1.29', env: { A: '1' } }) });
    assert.equal(changed.code, 1, show(changed));
    assert.match(changed.stdout, /-\s+image: nginx:1\.28/);
    assert.match(changed.stdout, /\+\s+image: nginx:1\.29/);
    const same = await cluster.kubectl(['diff', '-f', '-'], { stdin: manifest({ image: 'nginx:1.28', env: { A: '1' } }) });
    assert.equal(same.code, 0, show(same));
    assert.equal(container(await deploy(), 'web')?.image, 'nginx:1.28', 'diff must not change anything');
  });

  it('patch (strategic by default) of one container keeps the others', async () => {
    const p = '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"x:2"}]}}}}';
    assert.match(await ok(['patch', 'deploy', 'web', '-n', NS, '-p', p]), /deployment\.apps\/web patched/);
    const d = await deploy();
    assert.equal(container(d, 'web')?.image, 'x:2');
    assert.equal(container(d, 'side')?.image, 'busybox:1.36');
    assert.deepEqual(container(d, 'web')?.env, [{ name: 'A', value: '1' }]);
  });

  it('patch --type=json and --type=merge', async () => {
    await ok(['patch', 'deploy', 'web', '-n', NS, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]']);
    assert.equal((await deploy()).spec.replicas, 3);
    await ok(['patch', 'deploy', 'web', '-n', NS, '--type=merge', '-p', '{"spec":{"template":{"metadata":{"labels":{"tier":"front"}}}}}']);
    const d = await deploy();
    assert.deepEqual(d.spec.template.metadata.labels, { app: 'web', tier: 'front' });
    assert.equal(d.spec.template.spec.containers.length, 2);
    const bad = await cluster.kubectl(['patch', 'deploy', 'web', '-n', NS, '--type=json', '-p', '[{"op":"remove","path":"/spec/nope"}]']);
    assert.notEqual(bad.code, 0, show(bad));
    assert.match(bad.stderr, /Invalid|does not exist/, show(bad));
  });

  it('scale sets spec.replicas through the scale subresource', async () => {
    assert.match(await ok(['scale', 'deploy', 'web', '-n', NS, '--replicas=5']), /deployment\.apps\/web scaled/);
    assert.equal(await ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}']), '5');
    const scale = JSON.parse(await ok(['get', '--raw', `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`])) as { kind: string; apiVersion: string; metadata: Record<string, unknown>; spec: { replicas: number }; status: { selector: string } };
    assert.equal(scale.kind, 'Scale');
    assert.equal(scale.apiVersion, 'autoscaling/v1');
    assert.equal(scale.metadata.name, 'web');
    assert.equal(scale.spec.replicas, 5);
    assert.equal(scale.status.selector, 'app=web');
    // PUT of a Scale: applies only spec.replicas; a stale resourceVersion is a 409.
    const url = `/apis/apps/v1/namespaces/${NS}/deployments/web/scale`;
    const put = (replicas: number, rv: string): Promise<RunResult> => cluster.kubectl(['replace', '--raw', url, '-f', '-'], {
      stdin: JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: NS, resourceVersion: rv }, spec: { replicas } }),
    });
    // The deployment controller writes the deployment's status concurrently, so a read-then-PUT
    // can meet a 409 — the optimistic concurrency a client retries with a fresh read.
    let putOk = await put(4, scale.metadata.resourceVersion as string);
    for (let i = 0; i < 10 && putOk.code !== 0 && /Conflict/.test(putOk.stderr); i++) {
      const fresh = JSON.parse(await ok(['get', '--raw', url])) as { metadata: { resourceVersion: string } };
      putOk = await put(4, fresh.metadata.resourceVersion);
    }
    assert.equal(putOk.code, 0, show(putOk));
    assert.equal((JSON.parse(putOk.stdout) as { spec: { replicas: number } }).spec.replicas, 4);
    // The version read before that write is stale for certain now.
    const stale = await put(1, scale.metadata.resourceVersion as string);
    assert.notEqual(stale.code, 0, show(stale));
    assert.match(stale.stderr, /Conflict|modified/, show(stale));
    await ok(['scale', 'deploy', 'web', '-n', NS, '--replicas=5']);
    const neg = await cluster.kubectl(['patch', 'deploy', 'web', '-n', NS, '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":-1}}']);
    assert.notEqual(neg.code, 0, show(neg));
    assert.match(neg.stderr, /spec\.replicas/, show(neg));
    assert.equal(await ok(['get', 'deploy', 'web', '-n', NS, '-o', 'jsonpath={.spec.replicas}']), '5');
  });
});
