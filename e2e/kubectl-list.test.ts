// The real kubectl validates a `List` against /openapi/v2 (read as gnostic protobuf) before it
// creates or applies its items: what `kubectl get -o yaml` prints for several objects must go
// back in with default validation, and an item with a misspelt field must be refused as in Kubernetes.
import assert from 'node:assert/strict';
import { useCluster, type Cluster, show } from './support.js';

const NS = 'e2e-list';

const list = (ns: string, replicasKey = 'replicas') => `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata:
    name: settings
    namespace: ${ns}
  data:
    color: blue
- apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    namespace: ${ns}
  spec:
    ${replicasKey}: 0
    selector:
      matchLabels: {app: web}
    template:
      metadata:
        labels: {app: web}
      spec:
        containers:
        - name: web
          image: busybox:1.36
          ports:
          - containerPort: 8080
`;

describe('kubectl create/apply of a List against skiff up (e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  useCluster((c) => (cluster = c));
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await cluster.kubectl(args, stdin === undefined ? {} : { stdin });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${show(r)}`);
    return r.stdout;
  };

  before(async () => {
    // (`kubectl create namespace` posts protobuf; a manifest keeps this test to what it is about.)
    for (const name of [NS, `${NS}-copy`]) await ok(['apply', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`);
  });

  it('creates every item of a List with default validation', async () => {
    const out = await ok(['create', '-f', '-'], list(NS));
    assert.match(out, /configmap\/settings created/);
    assert.match(out, /deployment\.apps\/web created/);
    assert.equal(await ok(['get', 'cm', 'settings', '-n', NS, '-o', 'jsonpath={.data.color}']), 'blue');
  });

  it('applies back what `kubectl get -o yaml` printed for several objects, with a change', async () => {
    const printed = await ok(['get', 'cm/settings', 'deploy/web', '-n', NS, '-o', 'yaml']);
    assert.match(printed, /^kind: List$/m);
    const changed = printed.replace('color: blue', 'color: green');
    const out = await ok(['apply', '-f', '-'], changed);
    assert.match(out, /configmap\/settings configured/);
    assert.equal(await ok(['get', 'cm', 'settings', '-n', NS, '-o', 'jsonpath={.data.color}']), 'green');
    // The same printout, stripped of server-set fields, creates copies elsewhere.
    const copy = printed
      .split('\n')
      .filter((l) => !/^\s+(resourceVersion|uid|creationTimestamp|generation):/.test(l))
      .join('\n')
      .replaceAll(`namespace: ${NS}\n`, `namespace: ${NS}-copy\n`)
      .replace(/\n {2}status:\n(?: {4}.*\n)*/g, '\n');
    const created = await ok(['create', '-f', '-'], copy);
    assert.match(created, /deployment\.apps\/web created/);
  });

  it('refuses a List whose item has an unknown field, naming it, before anything is written', async () => {
    const r = await cluster.kubectl(['create', '-f', '-'], { stdin: list(`${NS}-bad`, 'replicaz') });
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stderr, /unknown field "replicaz"/);
    assert.match(r.stderr, /io\.k8s\.api\.apps\.v1\.DeploymentSpec/);
    const ns = await cluster.kubectl(['get', 'namespace', `${NS}-bad`]);
    assert.notEqual(ns.code, 0);
  });

  it('still explains fields (OpenAPI v3)', async () => {
    const out = await ok(['explain', 'deployment.spec.replicas']);
    assert.match(out, /FIELD:\s+replicas <integer>/);
  });
});
