// The end-to-end story on a real two-node cluster (`skiff up --nodes 2`), driven through the real
// kubectl as an operator would: deploy and reach a Service, roll out and undo, scale, lose a
// node, lose control-plane processes mid-rollout, and a pod that fits nowhere. One cluster for
// the file; the journeys run in order like one session at a terminal.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventually, show, useCluster, type Cluster, kubectlOk } from './support.js';
import { assertLocallyRouted, get, webApp } from './web-app.js';

const NS = 'journeys';
const webManifest = (version: string): string => webApp(NS, version);

interface PodView {
  metadata: { name: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { podIP?: string; phase?: string; conditions?: Array<{ type: string; status: string }> };
}

const isRoot = process.getuid?.() === 0;

describe('journeys on a two-node cluster (e2e)', function () {
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // local nodes in their own network namespaces need root
  });
  useCluster((cluster) => (c = cluster), { nodes: 2 });

  const kubectl = kubectlOk(() => c, 250_000);
  const json = async <T>(...args: string[]): Promise<T> => JSON.parse(await kubectl(...args, '-o', 'json')) as T;
  const webPods = async (): Promise<PodView[]> =>
    (await json<{ items: PodView[] }>('get', 'pods', '-n', NS, '-l', 'app=web')).items.filter((p) => !p.metadata.deletionTimestamp);
  const ready = (p: PodView): boolean => p.status.conditions?.some((x) => x.type === 'Ready' && x.status === 'True') ?? false;
  const componentPid = (name: string): number => {
    const st = JSON.parse(readFileSync(join(c.home, 'status.json'), 'utf8')) as { components: Array<{ name: string; pid: number }> };
    const pid = st.components.find((x) => x.name === name)?.pid;
    assert.ok(pid, `no ${name} in status.json`);
    return pid;
  };

  it('1. a Deployment of 3 HTTP servers behind a Service: Ready pods, endpoints, traffic reaches all three', async function () {
    this.timeout(240_000);
    await c.kubectl(['apply', '-f', '-'], { stdin: webManifest('v1') }).then((r) => assert.equal(r.code, 0, show(r)));
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=180s');
    const pods = await webPods();
    assert.equal(pods.length, 3);
    assert.ok(pods.every(ready), 'all pods Ready');
    const ips = pods.map((p) => p.status.podIP ?? '');
    await eventually('the endpoints to list the three pod IPs', async () => {
      const ep = await json<{ subsets?: Array<{ addresses?: Array<{ ip: string }> }> }>('get', 'endpoints', 'web', '-n', NS);
      const got = (ep.subsets ?? []).flatMap((s) => s.addresses ?? []).map((a) => a.ip).sort();
      return JSON.stringify(got) === JSON.stringify([...ips].sort());
    });
    for (const p of pods) {
      assertLocallyRouted(p.status.podIP ?? '');
      assert.match(await get(`http://${p.status.podIP}:8080/`), new RegExp(`^${p.metadata.name} v1$`));
    }
    const svc = await json<{ spec: { clusterIP: string } }>('get', 'service', 'web', '-n', NS);
    assertLocallyRouted(svc.spec.clusterIP);
    const seen = new Set<string>();
    await eventually('requests through the Service to reach all three pods', async () => {
      for (let i = 0; i < 30; i++) seen.add((await get(`http://${svc.spec.clusterIP}/`)).split(' ')[0] ?? '');
      return seen.size === 3;
    }, 60_000);
    assert.deepEqual([...seen].sort(), pods.map((p) => p.metadata.name).sort());
  });

