// API server benchmarks: creates/s through the apiserver against raw etcd puts/s from the
// same client library (same value size and concurrency, same run), and watch delivery latency
// with many concurrent watchers.
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { freePort, httpOk, waitUntil } from '../cli/process.js';
import { startTestEtcd } from '../testing/etcd.js';

const mainJs = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface BenchOptions {
  creates: number;
  concurrency: number;
  watchers: number;
  watchEvents: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Run `total` tasks with `concurrency` in flight; returns elapsed seconds. */
export async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await task(next++);
    }),
  );
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function configMap(name: string, at?: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, labels: { app: 'bench', tier: 'load' }, ...(at !== undefined ? { annotations: { 'bench/sent-ms': String(at) } } : {}) },
    data: { 'config.yaml': 'x'.repeat(256), mode: 'bench' },
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function post(base: string, path: string, body: unknown): Promise<number> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

export async function startApiserverProcess(etcdUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs, 'apiserver', '--etcd-servers', etcdUrl, '--port', String(port), '--etcd-prefix', '/bench/registry'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(() => httpOk(`${url}/readyz`), { timeoutMs: 30_000, what: 'the apiserver to be ready' });
  return { url, child };
}

export async function benchApiserver(opts: BenchOptions): Promise<void> {
  const etcd = await startTestEtcd();
  let api: { url: string; child: ChildProcess } | undefined;
  try {
    // Baseline: raw etcd puts of the same JSON, same concurrency, same client library.
    const client = new Etcd3({ hosts: etcd.url });
    const value = JSON.stringify(configMap('raw-000000'));
    await pool(200, opts.concurrency, (i) => client.put(`/warm/${i}`).value(value).exec().then(() => undefined));
    const rawSecs = await pool(opts.creates, opts.concurrency, (i) => client.put(`/raw/${i}`).value(value).exec().then(() => undefined));
    const rawRate = opts.creates / rawSecs;
    client.close();

    api = await startApiserverProcess(etcd.url);
    const base = api.url;
    await pool(200, opts.concurrency, (i) => post(base, '/api/v1/namespaces/default/configmaps', configMap(`warm-${i}`)).then(() => undefined));
    let failures = 0;
    const apiSecs = await pool(opts.creates, opts.concurrency, async (i) => {
      const code = await post(base, '/api/v1/namespaces/default/configmaps', configMap(`cm-${i}`));
      if (code !== 201) failures++;
    });
    const apiRate = opts.creates / apiSecs;
    console.log(`raw etcd puts:              ${rawRate.toFixed(0).padStart(7)} /s  (${opts.creates} puts, concurrency ${opts.concurrency}, ${value.length}-byte values)`);
    console.log(`apiserver creates:          ${apiRate.toFixed(0).padStart(7)} /s  (${opts.creates} ConfigMaps, ${failures} failed)`);
    console.log(`creates/s ÷ raw puts/s:     ${(apiRate / rawRate).toFixed(2).padStart(7)}     (goal ≥ 0.60)`);

    await benchWatch(base, opts.watchers, opts.watchEvents);
  } finally {
    api?.child.kill('SIGTERM');
    await etcd.stop();
  }
}

/** N watchers on one namespace; objects created at a steady pace carry their send time. */
async function benchWatch(base: string, watchers: number, events: number): Promise<void> {
  await post(base, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watch-bench' } });
  const latencies: number[] = [];
  const streams: { destroy(): void }[] = [];
  let established = 0;
  const watchAgent = new Agent({ keepAlive: false, maxSockets: Infinity });
  await Promise.all(
    Array.from({ length: watchers }, () =>
      new Promise<void>((resolve, reject) => {
        const req = request(`${base}/api/v1/namespaces/watch-bench/configmaps?watch=true`, { agent: watchAgent }, (res) => {
          established++;
          resolve();
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const now = Date.now();
            buf += chunk;
            let nl;
            while ((nl = buf.indexOf('\n')) >= 0) {
              const lineText = buf.slice(0, nl);
              buf = buf.slice(nl + 1);
              const m = /"bench\/sent-ms":"(\d+)"/.exec(lineText);
              if (m) latencies.push(now - Number(m[1]));
            }
          });
          res.on('error', () => undefined);
        });
        req.on('error', reject);
        streams.push(req);
        req.end();
      }),
    ),
  );
  const want = watchers * events;
  for (let i = 0; i < events; i++) {
    await post(base, '/api/v1/namespaces/watch-bench/configmaps', configMap(`w-${i}`, Date.now()));
    await new Promise((r) => setTimeout(r, 20)); // a steady 50 objects/s, not a burst
  }
  await waitUntil(async () => latencies.length >= want, { timeoutMs: 60_000, what: 'every watcher to receive every event' }).catch(() => undefined);
  streams.forEach((s) => s.destroy());
  const sorted = latencies.sort((a, b) => a - b);
  console.log(
    `watch delivery latency:     p50 ${percentile(sorted, 50)} ms, p99 ${percentile(sorted, 99)} ms  (${established} watchers × ${events} events, ${sorted.length}/${want} delivered)`,
  );
}
