// The scheduler against the real apiserver (and etcd): nodes with status written through the
// status subresource, pods created through the API, the scheduler running in-process.
import assert from 'node:assert/strict';
import type { Event, Node, Pod } from '../api/index.js';
import { Clientset } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { makeNode, makePod } from './fixtures.testkit.js';
import { startScheduler, type RunningScheduler } from './run.js';
import { pino } from 'pino';
import { waitFor } from '../testing/wait.js';

const eventually = <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> => waitFor(what, probe, timeoutMs, 50);

/** Strips what the API fills in itself from a fixture pod. */
function forApi(p: Pod): Pod {
  const { uid: _uid, creationTimestamp: _c, ...metadata } = p.metadata ?? {};
  return { ...p, metadata };
}

describe('scheduler against the apiserver (integration)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let cs: Clientset;
  const running: RunningScheduler[] = [];
  const quiet = pino({ level: 'silent' });

  async function addNode(n: Node): Promise<void> {
    const created = await cs.nodes.create(undefined, { ...n, status: {} });
    await cs.nodes.patchStatus(undefined, created.metadata!.name!, { status: n.status }, 'merge');
  }

  async function start(extra: { identity?: string } = {}): Promise<RunningScheduler> {
    const r = await startScheduler({ config: { server: api.url }, port: 0, log: quiet, retryPeriodMs: 200, leaseDurationMs: 2000, renewDeadlineMs: 1500, ...extra });
    running.push(r);
    return r;
  }

  const nodeOf = (ns: string, name: string) => async () => (await cs.pods.get(ns, name)).spec?.nodeName || undefined;

  before(async () => {
    api = await startTestApiServer();
    cs = new Clientset({ server: api.url });
    await addNode(makeNode({ name: 'small', cpu: '2', memory: '4Gi' }));
    await addNode(makeNode({ name: 'large', cpu: '8', memory: '16Gi', labels: { disk: 'ssd' } }));
    await addNode(makeNode({ name: 'gpu', cpu: '8', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }));
    await start();
  });

  after(async () => {
    for (const r of running) await r.stop();
    cs.close();
    await api.close();
  });

  it('binds pending pods to nodes that fit, honouring requests, selectors and taints', async () => {
    await cs.pods.create('default', forApi(makePod({ name: 'big', cpu: '6' })));
    await cs.pods.create('default', forApi(makePod({ name: 'ssd', cpu: '100m', nodeSelector: { disk: 'ssd' } })));
    await cs.pods.create('default', forApi(makePod({ name: 'gpu-job', cpu: '100m', nodeSelector: { 'kubernetes.io/hostname': 'gpu' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] })));
    assert.equal(await eventually('big to be bound', nodeOf('default', 'big')), 'large');
    assert.equal(await eventually('ssd to be bound', nodeOf('default', 'ssd')), 'large');
    assert.equal(await eventually('gpu-job to be bound', nodeOf('default', 'gpu-job')), 'gpu');
    const pod = await cs.pods.get('default', 'big');
    assert.equal(pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.status, 'True');
  });

  it('explains an unschedulable pod with a condition and an event, then places it when a node fits', async () => {
    await cs.pods.create('default', forApi(makePod({ name: 'huge', cpu: '12' })));
    const message = '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.';
    const cond = await eventually('PodScheduled=False', async () => {
      const c = (await cs.pods.get('default', 'huge')).status?.conditions?.find((x) => x.type === 'PodScheduled');
      return c?.status === 'False' ? c : undefined;
    });
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, message);
    const ev = await eventually<Event>('a FailedScheduling event', async () =>
      (await cs.events.list('default')).items.find((e) => e.reason === 'FailedScheduling' && e.involvedObject.name === 'huge'),
    );
    assert.equal(ev.type, 'Warning');
    assert.equal(ev.message, message);
    await addNode(makeNode({ name: 'xl', cpu: '16', memory: '64Gi' }));
    assert.equal(await eventually('huge to be bound once xl exists', nodeOf('default', 'huge')), 'xl');
  });

  it('preempts a lower-priority pod for a higher-priority one, nominating the node', async () => {
    await cs.priorityClasses.create(undefined, { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'high' }, value: 1000 });
    await cs.nodes.patch(undefined, 'xl', { spec: { unschedulable: true } });
    await cs.nodes.patch(undefined, 'large', { spec: { unschedulable: true } });
    await cs.nodes.patch(undefined, 'gpu', { spec: { unschedulable: true } });
    // 'small' (2 cpu) gets a low-priority filler using 1500m.
    await cs.pods.create('default', forApi(makePod({ name: 'filler', cpu: '1500m' })));
    assert.equal(await eventually('filler to be bound', nodeOf('default', 'filler')), 'small');
    const vip = forApi(makePod({ name: 'vip', cpu: '1' }));
    vip.spec!.priorityClassName = 'high';
    await cs.pods.create('default', vip);
    const nominated = await eventually('vip to be nominated', async () => (await cs.pods.get('default', 'vip')).status?.nominatedNodeName || undefined);
    assert.equal(nominated, 'small');
    // The victim is deleted gracefully; play the kubelet and confirm its termination.
    await eventually('filler to be terminating', async () => ((await cs.pods.get('default', 'filler')).metadata?.deletionTimestamp ? true : undefined));
    await cs.pods.delete('default', 'filler', { gracePeriodSeconds: 0 });
    assert.equal(await eventually('vip to be bound', nodeOf('default', 'vip')), 'small');
  });

  it('serves /healthz and /metrics with scheduling attempts by result', async () => {
    const port = running[0]!.port!;
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(await health.text(), 'ok');
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    assert.match(metrics, /scheduler_schedule_attempts_total\{result="scheduled"\} \d+/);
    assert.match(metrics, /scheduler_schedule_attempts_total\{result="unschedulable"\} \d+/);
    assert.match(metrics, /scheduler_pod_scheduling_duration_seconds_count \d+/);
  });

  it('with two schedulers only the lease holder schedules, and each pod is bound once', async () => {
    const second = await start({ identity: 'second' });
    assert.equal(running[0]!.isLeader() && !second.isLeader(), true);
    for (const name of ['xl', 'large']) await cs.nodes.patch(undefined, name, { spec: { unschedulable: false } });
    const names = Array.from({ length: 20 }, (_, i) => `many-${i}`);
    await Promise.all(names.map((name) => cs.pods.create('default', forApi(makePod({ name, cpu: '100m' })))));
    for (const name of names) await eventually(`${name} to be bound`, nodeOf('default', name));
    const events = (await cs.events.list('default')).items.filter((e) => e.reason === 'FailedScheduling' && e.involvedObject.name?.startsWith('many-'));
    assert.deepEqual(events, [], 'no binding conflicts or failures');
    // The leader steps down; the second takes over and schedules.
    await running[0]!.stop();
    running.shift();
    await eventually('the second scheduler to lead', async () => (second.isLeader() ? true : undefined));
    await cs.pods.create('default', forApi(makePod({ name: 'after-failover', cpu: '100m' })));
    await eventually('after-failover to be bound', nodeOf('default', 'after-failover'));
  });
});
