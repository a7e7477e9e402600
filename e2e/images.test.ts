// Real images through `skiff up --registry-mirror`: the run's test registry (on the host's
// 127.0.0.1) mirrors docker.io, so a Deployment saying `image: busybox` — no runtimeClassName —
// pulls it into the node, runs it from the image's rootfs (logs, exec see the image's files), and
// a pod naming an image that exists nowhere shows ErrImagePull / ImagePullBackOff in kubectl.
import assert from 'node:assert/strict';
import { testImages } from '../testing/test-images.js';
import { eventually, show, useCluster, type Cluster, kubectlOk } from './support.js';

const NS = 'e2e-images';
const isRoot = process.getuid?.() === 0;

const deployment = (name: string, image: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${NS}
spec:
  replicas: 1
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: main
        image: ${image}
        command: ["/bin/sh", "-c", "echo hello from the busybox image; exec sleep 3600"]
`;

describe('images from a registry mirror with kubectl (e2e)', function () {
  this.timeout(300_000);
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // local nodes in their own network namespaces need root
  });
  // The registry listens on the host's loopback only: up relays it to the nodes (registry-mirrors.ts).
  useCluster((cluster) => (c = cluster), { nodes: 1, upArgs: async () => ['--registry-mirror', `docker.io=${(await testImages()).registry.url}`] });

  const kubectl = kubectlOk(() => c, 60_000);
  const podLine = async (app: string): Promise<string> => (await kubectl('get', 'pods', '-n', NS, '-l', `app=${app}`, '--no-headers')).trim();

  const apply = async (yaml: string): Promise<void> => {
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: yaml });
    assert.equal(r.code, 0, show(r));
  };

  it('runs `image: busybox` pulled through the mirror: Running, its logs, exec sees the image files', async () => {
    await apply(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n`);
    await apply(deployment('bb', 'busybox'));
    let line = '';
    await eventually('the busybox pod to be Running', async () => / Running /.test((line = await podLine('bb'))), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; last: ${line}`);
    });
    const pod = line.split(/\s+/)[0] as string;
    await eventually('the image\'s echo in kubectl logs', async () => (await kubectl('logs', '-n', NS, pod)).includes('hello from the busybox image'), 20_000);
    // /opaque holds only `new` in the test image (its second layer made it opaque): the image's
    // rootfs, not the host's.
    assert.equal((await kubectl('exec', '-n', NS, pod, '--', 'ls', '/opaque')).trim(), 'new');
    assert.match(await kubectl('exec', '-n', NS, pod, '--', 'cat', '/etc/passwd'), /^app:x:1000:/m);
  });

  it('shows ErrImagePull / ImagePullBackOff for an image that exists nowhere', async () => {
    await apply(deployment('missing', 'no-such-image:1'));
    let line = '';
    await eventually('ErrImagePull or ImagePullBackOff in kubectl get pods', async () => /ErrImagePull|ImagePullBackOff/.test((line = await podLine('missing'))), 30_000).catch(
      (err: Error) => {
        throw new Error(`${err.message}; last: ${line}`);
      },
    );
    assert.match(line, /0\/1/);
  });
});
