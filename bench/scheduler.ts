// Scheduler benchmark in the style of kube-scheduler's scheduler_perf SchedulingBasic: N nodes
// and M pending pods created through the real apiserver + etcd (setup, not measured), then the
// scheduler starts and binds them all. Figures: pods/s, p50/p99 per-pod latency (queued → bound),
// pods/s ÷ raw etcd puts/s of the same run, and the algorithm alone in-process with a fake
// binder. Each again with pod anti-affinity and topology spread constraints.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { pino } from 'pino';
import type { Node, Pod } from '../api/index.js';
import { Clientset } from '../client/index.js';
import { freePort, httpOk, waitUntil } from '../host/process.js';
import { makeNode, makePod } from '../scheduler/fixtures.testkit.js';
import { startScheduler } from '../scheduler/run.js';
import { Scheduler, type ClusterWriter } from '../scheduler/scheduler.js';
import { startTestEtcd } from '../testing/etcd.js';
import { cpuMeter } from './cpu.js';

const apiserverJs = fileURLToPath(new URL('../apiserver/index.js', import.meta.url));

export interface SchedulerBenchOptions {
  nodes: number;
  pods: number;
}

type Workload = 'basic' | 'affinity';
const ZONES = 10;
const APPS = 50;

function benchNode(i: number): Node {
  return makeNode({ name: `node-${i}`, cpu: '4', memory: '32Gi', pods: '110', labels: { 'topology.kubernetes.io/zone': `zone-${i % ZONES}` } });
}

/** scheduler_perf's default pod (100m / 500Mi); `affinity` adds hostname anti-affinity and zone spread per app. */
function benchPod(i: number, workload: Workload): Pod {
  const app = `app-${i % APPS}`;
  const pod = makePod({ name: `pod-${i}`, namespace: 'bench', cpu: '100m', memory: '500Mi', labels: { app }, createdMs: Date.now() });
  if (workload === 'affinity') {
    const selector = { matchLabels: { app } };
    pod.spec!.affinity = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: selector, topologyKey: 'kubernetes.io/hostname' }] },
    };
    pod.spec!.topologySpreadConstraints = [
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: selector },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: selector },
    ];
  }
  return pod;
}

function forApi(p: Pod): Pod {
  const { uid: _u, creationTimestamp: _c, ...metadata } = p.metadata ?? {};
  return { ...p, metadata };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return (performance.now() - start) / 1000;
}

interface Figures {
  podsPerSec: number;
  p50: number;
  p99: number;
  /** CPU ms per pod by process, end to end only. */
  cpuPerPod?: Record<string, number | undefined>;
}

/** Where the CPU went, per pod, and the rate these cores could reach at that cost. */
function cpuLine(cpu: Record<string, number | undefined>): string {
  const parts = Object.entries(cpu).map(([k, v]) => `${k} ${v === undefined ? '?' : v.toFixed(2)} ms`);
  const known = Object.values(cpu).filter((v): v is number => v !== undefined);
  const total = known.reduce((a, b) => a + b, 0);
  const cores = availableParallelism();
  return `${''.padEnd(34)}CPU per pod: ${parts.join(', ')}; total ${total.toFixed(2)} ms → ${cores} cores allow ≤${((cores * 1000) / total).toFixed(0)} pods/s`;
}

function line(label: string, f: Figures, extra = ''): string {
  return `${label.padEnd(34)}${f.podsPerSec.toFixed(0).padStart(7)} pods/s  p50 ${f.p50.toFixed(0)} ms, p99 ${f.p99.toFixed(0)} ms${extra}`;
}

