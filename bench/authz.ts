// Authorization cost: apiserver CPU per create for a user RBAC must judge (bound to `edit` in the
// namespace, among the bootstrap policy's bindings) against a system:masters user, whom the
// authorizer lets through before RBAC — the same server, the same run, rounds interleaved.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, httpOk, waitUntil } from '../host/process.js';
import { startTestEtcd } from '../testing/etcd.js';
import { processCpuMs } from './cpu.js';

const mainJs = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

function post(base: string, token: string, path: string, body: unknown): Promise<number> {
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

export async function benchAuthz(opts: { creates: number; rounds: number; concurrency: number }): Promise<void> {
  const etcd = await startTestEtcd();
  const dir = mkdtempSync(join(tmpdir(), 'skiff-bench-authz-'));
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, 'admin-token,root,root,"system:masters"\nbob-token,bob,bob\n');
  const port = await freePort();
  const child = spawn(process.execPath, [mainJs, 'apiserver', '--etcd-servers', etcd.url, '--port', String(port), '--etcd-prefix', '/bench-authz/registry', '--token-auth-file', tokens, '--max-mutating-requests-inflight', '0'], {
    stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitUntil(() => httpOk(`${base}/readyz`), { timeoutMs: 30_000, what: 'the apiserver to be ready' });
    await post(base, 'admin-token', '/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings', {
      metadata: { name: 'bob-edit' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'bob' }],
    });
    let n = 0;
    const cm = () => ({ metadata: { name: `cm-${n++}` }, data: { 'config.yaml': 'x'.repeat(256) } });
    await waitUntil(async () => (await post(base, 'bob-token', '/api/v1/namespaces/default/configmaps', cm())) === 201, { timeoutMs: 10_000, what: 'bob to be bound' });
    const phase = async (token: string): Promise<number> => {
      const before = processCpuMs(child.pid!) ?? 0;
      let next = 0;
      let failed = 0;
      await Promise.all(Array.from({ length: opts.concurrency }, async () => {
        while (next++ < opts.creates) if ((await post(base, token, '/api/v1/namespaces/default/configmaps', cm())) !== 201) failed++;
      }));
      if (failed > 0) throw new Error(`${failed} creates failed`);
      return (processCpuMs(child.pid!) ?? 0) - before;
    };
    await phase('admin-token'); // warm-up
    let masters = 0;
    let rbac = 0;
    for (let r = 0; r < opts.rounds; r++) {
      masters += await phase('admin-token');
      rbac += await phase('bob-token');
    }
    const per = (ms: number) => (ms * 1000) / (opts.creates * opts.rounds);
    console.log(`apiserver CPU per create, system:masters (RBAC not consulted): ${per(masters).toFixed(0).padStart(5)} µs`);
    console.log(`apiserver CPU per create, RBAC-authorized user:               ${per(rbac).toFixed(0).padStart(5)} µs  (${opts.rounds} × ${opts.creates} creates each)`);
    console.log(`RBAC on ÷ off:                                                ${(rbac / masters).toFixed(3).padStart(6)}   (goal ≤ 1.05)`);
  } finally {
    child.kill('SIGTERM');
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
