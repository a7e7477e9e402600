// The kubelet against a real apiserver with the in-process fake runtime: registration, lease,
// pod lifecycle, restart policies and back-off, probes, deletion, status writes, restarts.
import assert from 'node:assert/strict';
import type { Pod } from '../api/index.js';
import { hollowHarness, pod, waitFor, type HollowHarness } from './support.testkit.js';

const running = (p: Pod, name = 'c0') => p.status?.containerStatuses?.find((s) => s.name === name)?.state?.running;
const cond = (p: Pod, type: string) => p.status?.conditions?.find((c) => c.type === type)?.status;

describe('kubelet (hollow runtime)', function () {
  this.timeout(30_000);
  let h: HollowHarness;
  beforeEach(async () => {
    h = await hollowHarness();
  });
  afterEach(async () => {
    await h.close();
  });
  const get = (name: string) => h.cs.pods.get('default', name);

  it('registers its node with capacity, addresses, versions and labels, and renews its lease', async () => {
    const node = await waitFor('node Ready', async () => {
      const n = await h.cs.nodes.get(undefined, 'node-1');
      return n.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && n;
    });
    assert.equal(node.metadata?.labels?.['kubernetes.io/hostname'], 'node-1');
    assert.equal(node.metadata?.labels?.['kubernetes.io/os'], 'linux');
    assert.equal(node.status?.capacity?.pods, '110');
    assert.equal(node.status?.allocatable?.cpu, '4');
    assert.equal(node.status?.nodeInfo?.kubeletVersion, 'v1.32.0-skiff');
    assert.equal(node.status?.nodeInfo?.containerRuntimeVersion, 'skiff-fake://0.1.0');
    assert.deepEqual(node.status?.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: 'node-1' }]);
    assert.equal(node.status?.daemonEndpoints?.kubeletEndpoint?.Port, h.kubelet.port);
    for (const t of ['MemoryPressure', 'DiskPressure', 'PIDPressure']) assert.equal(node.status?.conditions?.find((c) => c.type === t)?.status, 'False');
    const first = await h.cs.leases.get('kube-node-lease', 'node-1');
    assert.equal(first.spec?.holderIdentity, 'node-1');
    assert.equal(first.spec?.leaseDurationSeconds, 40);
    await waitFor('lease renewed', async () => (await h.cs.leases.get('kube-node-lease', 'node-1')).spec?.renewTime !== first.spec?.renewTime);
  });

  it('hands spec.podCIDR to the runtime; pod IPs come from it', async () => {
    await h.cs.nodes.patch(undefined, 'node-1', { spec: { podCIDR: '10.244.7.0/24' } });
    await waitFor('UpdateRuntimeConfig', () => (h.fake.calls.get('updateRuntimeConfig') ?? 0) > 0);
    await h.cs.pods.create('default', pod('web', [{}]));
    const p = await waitFor('Running', async () => ((await get('web')).status?.phase === 'Running' ? get('web') : undefined));
    assert.match(p.status?.podIP ?? '', /^10\.244\.7\.\d+$/);
  });

  it('runs a pod to Running and Ready with Kubernetes-shaped status and events', async () => {
    await h.cs.pods.create('default', pod('web', [{ image: 'nginx' }, { image: 'sidecar' }]));
    const p = await waitFor('pod Ready', async () => {
      const x = await get('web');
      return cond(x, 'Ready') === 'True' && x;
    });
    assert.equal(p.status?.phase, 'Running');
    for (const t of ['PodScheduled', 'Initialized', 'ContainersReady', 'PodReadyToStartContainers']) assert.equal(cond(p, t), 'True', t);
    assert.equal(p.status?.hostIP, '127.0.0.1');
    assert.ok(p.status?.podIP);
    assert.ok(p.status?.startTime);
    const cs0 = p.status?.containerStatuses?.[0];
    assert.equal(cs0?.name, 'c0');
    assert.equal(cs0?.image, 'nginx');
    assert.equal(cs0?.ready, true);
    assert.equal(cs0?.started, true);
    assert.equal(cs0?.restartCount, 0);
    assert.match(cs0?.containerID ?? '', /^skiff:\/\//);
    assert.ok(cs0?.state?.running?.startedAt);
    const events = await waitFor('events', async () => {
      const l = await h.cs.events.list('default');
      const reasons = new Set(l.items.filter((e) => e.involvedObject.name === 'web').map((e) => e.reason));
      return ['Pulled', 'Created', 'Started'].every((r) => reasons.has(r)) && reasons;
    });
    assert.ok(events.has('Started'));
    // The sandbox got the DNS settings and pod labels.
    const sb = [...h.fake.sandboxes.values()][0]!;
    assert.deepEqual(sb.config.dnsConfig?.searches, ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local']);
    assert.deepEqual(sb.config.dnsConfig?.servers, ['10.96.0.10']);
    assert.equal(sb.config.labels?.['io.kubernetes.pod.name'], 'web');
    assert.equal(sb.config.hostname, 'web');
  });

  it('runs init containers in order before the containers', async () => {
    h.fake.onStart = (c) => (c.metadata?.name?.startsWith('init') ? { exitAfterMs: 100, code: 0 } : undefined);
    await h.cs.pods.create('default', pod('init', [{}], { initContainers: [{ name: 'init-a', image: 'busybox' }, { name: 'init-b', image: 'busybox' }] }));
    const p = await waitFor('Running', async () => ((await get('init')).status?.phase === 'Running' ? get('init') : undefined));
    assert.deepEqual(p.status?.initContainerStatuses?.map((s) => [s.name, s.state?.terminated?.reason]), [['init-a', 'Completed'], ['init-b', 'Completed']]);
    const started = [...h.fake.containers.values()].sort((a, b) => a.startedAt - b.startedAt).map((c) => c.config.metadata?.name);
    assert.deepEqual(started, ['init-a', 'init-b', 'c0']);
  });

  it('restartPolicy Never: Failed with the exit code; OnFailure: Succeeded after exit 0', async () => {
    h.fake.onStart = (c) => ({ exitAfterMs: 50, code: c.envs?.find((e) => e.key === 'CODE')?.value === '0' ? 0 : 3 });
    await h.cs.pods.create('default', pod('never', [{ env: [{ name: 'CODE', value: '3' }] }], { restartPolicy: 'Never' }));
    await h.cs.pods.create('default', pod('onfail', [{ env: [{ name: 'CODE', value: '0' }] }], { restartPolicy: 'OnFailure' }));
    const failed = await waitFor('Failed', async () => ((await get('never')).status?.phase === 'Failed' ? get('never') : undefined));
    const t = failed.status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(t?.exitCode, 3);
    assert.equal(t?.reason, 'Error');
    assert.equal(cond(failed, 'Ready'), 'False');
    const ok = await waitFor('Succeeded', async () => ((await get('onfail')).status?.phase === 'Succeeded' ? get('onfail') : undefined));
    assert.equal(ok.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(ok.status?.containerStatuses?.[0]?.restartCount, 0);
  });

  it('restartPolicy Always: restarts with CrashLoopBackOff, the delay doubling', async () => {
    h.fake.onStart = () => ({ exitAfterMs: 20, code: 1 });
    await h.cs.pods.create('default', pod('crash', [{}]));
    const p = await waitFor('CrashLoopBackOff', async () => {
      const x = await get('crash');
      const s = x.status?.containerStatuses?.[0];
      return s?.state?.waiting?.reason === 'CrashLoopBackOff' && (s.restartCount ?? 0) >= 2 && x;
    });
    const s = p.status!.containerStatuses![0]!;
    assert.equal(s.lastState?.terminated?.exitCode, 1);
    assert.match(s.state?.waiting?.message ?? '', /back-off \d+s restarting failed container=c0/);
    assert.equal(p.status?.phase, 'Running');
    // Start times: the first restart is immediate, then 400 ms, 800 ms, ... after each exit.
    await waitFor('4 starts', () => [...h.fake.containers.values()].length >= 2 && (h.fake.calls.get('startContainer') ?? 0) >= 4);
    const events = (await h.cs.events.list('default')).items.filter((e) => e.reason === 'BackOff');
    assert.ok(events.length >= 1);
    const starts = h.kubelet.pods.backoff.delay(`${p.metadata?.uid}/c0`);
    assert.ok(starts >= 1600, `delay grew to ${starts}`);
  });

  it('readiness probe drives Ready; a failing liveness probe restarts the container', async () => {
    let ready = false;
    let alive = true;
    h.fake.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'ready' ? (ready ? 0 : 1) : alive ? 0 : 1 });
    const probe = (cmd: string) => ({ exec: { command: [cmd] }, periodSeconds: 1, failureThreshold: 1 });
    await h.cs.pods.create('default', pod('probed', [{ readinessProbe: probe('ready'), livenessProbe: probe('alive') }]));
    const p = await waitFor('Running, not ready', async () => {
      const x = await get('probed');
      return running(x) && x;
    });
    assert.equal(cond(p, 'Ready'), 'False');
    ready = true;
    await waitFor('Ready', async () => cond(await get('probed'), 'Ready') === 'True');
    alive = false;
    const restarted = await waitFor('restart', async () => {
      const x = await get('probed');
      return (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && x;
    });
    alive = true;
    assert.ok(restarted.status?.containerStatuses?.[0]?.lastState?.terminated);
    const reasons = (await h.cs.events.list('default')).items.map((e) => e.reason);
    assert.ok(reasons.includes('Unhealthy'));
    assert.ok(reasons.includes('Killing'));
  });

  it('deletes a pod: preStop hook, stop with grace, sandbox removed, object gone', async () => {
    const hooks: string[][] = [];
    h.fake.execHandler = (_id, cmd) => (hooks.push(cmd), { exitCode: 0 });
    await h.cs.pods.create('default', pod('del', [{ lifecycle: { preStop: { exec: { command: ['sh', '-c', 'drain'] } } } }]));
    await waitFor('Running', async () => running(await get('del')));
    await h.cs.pods.delete('default', 'del');
    await waitFor('pod gone', async () => {
      try {
        await get('del');
        return false;
      } catch (err) {
        return (err as { code?: number }).code === 404;
      }
    });
    assert.deepEqual(hooks, [['sh', '-c', 'drain']]);
    assert.equal(h.fake.sandboxes.size, 0);
    assert.equal(h.fake.containers.size, 0);
  });

  it('cleans up containers of a pod force-deleted from the API', async () => {
    await h.cs.pods.create('default', pod('gone', [{}]));
    await waitFor('Running', async () => running(await get('gone')));
    await h.cs.pods.delete('default', 'gone', { gracePeriodSeconds: 0 });
    await waitFor('sandbox removed', () => h.fake.sandboxes.size === 0);
  });

  it('writes status only when it changes, and a restarted kubelet keeps healthy containers', async () => {
    await h.cs.pods.create('default', pod('steady', [{}]));
    await waitFor('Ready', async () => cond(await get('steady'), 'Ready') === 'True');
    // The sync that wrote Ready may be followed by one more legitimate write (a probe's first
    // result lands between two syncs): count from the first full sync after Ready was seen.
    const settled = h.kubelet.pods.stats.syncs;
    await waitFor('a sync after Ready', () => h.kubelet.pods.stats.syncs > settled + 1, 5000);
    const writes = h.kubelet.pods.stats.statusWrites;
    const syncs = h.kubelet.pods.stats.syncs;
    // Several relists, lease renewals and a resync later nothing changed, so nothing was written.
    await waitFor('more syncs', () => h.kubelet.pods.stats.syncs > syncs + 1, 5000);
    assert.equal(h.kubelet.pods.stats.statusWrites, writes);
    const starts = h.fake.calls.get('startContainer');
    const sandboxes = h.fake.calls.get('runPodSandbox');
    const k2 = await h.restart();
    await waitFor('resynced', () => k2.pods.stats.syncs > 0);
    const p = await get('steady');
    assert.equal(cond(p, 'Ready'), 'True');
    assert.equal(h.fake.calls.get('startContainer'), starts);
    assert.equal(h.fake.calls.get('runPodSandbox'), sandboxes);
    assert.equal(k2.pods.stats.statusWrites, 0);
  });
});
