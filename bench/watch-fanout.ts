// Watch fan-out as kubelets cause it: W watchers of pods, each with fieldSelector
// spec.nodeName=<its node>, and P pods created bound round-robin to those nodes. Prints the
// apiserver's CPU per pod and the time until every watcher saw its pods. With
// SKIFF_BENCH_BASE=<dir of another build's dist> the same run measures that build too, so the
// figure is a ratio from one run on one machine.
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '../host/process.js';
import { startTestEtcd } from '../testing/etcd.js';
import { pool, post, startApiserverProcess } from './apiserver.js';
import { peakRssMiB, processCpuMs } from './cpu.js';

const mainJs = fileURLToPath(new URL('../cli/main.js', import.meta.url));

function pod(i: number, nodes: number): Record<string, unknown> {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `fan-${i}`, labels: { app: 'fan' } },
    spec: { nodeName: `node-${i % nodes}`, containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
  };
}

async function oneBuild(main: string, watchers: number, pods: number): Promise<{ cpuMsPerPod: number; secs: number; delivered: number; peakRss: number }> {
  const etcd = await startTestEtcd();
  let api: { url: string; child: ChildProcess } | undefined;
  const streams: { destroy(): void }[] = [];
  try {
    api = await startApiserverProcess(etcd.url, main);
    const base = api.url;
    let delivered = 0;
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    await Promise.all(
      Array.from({ length: watchers }, (_, n) =>
        new Promise<void>((resolve, reject) => {
          const req = request(`${base}/api/v1/pods?watch=true&resourceVersion=1&fieldSelector=spec.nodeName%3Dnode-${n}`, { agent }, (res) => {
            resolve();
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              for (let at = chunk.indexOf('"ADDED"'); at >= 0; at = chunk.indexOf('"ADDED"', at + 1)) delivered++;
            });
            res.on('error', () => undefined);
          });
          req.on('error', reject);
          streams.push(req);
          req.end();
        }),
      ),
    );
    const pid = api.child.pid!;
    const cpu0 = processCpuMs(pid) ?? 0;
    const t0 = performance.now();
    await pool(pods, 32, async (i) => {
      const code = await post(base, '/api/v1/namespaces/default/pods', pod(i, watchers));
      if (code !== 201) throw new Error(`create pod: HTTP ${code}`);
    });
    await waitUntil(async () => delivered >= pods, { timeoutMs: 120_000, what: 'every watcher to see its pods' }).catch(() => undefined);
    const secs = (performance.now() - t0) / 1000;
    const cpu = (processCpuMs(pid) ?? 0) - cpu0;
    return { cpuMsPerPod: cpu / pods, secs, delivered, peakRss: peakRssMiB(pid) ?? NaN };
  } finally {
    streams.forEach((s) => s.destroy());
    api?.child.kill('SIGTERM');
    await etcd.stop();
  }
}

export async function benchWatchFanout(opts: { watchers: number; pods: number }): Promise<void> {
  const baseDir = process.env.SKIFF_BENCH_BASE;
  const builds: Array<[string, string]> = [['this build', mainJs]];
  if (baseDir) builds.unshift(['base build', `${baseDir.replace(/\/$/, '')}/cli/main.js`]);
  const results: Array<{ cpu: number; rss: number }> = [];
  for (const [name, main] of builds) {
    const r = await oneBuild(main, opts.watchers, opts.pods);
    results.push({ cpu: r.cpuMsPerPod, rss: r.peakRss });
    console.log(`${name}: apiserver CPU per pod ${r.cpuMsPerPod.toFixed(2).padStart(6)} ms, peak RSS ${r.peakRss.toFixed(0)} MiB, ${opts.pods} pods seen by ${opts.watchers} node watchers in ${r.secs.toFixed(1)} s (${r.delivered}/${opts.pods} delivered)`);
  }
  const [base, now] = results;
  if (base && now) console.log(`this ÷ base: CPU per pod ${(now.cpu / base.cpu).toFixed(2)}, peak RSS ${(now.rss / base.rss).toFixed(2)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  benchWatchFanout(quick ? { watchers: 200, pods: 1000 } : { watchers: 1000, pods: 3000 }).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