  it('2. a changed template rolls out within maxSurge/maxUnavailable, and rollout undo goes back', async function () {
    this.timeout(240_000);
    let worst = { total: 0, available: 3 };
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const rs = await json<{ items: Array<{ spec: { replicas?: number } }> }>('get', 'replicasets', '-n', NS, '-l', 'app=web').catch(() => undefined);
        const d = await json<{ status: { availableReplicas?: number } }>('get', 'deployment', 'web', '-n', NS).catch(() => undefined);
        if (rs && d) {
          const total = rs.items.reduce((n, r) => n + (r.spec.replicas ?? 0), 0);
          worst = { total: Math.max(worst.total, total), available: Math.min(worst.available, d.status.availableReplicas ?? 0) };
        }
      }
    })();
    await kubectl('set', 'env', 'deployment/web', '-n', NS, 'VERSION=v2');
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=180s');
    sampling = false;
    await sampler;
    assert.ok(worst.total <= 4, `never more than replicas + maxSurge pods (saw ${worst.total})`);
    assert.ok(worst.available >= 3, `never fewer than replicas - maxUnavailable available (saw ${worst.available})`);
    const pods = await webPods();
    assert.ok(pods.length === 3 && pods.every(ready));
    assert.match(await get(`http://${pods[0]?.status.podIP}:8080/`), / v2$/);

    const history = await kubectl('rollout', 'history', 'deployment/web', '-n', NS);
    assert.match(history, /^1\s/m);
    assert.match(history, /^2\s/m);
    await kubectl('rollout', 'undo', 'deployment/web', '-n', NS);
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=180s');
    const after = await webPods();
    assert.equal(after.length, 3);
    assert.match(await get(`http://${after[0]?.status.podIP}:8080/`), / v1$/);
    assert.match(await kubectl('rollout', 'history', 'deployment/web', '-n', NS), /^3\s/m);
  });

  it('3. scales 0 → 20 → 0', async function () {
    this.timeout(300_000);
    const sleeper = `apiVersion: apps/v1
kind: Deployment
metadata: {name: sleeper, namespace: ${NS}}
spec:
  replicas: 0
  selector: {matchLabels: {app: sleeper}}
  template:
    metadata: {labels: {app: sleeper}}
    spec:
      runtimeClassName: host # the host's /bin/sleep
      terminationGracePeriodSeconds: 1
      containers:
      - {name: sleep, image: skiff.local/sleep:1, command: ["/bin/sleep", "3600"]}
`;
    await c.kubectl(['apply', '-f', '-'], { stdin: sleeper }).then((r) => assert.equal(r.code, 0, show(r)));
    await kubectl('scale', 'deployment/sleeper', '-n', NS, '--replicas=20');
    await kubectl('rollout', 'status', 'deployment/sleeper', '-n', NS, '--timeout=240s');
    const running = (await json<{ items: PodView[] }>('get', 'pods', '-n', NS, '-l', 'app=sleeper')).items;
    assert.equal(running.filter((p) => p.status.phase === 'Running').length, 20);
    assert.equal(new Set(running.map((p) => p.spec.nodeName)).size, 2, 'spread over both nodes');
    await kubectl('scale', 'deployment/sleeper', '-n', NS, '--replicas=0');
    await eventually('every sleeper pod to be gone', async () => (await json<{ items: PodView[] }>('get', 'pods', '-n', NS, '-l', 'app=sleeper')).items.length === 0, 120_000);
  });

  it('4. a node that stops answering has its pods replaced on the other node', async function () {
    this.timeout(240_000);
    const pods = await webPods();
    const victim = pods[0]?.spec.nodeName ?? '';
    const other = victim === 'node-1' ? 'node-2' : 'node-1';
    // A hung node: its kubelet stops (SIGSTOP), so no heartbeats, while the supervisor does not
    // see an exit to restart. Its runtime is killed outright and comes back under supervision.
    const kubelet = componentPid(`${victim}/kubelet`);
    process.kill(kubelet, 'SIGSTOP');
    try {
      process.kill(componentPid(`${victim}/runtime`), 'SIGKILL');
      await eventually(`${victim} to turn NotReady`, async () => {
        const n = await json<{ status: { conditions: Array<{ type: string; status: string }> } }>('get', 'node', victim);
        return n.status.conditions.some((x) => x.type === 'Ready' && x.status !== 'True');
      }, 120_000, 1000);
      await eventually(`three Ready web pods on ${other}`, async () => {
        const now = await webPods();
        return now.filter((p) => p.spec.nodeName === other && ready(p)).length === 3;
      }, 120_000, 1000);
    } finally {
      process.kill(kubelet, 'SIGCONT');
    }
    await eventually(`${victim} to be Ready again`, async () => {
      const n = await json<{ status: { conditions: Array<{ type: string; status: string }> } }>('get', 'node', victim);
      return n.status.conditions.some((x) => x.type === 'Ready' && x.status === 'True');
    }, 120_000, 1000);
  });

  it('5. scheduler, controller-manager and apiserver killed in turn mid-rollout: the rollout converges, no lost or extra pods', async function () {
    this.timeout(300_000);
    await kubectl('set', 'env', 'deployment/web', '-n', NS, 'VERSION=v3');
    for (const name of ['scheduler', 'controller-manager', 'apiserver']) {
      const pid = componentPid(name);
      process.kill(pid, 'SIGKILL');
      await eventually(`${name} to be restarted`, () => Promise.resolve(c.output().includes(`${name} is back`) && componentPid(name) !== pid), 90_000, 500);
    }
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=240s');
    await eventually('exactly three web pods, all v3 and Ready', async () => {
      const pods = await webPods();
      if (pods.length !== 3 || !pods.every(ready)) return false;
      const answers = await Promise.all(pods.map((p) => get(`http://${p.status.podIP}:8080/`)));
      return answers.every((a) => a.endsWith(' v3'));
    }, 120_000, 1000);
    assert.ok(await json('get', 'namespace', NS), 'objects survived');
  });

  it('6. a pod that fits nowhere stays Pending and describe says why', async function () {
    this.timeout(120_000);
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: huge, namespace: ${NS}}
spec:
  containers:
  - name: c
    image: skiff.local/sleep:1
    command: ["/bin/sleep", "3600"]
    resources: {requests: {cpu: "1000"}}
`;
    await c.kubectl(['apply', '-f', '-'], { stdin: pod }).then((r) => assert.equal(r.code, 0, show(r)));
    await eventually('describe to show why the pod is Pending', async () => {
      const out = await kubectl('describe', 'pod', 'huge', '-n', NS);
      return /Status:\s+Pending/.test(out) && /0\/2 nodes are available: 2 Insufficient cpu/.test(out);
    }, 60_000, 1000);
  });
});
