// The real kubectl's `apply --server-side` against skiff up: create, re-apply with a change,
// a conflict with another field manager, and taking the field over with --force-conflicts.
import assert from 'node:assert/strict';
import { useCluster, type Cluster, show } from './support.js';

const NS = 'e2e-ssa';

function manifest(replicas: number, image: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: ${NS}
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: api
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - name: api
        image: ${image}
`;
}

interface Deploy {
  metadata: { generation: number; managedFields: Array<{ manager: string; operation: string }> };
  spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
}

describe('kubectl apply --server-side against skiff up (e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  useCluster((c) => (cluster = c));
  const deploy = async (): Promise<Deploy> => {
    const r = await cluster.kubectl(['get', 'deploy', 'api', '-n', NS, '-o', 'json', '--show-managed-fields']);
    assert.equal(r.code, 0, show(r));
    return JSON.parse(r.stdout) as Deploy;
  };

  it('creates the objects and records kubectl as their Apply manager', async () => {
    const r = await cluster.kubectl(['apply', '--server-side', '-f', '-'], { stdin: manifest(2, 'nginx:1.27') });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /namespace\/e2e-ssa serverside-applied/);
    assert.match(r.stdout, /deployment.apps\/api serverside-applied/);
    const d = await deploy();
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.metadata.managedFields.map((e) => `${e.manager}/${e.operation}`), ['kubectl/Apply']);
  });

  it('re-applies a change', async () => {
    const r = await cluster.kubectl(['apply', '--server-side', '-f', '-'], { stdin: manifest(2, 'nginx:1.28') });
    assert.equal(r.code, 0, show(r));
    const d = await deploy();
    assert.equal(d.spec.template.spec.containers[0]?.image, 'nginx:1.28');
    assert.equal(d.metadata.generation, 2);
  });

  it('reports a conflict with another manager, and takes the field over with --force-conflicts', async () => {
    const other = ['apply', '--server-side', '--field-manager', 'autoscaler', '-f', '-'];
    const conflict = await cluster.kubectl(other, { stdin: manifest(5, 'nginx:1.28') });
    assert.notEqual(conflict.code, 0, show(conflict));
    assert.match(conflict.stderr, /conflict with "kubectl"/);
    assert.match(conflict.stderr, /\.spec\.replicas/);
    assert.equal((await deploy()).spec.replicas, 2, 'nothing changed');

    const forced = await cluster.kubectl([...other, '--force-conflicts'], { stdin: manifest(5, 'nginx:1.28') });
    assert.equal(forced.code, 0, show(forced));
    const d = await deploy();
    assert.equal(d.spec.replicas, 5);
    assert.deepEqual(d.metadata.managedFields.map((e) => e.manager).sort(), ['autoscaler', 'kubectl']);
  });
});
