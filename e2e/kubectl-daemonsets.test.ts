// A DaemonSet on a two-node cluster through the real kubectl: one pod per node, `rollout status`,
// a template change rolled out node by node, `rollout history` from ControllerRevisions, and
// `rollout undo` back to the first template.
import assert from 'node:assert/strict';
import { show, useCluster, type Cluster, kubectlOk } from './support.js';

const NS = 'e2e-ds';
const isRoot = process.getuid?.() === 0;

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: ${NS}
spec:
  selector:
    matchLabels: {app: agent}
  template:
    metadata:
      labels: {app: agent}
    spec:
      terminationGracePeriodSeconds: 1
      runtimeClassName: host # the host's binaries (no image registry in this test)
      containers:
      - name: agent
        image: skiff.local/sleep:1
        command: ["/bin/sleep", "3600"]
`;

interface PodView { spec: { nodeName?: string; containers: Array<{ env?: Array<{ name: string; value?: string }> }> }; metadata: { deletionTimestamp?: string } }

describe('DaemonSets with kubectl (e2e)', function () {
  this.timeout(300_000);
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // local nodes in their own network namespaces need root
  });
  useCluster((cluster) => (c = cluster), { nodes: 2 });

  const kubectl = kubectlOk(() => c, 200_000);
  const pods = async (): Promise<PodView[]> =>
    (JSON.parse(await kubectl('get', 'pods', '-n', NS, '-l', 'app=agent', '-o', 'json')) as { items: PodView[] }).items.filter((p) => !p.metadata.deletionTimestamp);
  const version = (p: PodView): string => p.spec.containers[0]?.env?.find((e) => e.name === 'VERSION')?.value ?? 'none';

  it('covers both nodes and rollout status reports it rolled out', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: manifest });
    assert.equal(r.code, 0, show(r));
    const status = await kubectl('rollout', 'status', '-n', NS, 'daemonset/agent', '--timeout=150s');
    assert.match(status, /daemon set "agent" successfully rolled out/);
    const nodes = (await pods()).map((p) => p.spec.nodeName).sort();
    assert.equal(nodes.length, 2);
    assert.notEqual(nodes[0], nodes[1]);
    const table = await kubectl('get', 'ds', '-n', NS);
    assert.match(table, /^NAME\s+DESIRED\s+CURRENT\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+NODE SELECTOR\s+AGE\s*$/m);
    assert.match(table, /^agent\s+2\s+2\s+2\s+2\s+2\s+<none>\s+\S+\s*$/m);
  });

  it('rolls a template change out, records history, and rollout undo goes back', async () => {
    await kubectl('patch', '-n', NS, 'ds/agent', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"agent","env":[{"name":"VERSION","value":"2"}]}]}}}}');
    assert.match(await kubectl('rollout', 'status', '-n', NS, 'daemonset/agent', '--timeout=150s'), /successfully rolled out/);
    assert.deepEqual((await pods()).map(version), ['2', '2']);
    const history = await kubectl('rollout', 'history', '-n', NS, 'daemonset/agent');
    assert.match(history, /^REVISION\s+CHANGE-CAUSE\s*\n1\s+<none>\s*\n2\s+<none>\s*$/m);

    const undo = await kubectl('rollout', 'undo', '-n', NS, 'daemonset/agent');
    assert.match(undo, /daemonset.apps\/agent rolled back/);
    assert.match(await kubectl('rollout', 'status', '-n', NS, 'daemonset/agent', '--timeout=150s'), /successfully rolled out/);
    assert.deepEqual((await pods()).map(version), ['none', 'none']);
    assert.match(await kubectl('rollout', 'history', '-n', NS, 'daemonset/agent'), /^2\s+<none>\s*\n3\s+<none>\s*$/m);
    assert.match(await kubectl('get', 'controllerrevisions', '-n', NS), /^agent-\S+\s+daemonset.apps\/agent\s+3\s+\S+\s*$/m);
  });
});