/** The algorithm alone: same nodes and pods, in-process, binding to a fake that succeeds at once. */
export async function algorithmAlone(opts: SchedulerBenchOptions, workload: Workload): Promise<Figures> {
  const latencies: number[] = [];
  let bound = 0;
  let allBound: () => void = () => undefined;
  const done = new Promise<void>((r) => (allBound = r));
  const writer: ClusterWriter = {
    bind: async () => undefined,
    reportUnschedulable: async () => undefined,
    preempt: async () => undefined,
  };
  const s = new Scheduler({
    writer,
    onBound: (_p, _n, ms) => {
      latencies.push(ms);
      if (++bound === opts.pods) allBound();
    },
  });
  for (let i = 0; i < opts.nodes; i++) s.onNode(benchNode(i));
  const pods = Array.from({ length: opts.pods }, (_, i) => {
    const p = benchPod(i, workload);
    p.metadata!.uid = `uid-${i}`;
    return p;
  });
  const stop = new AbortController();
  const start = performance.now();
  for (const p of pods) s.onPod(p);
  const loop = s.run(stop.signal);
  await done;
  const secs = (performance.now() - start) / 1000;
  stop.abort();
  await loop;
  const sorted = latencies.sort((a, b) => a - b);
  return { podsPerSec: opts.pods / secs, p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
}

async function startApiserverProcess(etcdUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  // Its own process (as in production) started from the library, so the bench does not depend on the CLI.
  const code = `const { startApiServer } = await import(${JSON.stringify(apiserverJs)});
    const s = await startApiServer({ etcdServers: [${JSON.stringify(etcdUrl)}], port: ${port}, etcdPrefix: '/bench/registry' });
    process.on('SIGTERM', () => s.close().then(() => process.exit(0)));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', code], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(() => httpOk(`${url}/readyz`), { timeoutMs: 30_000, what: 'the apiserver to be ready' });
  return { url, child };
}

/** Creates nodes (with Ready status and allocatable) and pending pods through the API: setup, not measured. */
async function populate(cs: Clientset, opts: SchedulerBenchOptions, workload: Workload, namespace: string): Promise<void> {
  await cs.namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  await pool(opts.pods, 64, async (i) => {
    const p = forApi(benchPod(i, workload));
    p.metadata!.namespace = namespace;
    await cs.pods.create(namespace, p);
  });
}

async function createNodes(cs: Clientset, opts: SchedulerBenchOptions): Promise<void> {
  await pool(opts.nodes, 64, async (i) => {
    const n = benchNode(i);
    const created = await cs.nodes.create(undefined, n);
    if (!created.status?.allocatable) await cs.nodes.patchStatus(undefined, n.metadata!.name!, { status: n.status }, 'merge');
  });
}

async function deleteNodes(cs: Clientset, from: number, to: number): Promise<void> {
  await pool(to - from, 64, (i) => cs.nodes.delete(undefined, `node-${from + i}`).then(() => undefined));
}

/** End to end: the scheduler component (informers, queue, bindings) against the apiserver. */
async function endToEnd(url: string, opts: SchedulerBenchOptions, pids: { apiserver: number; etcd: number }): Promise<Figures> {
  const latencies: number[] = [];
  // The scheduler runs in this process, which does nothing else meanwhile.
  const meter = cpuMeter({ apiserver: pids.apiserver, scheduler: 'self', etcd: pids.etcd });
  let allBound: () => void = () => undefined;
  const done = new Promise<void>((r) => (allBound = r));
  let last = 0;
  const running = await startScheduler({
    config: { server: url },
    leaderElect: false,
    log: pino({ level: 'warn' }),
    onBound: (_p, _n, ms) => {
      latencies.push(ms);
      last = performance.now();
      if (latencies.length === opts.pods) allBound();
    },
  });
  try {
    await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`only ${latencies.length}/${opts.pods} pods bound after 10 minutes`)), 600_000).unref())]);
  } finally {
    await running.stop();
  }
  const cpu = meter.stop();
  const secs = (last - running.startedAt()!) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const cpuPerPod = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v === undefined ? undefined : v / opts.pods]));
  return { podsPerSec: opts.pods / secs, p50: percentile(sorted, 50), p99: percentile(sorted, 99), cpuPerPod };
}

async function rawEtcdPutsPerSec(etcdUrl: string, n: number): Promise<number> {
  const client = new Etcd3({ hosts: etcdUrl });
  const value = JSON.stringify(forApi(benchPod(0, 'basic')));
  await pool(200, 32, (i) => client.put(`/warm/${i}`).value(value).exec().then(() => undefined));
  const secs = await pool(n, 32, (i) => client.put(`/raw/${i}`).value(value).exec().then(() => undefined));
  client.close();
  return n / secs;
}

/** Both workloads at full size: affinity and spread count matching pods through the cache's label index. */
const sized = (opts: SchedulerBenchOptions, _w: Workload): SchedulerBenchOptions => opts;

export async function benchScheduler(opts: SchedulerBenchOptions): Promise<void> {
  const a = sized(opts, 'affinity');
  console.log(`(basic: ${opts.nodes} nodes, ${opts.pods} pods; affinity+spread: ${a.nodes} nodes, ${a.pods} pods; latency = queued → bound, all queued at once)`);
  // End to end first: the in-process runs leave a heap of garbage that this process, where the
  // end-to-end scheduler runs, would otherwise collect during the measurement.
  const etcd = await startTestEtcd();
  let api: { url: string; child: ChildProcess } | undefined;
  try {
    const raw = await rawEtcdPutsPerSec(etcd.url, Math.min(opts.pods, 5000));
    console.log(`raw etcd puts:                    ${raw.toFixed(0).padStart(7)} /s  (concurrency 32, pod-sized values)`);
    api = await startApiserverProcess(etcd.url);
    const cs = new Clientset({ server: api.url });
    await createNodes(cs, opts);
    for (const workload of ['basic', 'affinity'] as const) {
      const namespace = `bench-${workload}`;
      const size = sized(opts, workload);
      if (workload === 'affinity') await deleteNodes(cs, size.nodes, opts.nodes);
      await populate(cs, size, workload, namespace);
      const f = await endToEnd(api.url, size, { apiserver: api.child.pid!, etcd: etcd.pid });
      console.log(line(`end to end, ${workload}:`, f, `  (÷ raw etcd puts/s: ${(f.podsPerSec / raw).toFixed(2)})`));
      if (f.cpuPerPod) console.log(cpuLine(f.cpuPerPod));
      // Free the nodes for the next workload: the pods go at once (no kubelet to wait for).
      await pool(size.pods, 64, (i) => cs.pods.delete(namespace, `pod-${i}`, { gracePeriodSeconds: 0 }).then(() => undefined));
    }
    cs.close();
  } finally {
    api?.child.kill('SIGTERM');
    await etcd.stop();
  }
  for (const workload of ['basic', 'affinity'] as const) {
    const f = await algorithmAlone(sized(opts, workload), workload);
    console.log(line(`algorithm alone, ${workload}:`, f, '  (in-process, fake binder)'));
  }
}
