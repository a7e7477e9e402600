// Several hollow kubelets in one process (what `skiff hollow-nodes` runs): all register and
// renew their leases, and each runs the pods bound to it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clientset, createLogger } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { startHollowNodes, type HollowNodes } from './hollow.js';
import { pod, waitFor } from './support.testkit.js';

describe('hollow nodes', function () {
  this.timeout(30_000);
  let api: TestApiServer;
  let cs: Clientset;
  let nodes: HollowNodes;
  let root: string;
  before(async () => {
    api = await startTestApiServer();
    cs = new Clientset({ server: api.url });
    root = mkdtempSync(join(tmpdir(), 'skiff-hollow-test-'));
    const log = createLogger('hollow-test');
    log.level = 'error';
    nodes = await startHollowNodes({ config: { server: api.url }, count: 5, prefix: 'hollow-', rootDir: root, log, overrides: { leaseIntervalMs: 300, statusIntervalMs: 300, statusReportIntervalMs: 60_000, relistMs: 50 } });
  });
  after(async () => {
    await nodes.stop();
    cs.close();
    await api.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('registers every node Ready with a lease, advertising no kubelet port', async () => {
    const list = await cs.nodes.list();
    assert.deepEqual(list.items.map((n) => n.metadata?.name).sort(), ['hollow-0', 'hollow-1', 'hollow-2', 'hollow-3', 'hollow-4']);
    for (const n of list.items) {
      assert.equal(n.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'True');
      assert.equal(n.metadata?.labels?.['skiff.io/hollow'], 'true');
      assert.equal(n.status?.daemonEndpoints?.kubeletEndpoint?.Port, 0);
    }
    const leases = await cs.leases.list('kube-node-lease');
    assert.equal(leases.items.length, 5);
  });

  it('runs pods on the node they are bound to, with pod IPs from that node', async () => {
    await cs.nodes.patch(undefined, 'hollow-3', { spec: { podCIDR: '10.244.33.0/24' } });
    const p = pod('on-3', [{}], { nodeName: 'hollow-3' });
    await cs.pods.create('default', p);
    const got = await waitFor('Running', async () => {
      const x = await cs.pods.get('default', 'on-3');
      return x.status?.phase === 'Running' && x;
    });
    assert.match(got.status?.podIP ?? '', /^10\.244\.33\./);
    assert.equal(got.status?.hostIP, nodes.kubelets[3]!.o.address);
    // A pod's logs on a hollow node are refused clearly by the apiserver, not dialled.
    await assert.rejects(cs.pods.logs('default', 'on-3'), /has no kubelet endpoint/);
  });

  it('renews the lease every period but posts an unchanged node status only when it changes', async () => {
    const k = nodes.kubelets[1]!;
    const posts = k.node.stats.statusPosts;
    const renewals = k.node.stats.leaseRenewals;
    await waitFor('four more lease renewals', async () => k.node.stats.leaseRenewals >= renewals + 4);
    assert.equal(k.node.stats.statusPosts, posts, 'status posted although nothing changed');
    // Someone else marks the node Unknown (as the node lifecycle controller does): the kubelet puts it right.
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await cs.nodes.patchStatus(undefined, 'hollow-1', {
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: at, lastTransitionTime: at }] },
    });
    await waitFor('Ready=True again', async () => (await cs.nodes.get(undefined, 'hollow-1')).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True');
    assert.ok(k.node.stats.statusPosts > posts);
  });
});
