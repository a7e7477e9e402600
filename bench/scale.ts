// Scale: a control plane as `skiff up --nodes 0 --hollow-nodes N` runs it — etcd, apiserver,
// controller-manager and scheduler each in its own process, N hollow nodes in one more — and one
// Deployment of R replicas (10m CPU, 16Mi each). Prints the time until all are available,
// pods/s, each process's CPU seconds and peak RSS, and etcd writes per pod.
// Run alone: `node dist/bench/scale.js [--quick] [--nodes N --replicas R]`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { kubeconfigYaml } from '../host/kubeconfig.js';
import { waitUntil } from '../host/process.js';
import { startTestEtcd } from '../testing/etcd.js';
import { post, startApiserverProcess } from './apiserver.js';
import { peakRssMiB, processCpuMs } from './cpu.js';

const mainJs = fileURLToPath(new URL('../cli/main.js', import.meta.url));

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

function component(args: string[]): ChildProcess {
  return spawn(process.execPath, [mainJs, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SKIFF_LOG_LEVEL: 'error' } });
}

export async function benchScale(opts: { nodes: number; replicas: number; timeoutMs: number }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-scale-'));
  const etcd = await startTestEtcd();
  const children: ChildProcess[] = [];
  try {
    const api = await startApiserverProcess(etcd.url);
    children.push(api.child);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigYaml({ server: api.url }));
    const cm = component(['controller-manager', '--kubeconfig', kubeconfig, '--port', '0', '--leader-elect', 'false']);
    const sched = component(['scheduler', '--kubeconfig', kubeconfig, '--port', '0', '--no-leader-elect']);
    const hollow = component(['hollow-nodes', '--kubeconfig', kubeconfig, '--count', String(opts.nodes), '--root-dir', join(dir, 'hollow')]);
    children.push(cm, sched, hollow);
    const procs: Record<string, number> = { etcd: etcd.pid, apiserver: api.child.pid!, 'controller-manager': cm.pid!, scheduler: sched.pid!, 'hollow-nodes': hollow.pid! };

    const t0 = performance.now();
    type NodeList = { items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }> };
    let ready = 0;
    await waitUntil(async () => {
      const nodes = await getJson<NodeList>(`${api.url}/api/v1/nodes?resourceVersion=0`).catch(() => ({ items: [] }) as NodeList);
      ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      return ready >= opts.nodes;
    }, { timeoutMs: opts.timeoutMs, what: `${opts.nodes} hollow nodes Ready` }).catch((err: Error) => {
      throw new Error(`${err.message} (${ready} Ready after ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    });
    console.log(`${opts.nodes} hollow nodes Ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const etcdClient = new Etcd3({ hosts: etcd.url });
    const revision = async () => Number((await etcdClient.get('/').exec()).header.revision);
    // Which resources the writes go to (a pod's own writes, Events, status of its owners...).
    const byResource = new Map<string, number>();
    const watcher = await etcdClient.watch().prefix('/bench/registry/').create();
    watcher.on('put', (kv) => {
      const resource = kv.key.toString().split('/')[3] ?? '?';
      byResource.set(resource, (byResource.get(resource) ?? 0) + 1);
    });
    const rev0 = await revision();
    const cpu0 = Object.fromEntries(Object.entries(procs).map(([k, pid]) => [k, processCpuMs(pid) ?? 0]));
    const start = performance.now();
    const code = await post(api.url, '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'scale' },
      spec: {
        replicas: opts.replicas, selector: { matchLabels: { app: 'scale' } },
        template: { metadata: { labels: { app: 'scale' } }, spec: { containers: [{ name: 'c', image: 'registry.local/pause:1', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
      },
    });
    if (code !== 201) throw new Error(`create Deployment: HTTP ${code}`);
    let available = 0;
    let done = false;
    await waitUntil(async () => {
      const d = await getJson<{ status?: { availableReplicas?: number } }>(`${api.url}/apis/apps/v1/namespaces/default/deployments/scale`).catch(() => ({}) as { status?: { availableReplicas?: number } });
      available = d.status?.availableReplicas ?? 0;
      return (done = available >= opts.replicas);
    }, { timeoutMs: opts.timeoutMs, what: `${opts.replicas} available replicas` }).catch(() => undefined);
    const secs = (performance.now() - start) / 1000;
    const writes = (await revision()) - rev0;
    await watcher.cancel();
    etcdClient.close();
    console.log(`deployment of ${opts.replicas} on ${opts.nodes} hollow nodes: ${done ? 'all available' : `only ${available} available`} after ${secs.toFixed(1)} s, ${(available / secs).toFixed(0)} pods/s (goal for 10,000 on 1,000: ≤ 30 s)`);
    const per = (n: number) => (n / Math.max(1, available)).toFixed(2);
    const breakdown = [...byResource].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${per(n)}`).join(', ');
    console.log(`etcd writes per pod:        ${per(writes)}  (${writes} during the rollout; by resource: ${breakdown})`);
    for (const [name, pid] of Object.entries(procs)) {
      const cpu = ((processCpuMs(pid) ?? 0) - cpu0[name]!) / 1000;
      console.log(`  ${name.padEnd(19)} CPU ${cpu.toFixed(1).padStart(6)} s   peak RSS ${(peakRssMiB(pid) ?? NaN).toFixed(0).padStart(5)} MiB`);
    }
  } finally {
    for (const c of children.reverse()) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode !== null || c.signalCode !== null ? undefined : new Promise((r) => c.once('exit', r)))));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const quick = process.argv.includes('--quick');
  const nodes = arg('--nodes') ?? (quick ? 200 : 1000);
  const replicas = arg('--replicas') ?? (quick ? 2000 : 10_000);
  benchScale({ nodes, replicas, timeoutMs: quick ? 300_000 : 900_000 }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
