// A StatefulSet behind a headless Service on a one-node cluster, through the real kubectl: pods
// web-0..2, `rollout status`, and the cluster DNS answering web-1.web.<ns>.svc.cluster.local
// with web-1's address.
import assert from 'node:assert/strict';
import { Resolver } from 'node:dns/promises';
import { eventually, show, useCluster, type Cluster, kubectlOk } from './support.js';

const NS = 'e2e-sts';
const isRoot = process.getuid?.() === 0;

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  clusterIP: None
  selector: {app: web}
  ports:
  - {port: 80}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
  namespace: ${NS}
spec:
  serviceName: web
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      terminationGracePeriodSeconds: 1
      runtimeClassName: host # the host's binaries (no image registry in this test)
      containers:
      - name: web
        image: skiff.local/sleep:1
        command: ["/bin/sleep", "3600"]
`;

describe('StatefulSets with kubectl (e2e)', function () {
  this.timeout(300_000);
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // local nodes in their own network namespaces need root
  });
  useCluster((cluster) => (c = cluster), { nodes: 1 });

  const kubectl = kubectlOk(() => c, 200_000);

  it('runs web-0, web-1, web-2 with stable hostnames; the cluster DNS answers web-1.web', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: manifest });
    assert.equal(r.code, 0, show(r));
    assert.match(await kubectl('rollout', 'status', '-n', NS, 'statefulset/web', '--timeout=150s'), /partitioned roll out complete: 3 new pods have been updated/);
    assert.match(await kubectl('get', 'sts', '-n', NS), /^web\s+3\/3\s+\S+\s*$/m);
    const pods = await kubectl('get', 'pods', '-n', NS, '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.hostname}.{.spec.subdomain}@{.status.podIP}{"\\n"}{end}');
    const rows = pods.trim().split('\n').sort();
    assert.deepEqual(rows.map((x) => x.split('@')[0]), ['web-0=web-0.web', 'web-1=web-1.web', 'web-2=web-2.web']);
    const ip = rows[1]?.split('@')[1] ?? '';
    assert.ok(ip, pods);

    const dnsAddr = /^\s+dns\s+(\S+)\s+pid \d+/m.exec(c.output())?.[1] ?? '';
    const [host, port] = dnsAddr.split(':');
    assert.ok(host, `no dns address in:\n${c.output()}`);
    const resolver = new Resolver({ timeout: 2000, tries: 1 });
    resolver.setServers([`${host}:${port ?? 53}`]);
    let answer: string[] = [];
    await eventually('web-1.web resolves to web-1', async () => {
      answer = await resolver.resolve4(`web-1.web.${NS}.svc.cluster.local`).catch(() => []);
      return answer.includes(ip);
    }, 60_000);
    assert.deepEqual(answer, [ip]);
  });
});
