// The controller manager as an operator runs it: `node bin/skiff.js controller-manager` processes
// against a test apiserver. Two of them: only the leader works; kill -9 the leader and the other
// takes over; SIGTERM exits 0 and releases the lease.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnLogged, type Child } from '../host/process.js';
import { Clientset } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { eventually, podSpec, setPodStatus } from './support.testkit.js';

const skiffBin = fileURLToPath(new URL('../../bin/skiff.js', import.meta.url));

describe('skiff controller-manager', function () {
  this.timeout(90_000);
  let server: TestApiServer;
  let cs: Clientset;
  let dir: string;
  const children: Child[] = [];

  before(async () => {
    server = await startTestApiServer();
    cs = new Clientset({ server: server.url });
    dir = mkdtempSync(join(tmpdir(), 'skiff-cm-'));
    writeFileSync(join(dir, 'kubeconfig'), [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      `clusters: [{name: t, cluster: {server: "${server.url}"}}]`,
      'users: [{name: t, user: {}}]', 'contexts: [{name: t, context: {cluster: t, user: t}}]', '',
    ].join('\n'));
  });
  after(async () => {
    await Promise.all(children.map((c) => c.stop(2000)));
    cs?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(name: string): Promise<{ child: Child; port: number; identity: () => string }> {
    const port = await freePort();
    const child = await spawnLogged({
      name, command: process.execPath, logFile: join(dir, `${name}.log`),
      args: [skiffBin, 'controller-manager', '--kubeconfig', join(dir, 'kubeconfig'), '--port', String(port), '--leader-elect=true'],
      env: { ...process.env, SKIFF_LOG_LEVEL: 'info' },
    });
    children.push(child);
    const identity = (): string => {
      const line = readFileSync(child.logFile, 'utf8').split('\n').find((l) => l.includes('controller manager starting'));
      return line ? (JSON.parse(line) as { identity: string }).identity : '';
    };
    await eventually(`${name} serving /healthz`, async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 20_000);
    return { child, port, identity };
  }

  const holder = async (): Promise<string> => (await cs.leases.get('kube-system', 'kube-controller-manager')).spec?.holderIdentity ?? '';
  const metrics = async (port: number): Promise<string> => (await fetch(`http://127.0.0.1:${port}/metrics`)).text();

  async function serviceWithPod(name: string, ip: string): Promise<void> {
    await cs.services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: name }, ports: [{ port: 80 }] } });
    await cs.pods.create('default', podSpec(name, { app: name }));
    await setPodStatus(cs, 'default', name, ip, true);
  }
  const endpointsOf = async (name: string): Promise<string[]> =>
    ((await cs.endpoints.get('default', name)).subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));

  it('only the leader acts; kill -9 of the leader hands over; SIGTERM releases the lease', async () => {
    const a = await start('cm-a');
    await eventually('cm-a leads', async () => (await holder()) === a.identity() && a.identity() !== '', 20_000);
    const b = await start('cm-b');
    assert.ok(b.identity() && b.identity() !== a.identity());
    assert.equal((await fetch(`http://127.0.0.1:${b.port}/readyz`)).status, 200, 'a standby is ready');

    await serviceWithPod('first', '10.244.3.1');
    await eventually('endpoints from the leader', async () => (await endpointsOf('first')).includes('10.244.3.1'), 20_000);
    await eventually('leader metrics', async () => {
      const m = await metrics(a.port);
      return /leader_election_master_status\{name="kube-controller-manager"\} 1/.test(m) && /controller_reconcile_total\{controller="endpoints",outcome="done"\} [1-9]/.test(m);
    });
    const standby = await metrics(b.port);
    assert.match(standby, /leader_election_master_status\{name="kube-controller-manager"\} 0/);
    assert.doesNotMatch(standby, /controller_reconcile_total\{/, 'the standby reconciles nothing');
    assert.equal(await holder(), a.identity());

    const killedAt = Date.now();
    process.kill(a.child.pid, 'SIGKILL');
    await a.child.exited;
    await eventually('cm-b takes over', async () => (await holder()) === b.identity(), 25_000);
    const takeover = Date.now() - killedAt;
    assert.ok(takeover < 20_000, `took over after ${takeover} ms`);
    await serviceWithPod('second', '10.244.3.2');
    await eventually('endpoints from the new leader', async () => (await endpointsOf('second')).includes('10.244.3.2'), 20_000);

    process.kill(b.child.pid, 'SIGTERM');
    const exit = await b.child.exited;
    assert.equal(exit.code, 0, b.child.tail());
    assert.equal(await holder(), '', 'lease released on shutdown');
    console.log(`      failover after kill -9: ${takeover} ms`);
  });
});
