// The proxy against real iptables in test-made network namespaces, fed by a real apiserver.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EndpointSlice, Service } from '../api/index.js';
import { freePort } from '../host/process.js';
import { Clientset, createLogger } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { HostCommands, Iptables } from './iptables.js';
import { canMakeNetns, connectScript, fetchScript, makeNodeNet, type NodeNetFixture } from './netns.testkit.js';
import { startProxy, type RunningProxy } from './proxy.js';
import { ownLines } from './rules.js';
import { waitFor } from '../testing/wait.js';

const until = <T>(what: string, fn: () => Promise<T | undefined | false>, ms = 5000): Promise<T> => waitFor(what, fn, ms, 50);

function sliceFor(service: string, pods: Array<{ ip: string; ready: boolean }>): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: `${service}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: pods.map((p) => ({ addresses: [p.ip], conditions: { ready: p.ready } })),
  };
}

describe('skiff proxy in a network namespace (root)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let cs: Clientset;
  let net: NodeNetFixture;
  let proxy: RunningProxy | undefined;
  let ipt: Iptables;
  let web: Service;
  const log = createLogger('proxy-test', 'warn');

  const ours = async (): Promise<string[]> => ownLines(await ipt.save());
  const get = async (ns: string, url: string, n: number): Promise<Record<string, number>> => JSON.parse(await net.script(ns, fetchScript(url, n))) as Record<string, number>;

  before(async function () {
    if (!canMakeNetns()) this.skip();
    api = await startTestApiServer();
    cs = new Clientset({ server: api.url });
    net = await makeNodeNet(3);
    ipt = new Iptables(new HostCommands(net.node));
    const node = await cs.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' } });
    await cs.nodes.updateStatus({ ...node, status: { addresses: [{ type: 'InternalIP', address: net.nodeIP }], conditions: [{ type: 'Ready', status: 'True' }] } });
    web = await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    await cs.endpointSlices.create('default', sliceFor('web', net.pods.map((p) => ({ ip: p.ip, ready: true }))));
    proxy = await startProxy({ clientset: cs, nodeName: 'n1', netns: net.node, mode: 'iptables', minSyncIntervalMs: 50, log });
    await proxy.synced();
  });

  after(async () => {
    await proxy?.stop();
    await net?.destroy();
    await api?.close();
  });

  it('spreads 200 requests to the ClusterIP over every backend, from the node and from a pod', async () => {
    const vip = web.spec?.clusterIP ?? '';
    const fromNode = await get(net.node, `http://${vip}/`, 200);
    assert.deepEqual(Object.keys(fromNode).sort(), ['pod-0', 'pod-1', 'pod-2'], JSON.stringify(fromNode));
    for (const n of Object.values(fromNode)) assert.ok(n >= 20, `uneven spread ${JSON.stringify(fromNode)}`);
    // From a pod, including itself (hairpin).
    const fromPod = await get(net.pods[0]?.ns ?? '', `http://${vip}/`, 60);
    assert.deepEqual(Object.keys(fromPod).sort(), ['pod-0', 'pod-1', 'pod-2'], JSON.stringify(fromPod));
  });

  it('serves the NodePort on the node address to an outside client', async () => {
    const res = await get(net.client, `http://${net.nodeIP}:${web.spec?.ports?.[0]?.nodePort ?? 0}/`, 60);
    assert.deepEqual(Object.keys(res).sort(), ['pod-0', 'pod-1', 'pod-2'], JSON.stringify(res));
  });

  it('stops sending to an endpoint within 5 s of it becoming not ready', async () => {
    const slice = await cs.endpointSlices.get('default', 'web-1');
    const t0 = Date.now();
    await cs.endpointSlices.update({ ...slice, endpoints: net.pods.map((p, i) => ({ addresses: [p.ip], conditions: { ready: i !== 2 } })) });
    await until('pod-2 to get no traffic', async () => {
      const res = await get(net.node, `http://${web.spec?.clusterIP ?? ''}/`, 30);
      return res['pod-2'] === undefined && res['pod-0'] !== undefined && res['pod-1'] !== undefined;
    });
    assert.ok(Date.now() - t0 < 5000, `took ${Date.now() - t0} ms`);
  });

  it('refuses connections quickly to a Service without endpoints and to an unallocated VIP', async () => {
    const empty = await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: 'default' },
      spec: { selector: { app: 'none' }, ports: [{ name: 'http', port: 80 }] },
    });
    const vip = empty.spec?.clusterIP ?? '';
    await until('a REJECT rule for the empty Service', async () => (await ours()).some((l) => l.includes(`-d ${vip}/32`) && l.includes('REJECT')));
    for (const [host, who] of [[vip, 'empty Service'], ['10.96.250.250', 'unallocated VIP']] as const) {
      for (const ns of [net.node, net.pods[0]?.ns ?? '']) {
        const r = JSON.parse(await net.script(ns, connectScript(host, 80))) as { code: string; ms: number };
        assert.equal(r.code, 'ECONNREFUSED', `${who} from ${ns}: ${JSON.stringify(r)}`);
        assert.ok(r.ms < 1000, `${who} took ${r.ms} ms to refuse`);
      }
    }
  });

  it('rebuilds identical rules after a crash (kill -9 of skiff proxy) and removes them on SIGTERM', async () => {
    const before = await ours();
    assert.ok(before.some((l) => l.includes('SKIFF-SVC-')), 'rules present');
    await proxy?.stop({ cleanup: false });
    proxy = undefined;
    const dir = mkdtempSync(join(tmpdir(), 'skiff-proxy-test-'));
    const children: ChildProcess[] = [];
    try {
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\nclusters: [{name: t, cluster: {server: "${api.url}"}}]\nusers: [{name: t, user: {}}]\ncontexts: [{name: t, context: {cluster: t, user: t}}]\ncurrent-context: t\n`);
      const metricsPort = await freePort();
      const main = new URL('../cli/proxy.js', import.meta.url).pathname;
      const start = (): ChildProcess => {
        const code = `const { proxyCommand } = await import(${JSON.stringify(main)}); await proxyCommand().parseAsync(process.argv.slice(1), { from: 'user' });`;
        const c = spawn(process.execPath, ['--input-type=module', '-e', code, '--', '--kubeconfig', kubeconfig, '--node-name', 'n1', '--netns', net.node, '--metrics-port', String(metricsPort), '--metrics-bind-address', '127.0.0.1'], {
          stdio: ['ignore', 'ignore', 'inherit'],
          env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
        });
        children.push(c);
        return c;
      };
      // Scribble over one of our chains, as a stale leftover would look.
      await ipt.cmd.run('iptables', ['-t', 'nat', '-A', 'SKIFF-SERVICES', '-d', '10.96.99.99/32', '-j', 'RETURN']);
      const first = start();
      await until('the process to rewrite the rules', async () => JSON.stringify(await ours()) === JSON.stringify(before), 15_000).catch(async (err: Error) => {
        assert.deepEqual(await ours(), before, err.message);
      });
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      assert.deepEqual(await ours(), before, 'a killed proxy leaves its rules in place');
      const second = start();
      await until('the restarted process to be ready', async () => (await fetch(`http://127.0.0.1:${metricsPort}/readyz`)).ok, 10_000);
      assert.deepEqual(await ours(), before);
      const exited = new Promise<number | null>((r) => second.once('exit', (code) => r(code)));
      second.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.deepEqual(await ours(), [], 'SIGTERM removes every chain and hook of ours');
    } finally {
      for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
    proxy = await startProxy({ clientset: cs, nodeName: 'n1', netns: net.node, mode: 'iptables', minSyncIntervalMs: 50, log });
    await proxy.synced();
    assert.deepEqual(await ours(), before);
  });

  it('removes a deleted Service’s rules', async () => {
    await cs.services.delete('default', 'web');
    await until('web rules to go', async () => !(await ours()).some((l) => l.includes('default/web:http')));
    const r = JSON.parse(await net.script(net.node, connectScript(web.spec?.clusterIP ?? '', 80))) as { code: string };
    assert.equal(r.code, 'ECONNREFUSED');
  });
});
