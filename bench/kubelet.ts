// Kubelet benchmarks against an apiserver process on a throwaway etcd:
// 1. pod start-up latency: pods created with spec.nodeName set, time from create to the pod
//    reported Running, over N pods on one node with the real runtime (runc + conmon + CNI);
//    baseline from the same run: the runtime alone (RunPodSandbox + CreateContainer +
//    StartContainer through gRPC) for as many pods at the same rate, so the ratio is what the
//    kubelet and the API round trips add.
// 2. hollow-node capacity: how many hollow kubelets one process runs with every lease renewed on
//    time (no renewal later than 1.5 periods, no lease older than 1.5 periods at the end).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pod } from '../api/index.js';
import { freePort, httpOk, waitUntil } from '../host/process.js';
import { Clientset, createLogger, InformerFactory } from '../client/index.js';
import { startHollowNodes } from '../kubelet/hollow.js';
import { Kubelet } from '../kubelet/index.js';
import { realRuntimeMissing, startRealRuntime } from '../kubelet/support.testkit.js';
import { startTestEtcd } from '../testing/etcd.js';

const mainJs = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}

async function startApiserver(etcdUrl: string, prefix: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs, 'apiserver', '--etcd-servers', etcdUrl, '--port', String(port), '--etcd-prefix', prefix], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(() => httpOk(`${url}/readyz`).catch(() => false), { timeoutMs: 30_000, what: 'the apiserver to be ready' });
  return { url, child };
}

async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

const quiet = createLogger('bench-kubelet').child({});
quiet.level = 'error';

