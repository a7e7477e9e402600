// The real kubectl prints server-side Tables: Kubernetes' column headers, -o wide, and get -w.
import assert from 'node:assert/strict';
import { useCluster, type Cluster, type RunResult, show } from './support.js';

const NS = 'e2e-tables';

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
  namespace: ${NS}
data:
  a: "1"
  b: "2"
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
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
      - name: nginx
        image: nginx:1.27
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

describe('kubectl get prints Kubernetes tables (e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await cluster.kubectl(args, stdin === undefined ? {} : { stdin });
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${show(r)}`);
    return r.stdout;
  };

  useCluster((c) => (cluster = c));

  before(async function () {
    await ok(['create', '-f', '-'], manifest);
  });

  it('get deploy,svc,cm,ns shows each kind with its own columns', async () => {
    const out = await ok(['get', 'deploy,svc,cm', '-n', NS]);
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m, out);
    assert.match(out, /^deployment\.apps\/web\s+\d\/2\s+\d\s+\d\s+\d+s$/m, out);
    assert.match(out, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m, out);
    assert.match(out, /^service\/web\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\d+s$/m, out);
    assert.match(out, /^NAME\s+DATA\s+AGE$/m, out);
    assert.match(out, /^configmap\/settings\s+2\s+\d+s$/m, out);
    const ns = await ok(['get', 'ns', NS]);
    assert.match(ns, /^NAME\s+STATUS\s+AGE$/m, ns);
    assert.match(ns, new RegExp(`^${NS}\\s+Active\\s+\\d+s$`, 'm'), ns);
  });

  it('-o wide adds the priority-1 columns', async () => {
    const deploy = await ok(['get', 'deploy', 'web', '-n', NS, '-o', 'wide']);
    assert.match(deploy, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m, deploy);
    assert.match(deploy, /^web\s+.*\snginx\s+nginx:1\.27\s+app=web$/m, deploy);
    const svc = await ok(['get', 'svc', 'web', '-n', NS, '-o', 'wide']);
    assert.match(svc, /\sSELECTOR$/m, svc);
    assert.match(svc, /\sapp=web$/m, svc);
    const narrow = await ok(['get', 'deploy', 'web', '-n', NS]);
    assert.doesNotMatch(narrow, /CONTAINERS/, narrow);
  });

  it('get cm -w prints rows as they change', async () => {
    const w = cluster.kubectlStream(['get', 'cm', '-n', NS, '-w']);
    try {
      await w.waitFor(/^NAME\s+DATA\s+AGE$/m);
      await w.waitFor(/^settings\s+2\s+\S+$/m);
      await ok(['create', '-f', '-'], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n  namespace: ${NS}\ndata:\n  k: v\n`);
      await w.waitFor(/^later\s+1\s+\S+$/m);
      assert.equal((w.stdout().match(/^NAME\s/gm) ?? []).length, 1, `headers printed once:\n${w.stdout()}`);
      assert.equal(w.stderr(), '', w.stderr());
    } finally {
      await w.stop();
    }
  });
});
