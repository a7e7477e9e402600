// The kubelet driving the real runtime process (`skiff runtime`: runc + conmon + CNI) against an
// in-process apiserver: readiness over HTTP to the pod IP, logs and exec through the apiserver
// with the real kubectl, configMap volumes, liveness restarts, OOMKilled. Needs root, runc,
// conmon and the CNI plugins; skipped with the reason otherwise.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer, type ApiServer } from '../apiserver/index.js';
import { Clientset } from '../client/index.js';
import { testEtcdUrl } from '../testing/etcd.js';
import { Kubelet } from './kubelet.js';
import { pod, realRuntimeMissing, startRealRuntime, waitFor, writeKubeconfig, type RealRuntime } from './support.testkit.js';

const run = promisify(execFile);

/** Refuses to connect unless the pod IP is routed on this machine through our bridge. */
function assertLocalRoute(ip: string, bridge: string): void {
  const route = execFileSync('ip', ['route', 'get', ip], { encoding: 'utf8' });
  assert.match(route, new RegExp(`dev ${bridge}\\b`), `pod IP ${ip} is not on the local bridge: ${route}`);
}

describe('kubelet with the real runtime (runc + conmon + CNI)', function () {
  this.timeout(120_000);
  let api: ApiServer;
  let cs: Clientset;
  let rt: RealRuntime | undefined;
  let kubelet: Kubelet | undefined;
  let dir: string;
  let kc: string;

  before(async function () {
    const missing = realRuntimeMissing();
    if (missing) {
      console.log(`    (skipped: the real runtime needs root, runc, conmon, CNI plugins, kubectl: ${missing})`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-real-'));
    writeFileSync(join(dir, 'token'), 'real-node-token');
    api = await startApiServer({ etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: `/t-kreal-${Date.now()}/registry`, kubeletClientTokenFile: join(dir, 'token') });
    cs = new Clientset({ server: api.url });
    kc = writeKubeconfig(dir, api.url);
    rt = await startRealRuntime(dir);
    kubelet = new Kubelet({
      clientset: cs, nodeName: 'real-1', runtime: rt.client, rootDir: join(dir, 'kubelet'), address: '127.0.0.1', port: 0,
      authToken: 'real-node-token', bindAddress: '127.0.0.1', statusIntervalMs: 500, relistMs: 200,
    });
    await kubelet.start();
    await cs.nodes.patch(undefined, 'real-1', { spec: { podCIDR: '10.244.253.0/24' } });
    await waitFor('pod CIDR handed over', async () => (await rt!.client.status({})).status?.conditions.find((c) => c.type === 'NetworkReady')?.status === true);
  });

  after(async () => {
    await kubelet?.stop();
    await rt?.stop();
    cs?.close();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const realPod = (name: string, ...args: Parameters<typeof pod>[1][]) => {
    const p = pod(name, args[0] ?? [{}]);
    p.spec!.nodeName = 'real-1';
    // These pods run the host's python3 and shell: RuntimeClass "host" (images: images.test.ts).
    p.spec!.runtimeClassName = 'host';
    return p;
  };

  it('runs python3 -m http.server to Running/Ready, answering on its pod IP; logs and exec through kubectl', async () => {
    await cs.configMaps.create('default', { metadata: { name: 'site' }, data: { 'index.html': 'hello from skiff\n', 'extra.txt': 'x' } });
    const p = realPod('web', [{
      name: 'web',
      command: ['/usr/bin/python3', '-m', 'http.server', '8080', '--directory', '/srv'],
      readinessProbe: { httpGet: { path: '/', port: 8080 }, periodSeconds: 1 },
      volumeMounts: [
        { name: 'site', mountPath: '/srv', readOnly: true },
        { name: 'cache', mountPath: '/cache' },
        { name: 'host', mountPath: '/host-data', readOnly: true },
      ],
    }]);
    writeFileSync(join(dir, 'host-file'), 'from the host\n');
    p.spec!.volumes = [
      { name: 'site', configMap: { name: 'site' } },
      { name: 'cache', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
      { name: 'host', hostPath: { path: dir, type: 'Directory' } },
    ];
    await cs.pods.create('default', p);
    const ready = await waitFor('web Ready', async () => {
      const x = await cs.pods.get('default', 'web');
      return x.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True' && x;
    }, 60_000);
    const ip = ready.status?.podIP ?? '';
    assert.match(ip, /^10\.244\.253\.\d+$/);
    assertLocalRoute(ip, rt!.bridge);
    const res = await fetch(`http://${ip}:8080/index.html`);
    assert.equal(await res.text(), 'hello from skiff\n');
    const logs = await waitFor('access log', async () => {
      const out = (await run('kubectl', ['--kubeconfig', kc, 'logs', 'web'])).stdout;
      return out.includes('GET /index.html') && out;
    });
    assert.match(logs, /"GET \/index.html HTTP\/1.1" 200/);
    const host = await run('kubectl', ['--kubeconfig', kc, 'exec', 'web', '--', 'cat', '/etc/hostname']);
    assert.equal(host.stdout.trim(), 'web');
    const ls = await run('kubectl', ['--kubeconfig', kc, 'exec', 'web', '--', 'ls', '/srv']);
    assert.deepEqual(ls.stdout.trim().split(/\s+/).sort(), ['extra.txt', 'index.html']);
    // Interactive stdin through apiserver → kubelet → the runtime's streaming server.
    const echoed = await new Promise<string>((resolve, reject) => {
      const child = spawn('kubectl', ['--kubeconfig', kc, 'exec', '-i', 'web', '--', '/bin/cat'], { stdio: ['pipe', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`kubectl exec -i exited ${code}`))));
      child.stdin.end('ping over stdin\n');
    });
    assert.equal(echoed, 'ping over stdin\n');
    const mounts = await run('kubectl', ['--kubeconfig', kc, 'exec', 'web', '--', 'cat', '/proc/mounts']);
    assert.match(mounts.stdout, /^tmpfs \/cache tmpfs /m);
    const hostFile = await run('kubectl', ['--kubeconfig', kc, 'exec', 'web', '--', 'cat', '/host-data/host-file']);
    assert.equal(hostFile.stdout, 'from the host\n');
  });

  it('a restarted kubelet keeps the running containers', async () => {
    const before = (await cs.pods.get('default', 'web')).status?.containerStatuses?.[0];
    await kubelet!.stop();
    kubelet = new Kubelet({ ...kubelet!.o });
    await kubelet.start();
    await waitFor('resynced', () => kubelet!.pods.stats.syncs > 0);
    const after = (await cs.pods.get('default', 'web')).status?.containerStatuses?.[0];
    assert.equal(after?.containerID, before?.containerID);
    assert.equal(after?.restartCount, 0);
    assert.equal(after?.ready, true);
  });

  it('restarts a container whose liveness probe fails', async () => {
    await cs.pods.create('default', realPod('sick', [{
      name: 'app', command: ['/bin/sleep', '3600'],
      livenessProbe: { exec: { command: ['/bin/false'] }, periodSeconds: 1, failureThreshold: 2 },
    }]));
    const p = await waitFor('restarted', async () => {
      const x = await cs.pods.get('default', 'sick');
      return (x.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 1 && x;
    }, 60_000);
    assert.ok(p.status?.containerStatuses?.[0]?.lastState?.terminated);
    await cs.pods.delete('default', 'sick', { gracePeriodSeconds: 0 });
  });

  it('reports OOMKilled for a container over its memory limit', async () => {
    const p = realPod('hog', [{
      name: 'hog', command: ['/usr/bin/python3', '-c', 'x = bytearray(512 * 1024 * 1024); import time; time.sleep(60)'],
      resources: { limits: { memory: '32Mi' } },
    }]);
    p.spec!.restartPolicy = 'Never';
    await cs.pods.create('default', p);
    const t = await waitFor('terminated', async () => (await cs.pods.get('default', 'hog')).status?.containerStatuses?.[0]?.state?.terminated, 60_000);
    assert.equal(t.reason, 'OOMKilled');
    assert.equal((await cs.pods.get('default', 'hog')).status?.phase, 'Failed');
  });

  it('deletes a running pod: containers stopped, sandbox removed, object gone', async () => {
    await cs.pods.delete('default', 'web');
    await waitFor('web gone', async () => cs.pods.get('default', 'web').then(() => false, (err: { code?: number }) => err.code === 404), 30_000);
    const { items } = await rt!.client.listPodSandbox({ filter: { labelSelector: { 'io.kubernetes.pod.name': 'web' } } });
    assert.equal(items.length, 0);
  });
});