async function startupLatency(etcdUrl: string, pods: number, ratePerSec: number): Promise<void> {
  const missing = realRuntimeMissing();
  if (missing) {
    console.log(`pod start-up latency: skipped (${missing})`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-kubelet-'));
  const api = await startApiserver(etcdUrl, '/bench-kubelet/registry');
  const cs = new Clientset({ server: api.url });
  const rt = await startRealRuntime(dir);
  const kubelet = new Kubelet({ clientset: cs, nodeName: 'bench-1', runtime: rt.client, rootDir: join(dir, 'kubelet'), address: '127.0.0.1', port: -1, log: quiet });
  try {
    await kubelet.start();
    await cs.nodes.patch(undefined, 'bench-1', { spec: { podCIDR: '10.244.254.0/24' } });
    await waitUntil(async () => (await rt.client.status({})).status?.conditions.find((c) => c.type === 'NetworkReady')?.status === true, { timeoutMs: 20_000, what: 'the pod network' });

    // Baseline: the runtime alone, the same number of pods at the same rate, straight through gRPC.
    const base: number[] = [];
    const basePods: Array<Promise<void>> = [];
    for (let i = 0; i < pods; i++) {
      basePods.push((async () => {
        const t0 = performance.now();
        const { podSandboxId } = await rt.client.runPodSandbox({ config: { metadata: { name: `base-${i}`, namespace: 'bench', uid: `base-${i}`, attempt: 0 }, hostname: `base-${i}`, logDirectory: join(dir, 'base', String(i)) } });
        const { containerId } = await rt.client.createContainer({ podSandboxId, config: { metadata: { name: 'c', attempt: 0 }, image: { image: 'busybox' }, command: ['/bin/sleep', '3600'], logPath: 'c/0.log' } });
        await rt.client.startContainer({ containerId });
        base.push(performance.now() - t0);
      })());
      await new Promise((r) => setTimeout(r, 1000 / ratePerSec));
    }
    await Promise.all(basePods);
    for (const s of (await rt.client.listPodSandbox({})).items) await rt.client.removePodSandbox({ podSandboxId: s.id });

    const created = new Map<string, number>();
    const latency: number[] = [];
    const factory = new InformerFactory(cs, { log: quiet });
    const inf = factory.informer<Pod>('pods', { namespace: 'default' });
    let resolveAll!: () => void;
    const allRunning = new Promise<void>((r) => (resolveAll = r));
    const seen = (p: Pod) => {
      const name = p.metadata?.name ?? '';
      const t0 = created.get(name);
      if (t0 !== undefined && p.status?.phase === 'Running') {
        latency.push(performance.now() - t0);
        created.delete(name);
        if (latency.length === pods) resolveAll();
      }
    };
    inf.on({ add: seen, update: (_o, n) => seen(n) });
    await factory.start();
    const t0 = performance.now();
    for (let i = 0; i < pods; i++) {
      const name = `lat-${i}`;
      created.set(name, performance.now());
      void cs.pods.create('default', {
        metadata: { name },
        spec: { nodeName: 'bench-1', terminationGracePeriodSeconds: 0, containers: [{ name: 'c', image: 'busybox', command: ['/bin/sleep', '3600'] }] },
      }).catch((err: unknown) => console.error(`create ${name}: ${(err as Error).message}`));
      await new Promise((r) => setTimeout(r, 1000 / ratePerSec));
    }
    await Promise.race([allRunning, new Promise((r) => setTimeout(r, 120_000))]);
    const total = (performance.now() - t0) / 1000;
    factory.stop();
    const b50 = percentile(base, 50);
    const p50 = percentile(latency, 50);
    const p99 = percentile(latency, 99);
    console.log(`runtime alone (sandbox+create+start):  p50 ${b50.toFixed(0).padStart(5)} ms  p99 ${percentile(base, 99).toFixed(0).padStart(5)} ms  (${base.length} pods at ${ratePerSec}/s, straight through gRPC)`);
    console.log(`pod start-up (create → Running):        p50 ${p50.toFixed(0).padStart(5)} ms  p99 ${p99.toFixed(0).padStart(5)} ms  (${latency.length}/${pods} pods at ${ratePerSec}/s on one node, ${total.toFixed(1)} s; goal p99 ≤ 1000 ms${p99 <= 1000 ? ', met' : ', NOT met'})`);
    console.log(`through the kubelet ÷ runtime alone:     p50 ×${(p50 / b50).toFixed(2)}  p99 ×${(p99 / percentile(base, 99)).toFixed(2)}`);
    // Clean up through the kubelet: delete, then wait until the runtime has no sandboxes left.
    await Promise.all([...Array(pods).keys()].map((i) => cs.pods.delete('default', `lat-${i}`, { gracePeriodSeconds: 0 }).catch(() => undefined)));
    await waitUntil(async () => (await rt.client.listPodSandbox({})).items.length === 0, { timeoutMs: 60_000, what: 'pods to be cleaned up' }).catch(() => undefined);
  } finally {
    await kubelet.stop();
    await rt.stop();
    cs.close();
    await stopChild(api.child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `count` hollow nodes for `windowMs`; true when every heartbeat was on time. */
async function hollowStep(apiUrl: string, count: number, windowMs: number, leaseMs: number): Promise<{ onTime: boolean; late: number; renewals: number; stale: number; oldestLeaseS: number; startS: number }> {
  const cs = new Clientset({ server: apiUrl }, { userAgent: 'bench-hollow' });
  const root = mkdtempSync(join(tmpdir(), 'skiff-bench-hollow-'));
  const t0 = performance.now();
  const nodes = await startHollowNodes({ config: { server: apiUrl }, count, prefix: `h${count}-`, rootDir: root, log: quiet, overrides: { leaseIntervalMs: leaseMs, statusIntervalMs: leaseMs } });
  const startS = (performance.now() - t0) / 1000;
  try {
    await new Promise((r) => setTimeout(r, windowMs));
    const late = nodes.kubelets.reduce((n, k) => n + k.node.stats.leaseLate, 0);
    const renewals = nodes.kubelets.reduce((n, k) => n + k.node.stats.leaseRenewals, 0);
    const leases = await cs.leases.list('kube-node-lease');
    const now = Date.now();
    const mine = leases.items.filter((l) => l.metadata?.name?.startsWith(`h${count}-`));
    const ages = mine.map((l) => (now - Date.parse(l.spec?.renewTime ?? '')) / 1000);
    const stale = ages.filter((a) => a > (leaseMs * 1.5) / 1000).length;
    const onTime = late === 0 && mine.length === count && stale === 0;
    return { onTime, late, renewals, stale, oldestLeaseS: Math.max(...ages), startS };
  } finally {
    await nodes.stop();
    cs.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function hollowCapacity(etcdUrl: string, steps: number[], windowMs: number): Promise<void> {
  const api = await startApiserver(etcdUrl, '/bench-hollow/registry');
  const leaseMs = 10_000;
  let best = 0;
  try {
    for (const n of steps) {
      const r = await hollowStep(api.url, n, windowMs, leaseMs);
      console.log(`hollow nodes ${String(n).padStart(5)}: started in ${r.startS.toFixed(1)} s, ${r.renewals} lease renewals, ${r.late} late, ${r.stale} leases older than 1.5 periods (oldest ${r.oldestLeaseS.toFixed(1)} s) → ${r.onTime ? 'on time' : 'LATE'}`);
      if (!r.onTime) break;
      best = n;
    }
    console.log(`hollow-node capacity: ≥ ${best} nodes in one process with heartbeats on time (lease every ${leaseMs / 1000} s, window ${windowMs / 1000} s; apiserver in its own process)`);
  } finally {
    await stopChild(api.child);
  }
}

export async function benchKubelet(opts: { pods: number; rate: number; hollowSteps: number[]; windowMs: number }): Promise<void> {
  const etcd = await startTestEtcd();
  try {
    await startupLatency(etcd.url, opts.pods, opts.rate);
    await hollowCapacity(etcd.url, opts.hollowSteps, opts.windowMs);
  } finally {
    await etcd.stop();
  }
}
