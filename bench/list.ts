// Listing N pods as `kubectl get pods -A` does (pages of 500, as a Table) and as an informer
// relists (one JSON list), each from etcd (a consistent read) and from the watch cache
// (resourceVersion=0), against the baseline of a raw etcd range read of the same keys in
// pages of 500 through the same client library, in the same run.
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { Etcd3 } from 'etcd3';
import { prefixEnd } from '../apiserver/storage/store.js';
import { startTestEtcd } from '../testing/etcd.js';
import { pool, post, startApiserverProcess } from './apiserver.js';
import { processCpuMs } from './cpu.js';

const prefix = '/bench/registry';
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function get(url: string, accept = 'application/json'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers: { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    }).on('error', reject).end();
  });
}

/** Every page of a list; returns the item count. */
async function listAll(base: string, query: string, accept?: string): Promise<number> {
  let items = 0;
  let token = '';
  do {
    const r = await get(`${base}/api/v1/pods?${query}${token ? `&continue=${encodeURIComponent(token)}` : ''}`, accept);
    if (r.status !== 200) throw new Error(`list: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    const body = JSON.parse(r.body) as { items?: unknown[]; rows?: unknown[]; metadata: { continue?: string } };
    items += (body.items ?? body.rows ?? []).length;
    token = body.metadata.continue ?? '';
  } while (token);
  return items;
}

async function rawRange(etcdUrl: string): Promise<number> {
  const client = new Etcd3({ hosts: etcdUrl });
  try {
    let n = 0;
    let start = Buffer.from(`${prefix}/pods/`);
    const end = prefixEnd(`${prefix}/pods/`);
    for (;;) {
      const res = await client.kv.range({ key: start, range_end: end, limit: 500 });
      n += res.kvs.length;
      if (!res.more || res.kvs.length === 0) return n;
      start = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  } finally {
    client.close();
  }
}

/** Best of `runs`: wall ms, and the apiserver's CPU ms for the same call. */
async function timed(runs: number, pid: number | undefined, f: () => Promise<number>): Promise<{ ms: number; cpuMs: number; n: number }> {
  let best = { ms: Infinity, cpuMs: Infinity, n: 0 };
  for (let i = 0; i < runs; i++) {
    const cpu0 = pid ? processCpuMs(pid) ?? 0 : 0;
    const t0 = performance.now();
    const n = await f();
    const ms = performance.now() - t0;
    const cpuMs = pid ? (processCpuMs(pid) ?? 0) - cpu0 : 0;
    if (ms < best.ms) best = { ms, cpuMs, n };
  }
  return best;
}

export async function benchList(opts: { pods: number }): Promise<void> {
  const etcd = await startTestEtcd();
  let api: { url: string; child: ChildProcess } | undefined;
  try {
    api = await startApiserverProcess(etcd.url);
    const base = api.url;
    await pool(opts.pods, 32, async (i) => {
      const code = await post(base, '/api/v1/namespaces/default/pods', {
        apiVersion: 'v1', kind: 'Pod',
        metadata: { name: `list-${i}`, labels: { app: 'list' } },
        spec: { nodeName: `node-${i % 100}`, containers: [{ name: 'c', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      });
      if (code !== 201) throw new Error(`create pod: HTTP ${code}`);
    });
    const pid = api.child.pid;
    const raw = await timed(3, undefined, () => rawRange(etcd.url));
    const rows: Array<[string, { ms: number; cpuMs: number; n: number }]> = [
      ['kubectl get pods -A (Table, limit=500), etcd', await timed(3, pid, () => listAll(base, 'limit=500', tableAccept))],
      ['same, resourceVersion=0 (watch cache)', await timed(3, pid, () => listAll(base, 'limit=500&resourceVersion=0', tableAccept))],
      ['informer relist (JSON, limit=500), etcd', await timed(3, pid, () => listAll(base, 'limit=500'))],
      ['same, resourceVersion=0 (watch cache)', await timed(3, pid, () => listAll(base, 'limit=500&resourceVersion=0'))],
      ['one list, no limit, resourceVersion=0', await timed(3, pid, () => listAll(base, 'resourceVersion=0'))],
    ];
    console.log(`raw etcd range, pages of 500:             ${raw.ms.toFixed(0).padStart(6)} ms  (${raw.n} pods)`);
    for (const [what, r] of rows) {
      console.log(`${what.padEnd(42)} ${r.ms.toFixed(0).padStart(6)} ms  ×${(r.ms / raw.ms).toFixed(2)} raw, apiserver CPU ${r.cpuMs.toFixed(0)} ms (${r.n} items)`);
    }
  } finally {
    api?.child.kill('SIGTERM');
    await etcd.stop();
  }
}
