import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testImages, type TestImages } from '../testing/test-images.js';
import { isolationSupport } from './index.js';
import { readLog, runContainer, runPod, startTestRuntime, waitExited, waitFor, type TestRuntime } from './support.testkit.js';

// Run under the host lock (fixed-name bridges): flock /tmp/skiff-host.lock npx mocha dist/runtime/image-containers.test.js
describe('runtime: containers from images (runc, as root)', function () {
  this.timeout(60_000);
  let images: TestImages;
  let t: TestRuntime;
  let busybox: string;
  let app: string;

  before(async function () {
    const support = isolationSupport();
    if ('reason' in support) {
      console.log(`    (skipped: isolated containers need root, runc, conmon and the CNI plugins: ${support.reason})`);
      this.skip();
    }
    images = await testImages();
    const registries = join(mkdtempSync(join(tmpdir(), 'skiff-registries-')), 'registries.yaml');
    writeFileSync(registries, `mirrors:\n  docker.io:\n    endpoint: ["http://${images.host}"]\n`);
    t = await startTestRuntime({ podCidr: '10.244.248.0/24', registryConfig: registries });
    busybox = (await t.images.pullImage({ image: { image: 'busybox' } })).imageRef;
    app = (await t.images.pullImage({ image: { image: `${images.host}/skiff-test/app:1` } })).imageRef;
  });

  after(async () => {
    if (t) await t.destroy();
  });

  const sh = async (containerId: string, script: string): Promise<string> => {
    const r = await t.rt.execSync({ containerId, cmd: ['sh', '-c', script], timeout: 10 });
    return `${r.stdout.toString()}${r.stderr.toString()}`.trim();
  };

  it("runs on the image's layers: whiteouts, opaque dirs, owners, hard links; the host's files stay out", async () => {
    const pod = await runPod(t, 'img-fs');
    const id = await runContainer(t, pod.id, 'main', ['sh', '-c', 'sleep 60']);
    assert.equal(await sh(id, 'test -e /etc/removed && echo present || echo gone'), 'gone');
    assert.equal(await sh(id, 'ls /opaque'), 'new');
    assert.equal(await sh(id, 'stat -c %u:%g:%a /home/app/owned'), '1000:1000:640');
    assert.equal(await sh(id, 'cat /usr/share/hello-link'), 'hello from layer 2');
    assert.equal(await sh(id, 'test -e /etc/os-release && echo host || echo image'), 'image');
    assert.equal(await sh(id, 'cat /etc/hostname; grep -c nameserver /etc/resolv.conf'), 'img-fs\n1');
    const { status } = await t.rt.containerStatus({ containerId: id });
    assert.equal(status?.imageRef, busybox);
  });

  it('gives each container its own writable layer over the shared snapshots', async () => {
    const pod = await runPod(t, 'img-upper');
    const a = await runContainer(t, pod.id, 'a', ['sh', '-c', 'echo a > /etc/mine; sleep 60']);
    const b = await runContainer(t, pod.id, 'b', ['sleep', '60']);
    await waitFor('a to write its file', async () => (await sh(a, 'cat /etc/mine')) === 'a');
    assert.equal(await sh(b, 'cat /etc/mine 2>/dev/null || echo none'), 'none');
  });

  it("honours the image config: Entrypoint + Cmd, Env under the pod's, WorkingDir, User with its groups", async () => {
    const pod = await runPod(t, 'img-config');
    const plain = await runContainer(t, pod.id, 'plain', [], { image: { image: app } });
    await waitExited(t, plain);
    assert.match(readLog(join(pod.logDir, 'plain/0.log')), / stdout F entrypoint image-cmd$/m);
    const withArgs = await runContainer(t, pod.id, 'args', [], { image: { image: app }, args: ['from-args'] });
    await waitExited(t, withArgs);
    assert.match(readLog(join(pod.logDir, 'args/0.log')), / stdout F entrypoint from-args$/m);
    const probe = await runContainer(t, pod.id, 'probe', ['sh', '-c', 'sleep 60'], { image: { image: app }, envs: [{ key: 'OVERRIDDEN', value: 'pod' }] });
    assert.equal(await sh(probe, 'id; pwd; echo $FROM_IMAGE $OVERRIDDEN'), 'uid=1000(app) gid=1000(app) groups=1000(app),2000(extra)\n/home/app\nimage pod');
    const root = await runContainer(t, pod.id, 'root', ['sleep', '60'], { image: { image: app }, linux: { securityContext: { runAsUser: { value: 0 } } } });
    assert.equal(await sh(root, 'id -u'), '0');
  });

  it('refuses to remove an image a container uses', async () => {
    await assert.rejects(t.images.removeImage({ image: { image: app } }), /image .*skiff-test\/app:1 is in use by a container/);
    assert.ok((await t.images.imageStatus({ image: { image: app } })).image);
  });

  it('runs on the host filesystem only for the runtime handler "host"', async () => {
    const pod = await runPod(t, 'img-host', 'host');
    const id = await runContainer(t, pod.id, 'main', ['/bin/sh', '-c', 'sleep 60']);
    assert.equal(await sh(id, 'test -e /etc/os-release && echo host || echo image'), 'host');
    await assert.rejects(t.rt.runPodSandbox({ runtimeHandler: 'kata', config: { metadata: { name: 'x', namespace: 'default', uid: 'u-kata', attempt: 0 } } }), /runtimeHandler: unknown handler "kata"/);
  });
});
