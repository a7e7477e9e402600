// pods/log, pods/exec and pods/portforward through the apiserver's node proxy to a (hollow)
// kubelet, with the real kubectl when it is installed, and the kubelet token checked on the way.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet, createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer, type ApiServer } from '../apiserver/index.js';
import { Clientset } from '../client/index.js';
import { testEtcdUrl } from '../testing/etcd.js';
import { FakeRuntime } from './fake-runtime.js';
import { Kubelet } from './kubelet.js';
import { pod, waitFor, writeKubeconfig } from './support.testkit.js';

const run = promisify(execFile);

async function hasKubectl(): Promise<boolean> {
  return run('kubectl', ['version', '--client']).then(() => true, () => false);
}

describe('apiserver node proxy → kubelet (hollow runtime)', function () {
  this.timeout(40_000);
  let api: ApiServer;
  let cs: Clientset;
  let kubelet: Kubelet;
  let fake: FakeRuntime;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-proxy-'));
    writeFileSync(join(dir, 'token'), 'node-secret\n');
    api = await startApiServer({ etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: `/t-proxy-${Date.now()}/registry`, kubeletClientTokenFile: join(dir, 'token') });
    cs = new Clientset({ server: api.url });
    fake = new FakeRuntime();
    fake.execHandler = (_id, cmd) => ({ exitCode: cmd[0] === 'false' ? 1 : 0, stdout: cmd[0] === 'cat' ? 'web\n' : '' });
    kubelet = new Kubelet({
      clientset: cs, nodeName: 'node-1', runtime: fake, rootDir: join(dir, 'root'), address: '127.0.0.1', port: 0, hollow: true,
      authToken: 'node-secret', bindAddress: '127.0.0.1', relistMs: 50,
    });
    await kubelet.start();
    await cs.pods.create('default', pod('web', [{ name: 'app' }]));
    await waitFor('running', async () => (await cs.pods.get('default', 'web')).status?.phase === 'Running');
  });
  after(async () => {
    await kubelet.stop();
    fake.close();
    cs.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves pods/log from the kubelet', async () => {
    assert.equal(await cs.pods.logs('default', 'web', { container: 'app' }), 'started app\n');
    assert.equal(await cs.pods.logs('default', 'web'), 'started app\n');
    await assert.rejects(cs.pods.logs('default', 'web', { container: 'nope' }), /container nope is not valid/);
    await assert.rejects(cs.pods.logs('default', 'missing'), (err: { code?: number }) => err.code === 404);
  });

  it('kubectl logs and kubectl exec work through the apiserver', async function () {
    if (!(await hasKubectl())) this.skip();
    const kc = writeKubeconfig(dir, api.url);
    const logs = await run('kubectl', ['--kubeconfig', kc, 'logs', 'web']);
    assert.equal(logs.stdout, 'started app\n');
    const ex = await run('kubectl', ['--kubeconfig', kc, 'exec', 'web', '--', 'cat', '/etc/hostname']);
    assert.equal(ex.stdout, 'web\n');
    await assert.rejects(run('kubectl', ['--kubeconfig', kc, 'exec', 'web', '--', 'false']), (err: { code?: number; stderr?: string }) => err.code === 1);
  });

  it('kubectl logs -f streams new lines until the container stops', async function () {
    if (!(await hasKubectl())) this.skip();
    const kc = writeKubeconfig(dir, api.url);
    const [id] = fake.running('app');
    const child = spawn('kubectl', ['--kubeconfig', kc, 'logs', '-f', 'web'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    await waitFor('first line', () => out.includes('started app\n'));
    appendFileSync(fake.containers.get(id!)!.logPath, `${new Date().toISOString()} stdout F streamed line\n`);
    await waitFor('streamed line', () => out.includes('streamed line\n'));
    fake.exit(id!, 0);
    assert.equal(await exited, 0);
    assert.equal(out, 'started app\nstreamed line\n');
  });

  it('kubectl port-forward reaches the pod through apiserver and kubelet, several connections at once', async function () {
    if (!(await hasKubectl())) this.skip();
    // The "pod" serves on loopback: its sandbox is given 127.0.0.1, which the kubelet dials.
    const server = createHttpServer((q, s) => setTimeout(() => s.end(`pod says ${q.url}`), 100));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const podPort = (server.address() as AddressInfo).port;
    fake.fixedIp = '127.0.0.1';
    await cs.pods.create('default', pod('fwd', [{ name: 'app' }]));
    await waitFor('fwd running with its IP', async () => (await cs.pods.get('default', 'fwd')).status?.podIP === '127.0.0.1');
    const kc = writeKubeconfig(dir, api.url);
    const child = spawn('kubectl', ['--kubeconfig', kc, 'port-forward', 'pod/fwd', `:${podPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitFor('kubectl to listen', () => /Forwarding from 127\.0\.0\.1:\d+/.test(out));
      const local = Number(/Forwarding from 127\.0\.0\.1:(\d+)/.exec(out)![1]);
      const get = (path: string) =>
        new Promise<string>((resolve, reject) => {
          httpGet({ host: '127.0.0.1', port: local, path, agent: false }, (res) => {
            let body = '';
            res.on('data', (d: Buffer) => (body += d.toString()));
            res.on('end', () => resolve(body));
          }).on('error', reject);
        });
      const bodies = await Promise.all([1, 2, 3, 4, 5].map((i) => get(`/n${i}`)));
      assert.deepEqual(bodies, [1, 2, 3, 4, 5].map((i) => `pod says /n${i}`), err);
      assert.equal(await get('/later'), 'pod says /later');
    } finally {
      child.kill('SIGTERM');
      server.close();
      fake.fixedIp = undefined;
    }
  });
});
