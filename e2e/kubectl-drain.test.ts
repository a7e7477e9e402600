// `kubectl drain` on a real two-node cluster: it cordons the node, evicts through pods/eviction,
// is held back by a PodDisruptionBudget (429, retried), and finishes as replacements become ready
// on the other node; `kubectl uncordon` makes the node schedulable again.
import assert from 'node:assert/strict';
import { eventually, show, useCluster, type Cluster, kubectlOk } from './support.js';

const NS = 'drain';
const isRoot = process.getuid?.() === 0;

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: ${NS}
spec:
  replicas: 2
  selector:
    matchLabels: {app: guarded}
  template:
    metadata:
      labels: {app: guarded}
    spec:
      terminationGracePeriodSeconds: 1
      runtimeClassName: host # the host's binaries (no image registry in this test)
      containers:
      - {name: sleep, image: skiff.local/sleep:1, command: ["/bin/sleep", "3600"]}
`;

const budget = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: guard
  namespace: ${NS}
spec:
  minAvailable: 2
  selector:
    matchLabels: {app: guarded}
`;

interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { conditions?: Array<{ type: string; status: string }> };
}

describe('kubectl drain with a PodDisruptionBudget (e2e)', function () {
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // local nodes in their own network namespaces need root
  });
  useCluster((cluster) => (c = cluster), { nodes: 2 });

  const kubectl = kubectlOk(() => c, 200_000);
  const pods = async (): Promise<PodView[]> =>
    (JSON.parse(await kubectl('get', 'pods', '-n', NS, '-l', 'app=guarded', '-o', 'json')) as { items: PodView[] }).items.filter((p) => !p.metadata.deletionTimestamp);
  const ready = (p: PodView): boolean => p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
  const pdb = async (field: string): Promise<string> => kubectl('get', 'pdb', 'guard', '-n', NS, '-o', `jsonpath={.status.${field}}`);

  it('evicts only what the budget allows, waits, and drains as replacements become ready; uncordon undoes cordon', async function () {
    this.timeout(400_000);
    const [first, second] = (await kubectl('get', 'nodes', '-o', 'jsonpath={.items[*].metadata.name}')).split(' ').sort();
    assert.ok(first && second, 'two nodes');
    // Both replicas on the first node: keep the second cordoned while they are placed.
    assert.match(await kubectl('cordon', second), /cordoned/);
    assert.match(await kubectl('get', 'node', second), /SchedulingDisabled/);
    await c.kubectl(['apply', '-f', '-'], { stdin: manifest }).then((r) => assert.equal(r.code, 0, show(r)));
    await kubectl('rollout', 'status', 'deployment/app', '-n', NS, '--timeout=180s');
    assert.deepEqual((await pods()).map((p) => p.spec.nodeName), [first, first]);
    assert.match(await kubectl('uncordon', second), /uncordoned/);
    assert.doesNotMatch(await kubectl('get', 'node', second), /SchedulingDisabled/);

    await c.kubectl(['apply', '-f', '-'], { stdin: budget }).then((r) => assert.equal(r.code, 0, show(r)));
    await eventually('the budget to count 2 healthy pods', async () => (await pdb('currentHealthy')) === '2', 60_000);
    assert.equal(await pdb('disruptionsAllowed'), '0');

    const drain = c.kubectlStream(['drain', first, '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=240s']);
    try {
      await eventually('drain to be refused by the budget', async () => /Cannot evict pod as it would violate the pod's disruption budget/.test(drain.stderr()), 60_000);
      assert.match(await kubectl('get', 'node', first), /SchedulingDisabled/);
      assert.equal((await pods()).length, 2, 'nothing was evicted');

      // One more replica lands on the second node; once it is ready the budget allows one eviction at a time.
      await kubectl('scale', 'deployment/app', '-n', NS, '--replicas=3');
      await drain.waitFor(/node\/\S+ drained/, 300_000);
      const after = await pods();
      assert.equal(after.length, 3);
      assert.ok(after.every((p) => p.spec.nodeName === second), `all pods on ${second}: ${after.map((p) => p.spec.nodeName).join(', ')}`);
      assert.match(drain.stdout(), /evicted/);
    } finally {
      await drain.stop();
    }
    await eventually('all three ready again', async () => (await pods()).filter(ready).length === 3, 120_000);
    assert.match(await kubectl('uncordon', first), /uncordoned/);
    assert.doesNotMatch(await kubectl('get', 'node', first), /SchedulingDisabled/);
  });
});
