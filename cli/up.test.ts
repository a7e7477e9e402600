// `skiff up` as a real process: start, lock, SIGTERM, data kept across restarts, a dying child.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { etcdPorts, runSkiff, waitForOutput, type SkiffRun } from '../testing/skiff-run.js';
import { assertPortFree, freePort } from '../host/process.js';
import { requestWithCa, type TlsRequestOptions } from '../host/tls-get.js';

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users: Array<{ user: { token?: string } }>;
}

type Run = SkiffRun;

describe('skiff up', function () {
  this.timeout(120_000);
  let home: string;
  let args: string[];
  let port: number;
  const runs: Run[] = [];
  /** A request to the apiserver as the kubeconfig's admin: https, the cluster CA, the admin token. */
  const api = (path: string, opts: TlsRequestOptions = {}) => {
    const cfg = parse(readFileSync(join(home, 'kubeconfig'), 'utf8')) as Kubeconfig;
    const ca = Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString();
    return requestWithCa(`https://127.0.0.1:${port}${path}`, { ca, token: cfg.users[0]!.user.token!, ...opts });
  };
  const start = (): Run => {
    const r = runSkiff(['up', ...args]);
    runs.push(r);
    return r;
  };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'skiff-up-'));
    port = await freePort();
    // The control plane alone: node components have their own tests and e2e.
    args = ['--home', home, '--port', String(port), '--etcd-port', String(await etcdPorts()), '--nodes', '0'];
  });
  after(async () => {
    for (const r of runs) if (r.proc.exitCode === null) r.proc.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('starts etcd and the apiserver over TLS, writes a kubeconfig, refuses a second up, stops on SIGTERM', async () => {
    const up = start();
    await waitForOutput(up, 'Press Ctrl-C to stop');
    const cfg = parse(readFileSync(join(home, 'kubeconfig'), 'utf8')) as Kubeconfig;
    assert.equal(cfg.clusters[0]?.cluster.server, `https://127.0.0.1:${port}`);
    assert.equal((await api('/readyz')).status, 200);
    assert.equal((await api('/api/v1/namespaces', { token: 'wrong' })).status, 401);
    assert.ok(up.output().includes(`export KUBECONFIG=${join(home, 'kubeconfig')}`));

    const second = start();
    assert.equal(await second.exit, 1);
    assert.match(second.output(), new RegExp(`a cluster is already running from ${home} \\(pid ${up.proc.pid}\\)`));

    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept' }, data: { a: 'b' } };
    const created = await api('/api/v1/namespaces/default/configmaps', { method: 'POST', body: JSON.stringify(cm) });
    assert.equal(created.status, 201, created.body);

    up.proc.kill('SIGTERM');
    assert.equal(await up.exit, 0, up.output());
    assert.ok(!existsSync(join(home, 'up.pid')));
    await assertPortFree(port, 'apiserver');
  });

  it('keeps the data across restarts', async () => {
    const up = start();
    await waitForOutput(up, 'Press Ctrl-C to stop');
    assert.match(up.output(), /existing cluster data/);
    const res = await api('/api/v1/namespaces/default/configmaps/kept');
    assert.equal(res.status, 200);
    assert.deepEqual((JSON.parse(res.body) as { data?: unknown }).data, { a: 'b' });
    up.proc.kill('SIGINT');
    assert.equal(await up.exit, 0, up.output());
  });

  it('refuses a snapshot schedule it cannot read, naming the flag, before starting anything', async () => {
    const r = runSkiff(['up', ...args, '--etcd-snapshot-schedule', '0 */6 * *']);
    assert.equal(await r.exit, 1);
    assert.match(r.output(), /--etcd-snapshot-schedule: a cron expression has 5 fields/);
  });

  it('restarts a component that dies, and says so', async () => {
    const up = start();
    await waitForOutput(up, 'Press Ctrl-C to stop');
    const pid = /apiserver\s+\S+\s+pid (\d+)/.exec(up.output())?.[1];
    assert.ok(pid, up.output());
    process.kill(Number(pid), 'SIGKILL');
    await waitForOutput(up, 'apiserver was killed by SIGKILL; restarting');
    await waitForOutput(up, 'apiserver is back');
    assert.equal((await api('/api/v1/namespaces/default/configmaps/kept')).status, 200);
    up.proc.kill('SIGTERM');
    assert.equal(await up.exit, 0, up.output());
    assert.match(up.output(), /stopping etcd/);
    assert.ok(!existsSync(join(home, 'up.pid')));
  });
});
