// The kubelet pulling images through the real runtime process from the run's test registry
// (a docker.io mirror in registries.yaml, plus a Bearer-auth front for pull secrets): pull
// policies, the events and waiting reasons Kubernetes shows, and the image config honoured.
// Needs root, runc, conmon and the CNI plugins. Run under the host lock:
//   flock /tmp/skiff-host.lock npx mocha dist/kubelet/images.test.js
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from '../api/index.js';
import { startApiServer, type ApiServer } from '../apiserver/index.js';
import { Clientset } from '../client/index.js';
import { testEtcdUrl } from '../testing/etcd.js';
import { startRegistryProxy, type RegistryProxy } from '../testing/registry-proxy.js';
import { testImages, type TestImages } from '../testing/test-images.js';
import { Kubelet } from './kubelet.js';
import { pod, realRuntimeMissing, startRealRuntime, waitFor, type RealRuntime } from './support.testkit.js';

describe('kubelet: images through the real runtime', function () {
  this.timeout(120_000);
  let api: ApiServer;
  let cs: Clientset;
  let rt: RealRuntime | undefined;
  let kubelet: Kubelet | undefined;
  let dir: string;
  let images: TestImages;
  let proxy: RegistryProxy;

  before(async function () {
    const missing = realRuntimeMissing();
    if (missing) {
      console.log(`    (skipped: the real runtime needs root, runc, conmon, CNI plugins: ${missing})`);
      this.skip();
    }
    images = await testImages();
    proxy = await startRegistryProxy({ upstream: images.host, auth: { scheme: 'bearer', username: 'puller', password: 'pa55' } });
    dir = mkdtempSync(join(tmpdir(), 'skiff-kubelet-images-'));
    writeFileSync(join(dir, 'registries.yaml'), `mirrors:\n  docker.io:\n    endpoint: ["http://${images.host}"]\n`);
    api = await startApiServer({ etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: `/t-kimg-${Date.now()}/registry` });
    cs = new Clientset({ server: api.url });
    rt = await startRealRuntime(dir, join(dir, 'registries.yaml'));
    kubelet = new Kubelet({
      clientset: cs, nodeName: 'img-1', runtime: rt.client, rootDir: join(dir, 'kubelet'), address: '127.0.0.1', port: 0,
      bindAddress: '127.0.0.1', statusIntervalMs: 500, relistMs: 200, backoff: { initialMs: 1000, maxMs: 4000 },
    });
    await kubelet.start();
    await cs.nodes.patch(undefined, 'img-1', { spec: { podCIDR: '10.244.247.0/24' } });
    await waitFor('pod CIDR handed over', async () => (await rt!.client.status({})).status?.conditions.find((c) => c.type === 'NetworkReady')?.status === true);
  });

  after(async () => {
    await kubelet?.stop();
    await rt?.stop();
    await proxy?.close();
    cs?.close();
    await api?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const imgPod = (name: string, containers: Parameters<typeof pod>[1], spec: Partial<NonNullable<Pod['spec']>> = {}): Pod => pod(name, containers, { nodeName: 'img-1', ...spec });
  const events = async (name: string): Promise<string[]> =>
    (await cs.events.list('default')).items.filter((e) => e.involvedObject?.name === name).map((e) => `${e.type} ${e.reason}: ${e.message}`);
  const waiting = (name: string, reason: string): Promise<string> =>
    waitFor(`${name} waiting with ${reason}`, async () => {
      const w = (await cs.pods.get('default', name)).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === reason ? (w.message ?? '') : undefined;
    }, 30_000);

  it('pulls `busybox` (policy Always for :latest), reports Pulling/Pulled with size, and runs it on the image', async () => {
    await cs.pods.create('default', imgPod('bb', [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'test -e /etc/os-release && echo host || echo image; sleep 3600'] }]));
    const status = await waitFor('bb running', async () => {
      const s = (await cs.pods.get('default', 'bb')).status?.containerStatuses?.[0];
      return s?.state?.running ? s : undefined;
    }, 60_000);
    assert.match(status.imageID ?? '', /^sha256:[a-f0-9]{64}$/);
    const ev = await events('bb');
    assert.ok(ev.includes('Normal Pulling: Pulling image "busybox"'), ev.join('\n'));
    assert.ok(ev.some((e) => /^Normal Pulled: Successfully pulled image "busybox" in [\d.]+s \([\d.]+s including waiting\)\. Image size: \d+ bytes\.$/.test(e)), ev.join('\n'));
    const listed = await waitFor('node.status.images to list busybox', async () =>
      (await cs.nodes.get(undefined, 'img-1')).status?.images?.find((i) => i.names?.includes('docker.io/library/busybox:latest')));
    assert.ok((listed.sizeBytes ?? 0) > 500_000);
  });

  it("runs the image's Entrypoint and Cmd when the pod gives no command", async () => {
    await cs.pods.create('default', imgPod('app', [{ name: 'main', image: `${images.host}/skiff-test/app:1` }], { restartPolicy: 'Never' }));
    await waitFor('app succeeded', async () => (await cs.pods.get('default', 'app')).status?.phase === 'Succeeded', 60_000);
    const ev = await events('app');
    assert.ok(ev.some((e) => e.startsWith(`Normal Pulled: Successfully pulled image "${images.host}/skiff-test/app:1"`)), ev.join('\n'));
  });

  it('ErrImagePull, then ImagePullBackOff, for an image the registry does not have', async () => {
    const image = `${images.host}/no/such:1`;
    await cs.pods.create('default', imgPod('missing', [{ name: 'main', image }]));
    assert.match(await waiting('missing', 'ErrImagePull'), /manifest 1 not found/);
    assert.match(await waiting('missing', 'ImagePullBackOff'), /Back-off pulling image/);
    const ev = await events('missing');
    assert.ok(ev.some((e) => e.startsWith(`Warning Failed: Failed to pull image "${image}": pulling image "${image}": manifest 1 not found`)), ev.join('\n'));
    assert.ok(ev.includes('Warning Failed: Error: ErrImagePull'));
    assert.ok(ev.includes(`Normal BackOff: Back-off pulling image "${image}"`));
  });

  it('ErrImageNeverPull for an absent image with policy Never; InvalidImageName for a bad reference', async () => {
    await cs.pods.create('default', imgPod('never', [{ name: 'main', image: `${images.host}/library/busybox:docker`, imagePullPolicy: 'Never', command: ['true'] }]));
    assert.equal(await waiting('never', 'ErrImageNeverPull'), `Container image "${images.host}/library/busybox:docker" is not present with pull policy of Never`);
    await cs.pods.create('default', imgPod('invalid', [{ name: 'main', image: 'Not/A:Valid:Ref', command: ['true'] }]));
    assert.match(await waiting('invalid', 'InvalidImageName'), /couldn't parse image name "Not\/A:Valid:Ref": invalid reference format/);
  });

  it('imagePullSecrets (kubernetes.io/dockerconfigjson) give the runtime the credentials for a token registry', async () => {
    const image = `${proxy.host}/skiff-test/app:1`;
    const config = { auths: { [proxy.host]: { auth: Buffer.from('puller:pa55').toString('base64') } } };
    await cs.secrets.create('default', { metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') } });
    await cs.pods.create('default', imgPod('private', [{ name: 'main', image, imagePullPolicy: 'Always', command: ['sleep', '3600'] }], { imagePullSecrets: [{ name: 'regcred' }] }));
    await waitFor('private running', async () => (await cs.pods.get('default', 'private')).status?.containerStatuses?.[0]?.state?.running, 60_000);
    assert.equal(proxy.tokenRequests.at(-1), `Basic ${Buffer.from('puller:pa55').toString('base64')}`);
  });
});
