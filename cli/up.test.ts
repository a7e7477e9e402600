// `skiff up` as a real process: start, lock, SIGTERM, data kept across restarts, a dying child.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Etcd3 } from 'etcd3';
import { etcdPorts, homeApi, runSkiff, waitForOutput, type SkiffRun } from '../testing/skiff-run.js';
import { assertPortFree, freePort, sleep } from '../host/process.js';
import type { TlsRequestOptions } from '../host/tls-get.js';

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users: Array<{ user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
}

type Run = SkiffRun;

describe('skiff up', function () {
  this.timeout(120_000);
  let home: string;
  let args: string[];
  let port: number;
  const runs: Run[] = [];
  /** A request to the apiserver as the kubeconfig's admin: https, the cluster CA, the admin's client certificate. */
  const api = (path: string, opts: TlsRequestOptions = {}) => homeApi(home)(path, opts);
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

  it('encrypts Secrets at rest, rotates them to a new key, and audits writes', async () => {
    const up = start();
    await waitForOutput(up, 'Press Ctrl-C to stop');
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2-in-clear' } };
    assert.equal((await api('/api/v1/namespaces/default/secrets', { method: 'POST', body: JSON.stringify(secret) })).status, 201);
    const etcdUrl = `http://127.0.0.1:${args[args.indexOf('--etcd-port') + 1]}`;
    const stored = async () => {
      const etcd = new Etcd3({ hosts: [etcdUrl] });
      try {
        return (await etcd.get('/registry/secrets/default/db').buffer())!;
      } finally {
        etcd.close();
      }
    };
    const before = await stored();
    assert.match(before.subarray(0, 40).toString('latin1'), /^k8s:enc:aescbc:v1:key1:/);
    assert.ok(!before.includes('hunter2'));

    const status = runSkiff(['secrets-encrypt', 'status', '--home', home]);
    assert.equal(await status.exit, 0, status.output());
    assert.match(status.output(), /Encryption Status: Enabled\nConfiguration: .*\nActive key: aescbc key1\n/);
    assert.match(status.output(), /Secrets in etcd by key: key1=1/);
    const rotate = runSkiff(['secrets-encrypt', 'rotate', '--home', home]);
    assert.equal(await rotate.exit, 0, rotate.output());
    assert.match(rotate.output(), /done: 1 Secret\(s\) under key2/);
    assert.match((await stored()).subarray(0, 40).toString('latin1'), /^k8s:enc:aescbc:v1:key2:/);
    const got = JSON.parse((await api('/api/v1/namespaces/default/secrets/db')).body) as { data: { password: string } };
    assert.equal(Buffer.from(got.data.password, 'base64').toString(), 'hunter2-in-clear');

    const audit = readFileSync(join(home, 'logs', 'audit.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { verb: string; level: string; objectRef?: { resource: string; name?: string } });
    const create = audit.find((e) => e.verb === 'create' && e.objectRef?.resource === 'secrets' && e.objectRef.name === 'db');
    assert.equal(create?.level, 'Metadata');
    up.proc.kill('SIGTERM');
    assert.equal(await up.exit, 0, up.output());
  });

  it('refuses a snapshot schedule it cannot read, naming the flag, before starting anything', async () => {
    const r = runSkiff(['up', ...args, '--etcd-snapshot-schedule', '0 */6 * *']);
    assert.equal(await r.exit, 1);
    assert.match(r.output(), /--etcd-snapshot-schedule: a cron expression has 5 fields/);
  });

  it('refuses bad registry mirror flags, naming the flag, before starting anything', async () => {
    const refused = async (extra: string[], message: RegExp): Promise<void> => {
      const r = runSkiff(['up', ...args, ...extra]);
      assert.equal(await r.exit, 1, r.output());
      assert.match(r.output(), message);
      assert.doesNotMatch(r.output(), /starting etcd/);
    };
    await refused(['--registry-mirror', 'http://127.0.0.1:5000'], /--registry-mirror http:\/\/127\.0\.0\.1:5000: .*give REGISTRY=URL/);
    await refused(['--registry-mirror', 'docker.io=127.0.0.1:5000'], /--registry-mirror docker\.io=127\.0\.0\.1:5000: "127\.0\.0\.1:5000" is not a URL/);
    await refused(['--registry-mirror', 'docker.io=ftp://mirror'], /--registry-mirror docker\.io=ftp:\/\/mirror: the URL must be http:\/\/ or https:\/\//);
    await refused(['--registry-config', join(home, 'no-such.yaml')], /--registry-config .*no-such\.yaml: ENOENT/);
    await refused(['--registry-config', join(home, 'no-such.yaml'), '--registry-mirror', 'docker.io=http://127.0.0.1:5000'], /not both/);
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
