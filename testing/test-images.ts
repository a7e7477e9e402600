// Test images, built in TypeScript from Debian's busybox-static and pushed to the run's own
// docker-registry (started on first use, stopped by the mocha global teardown). Every image has
// the same two layers:
//   1. /bin/busybox and its applet links, /etc/passwd and /etc/group (root, nobody, app:1000 with
//      supplementary group extra:2000), /etc/removed, /opaque/old, /home/app (uid 1000)
//   2. a whiteout of /etc/removed, /opaque made opaque (only /opaque/new), /home/app/owned
//      (uid 1000, gid 1000, mode 0640), a hard link /usr/share/hello-link → /usr/share/hello
// Images: library/busybox:latest (OCI index amd64+arm64, gzip + plain layers), library/busybox:docker
// (Docker manifest list, gzip layers), skiff-test/app:1 (OCI manifest, gzip + zstd layers; a config
// with Entrypoint, Cmd, Env, WorkingDir and User "app").
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pushBlob, pushManifest, sha256, startTestRegistry, type TestRegistry } from './registry.js';
import { tarArchive, type TarEntry } from './tar-writer.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';

export interface TestImages {
  registry: TestRegistry;
  /** host:port of the registry. */
  host: string;
  /** Uncompressed layer tars, bottom first. */
  layers: Buffer[];
  /** Manifest digest of each pushed image reference (`library/busybox:latest` → sha256:…). */
  digests: Record<string, string>;
}

let images: Promise<TestImages> | undefined;

/** The run's registry with the test images in it, built and pushed on first call. */
export function testImages(): Promise<TestImages> {
  images ??= buildAndPush();
  return images;
}

export async function stopTestImages(): Promise<void> {
  const started = images;
  images = undefined;
  if (started) await (await started).registry.stop();
}

function baseLayer(): Buffer {
  const dirs = ['bin', 'sbin', 'usr', 'usr/bin', 'usr/sbin', 'usr/share', 'etc', 'home', 'var', 'proc', 'sys', 'dev', 'opaque'];
  const applets = execFileSync('/bin/busybox', ['--list-full'], { encoding: 'utf8' })
    .split('\n')
    .filter((p) => p && p !== 'bin/busybox' && !p.endsWith('/'));
  const entries: TarEntry[] = [
    ...dirs.map((name): TarEntry => ({ type: 'dir', name })),
    { type: 'dir', name: 'tmp', mode: 0o1777 },
    { type: 'dir', name: 'root', mode: 0o700 },
    { type: 'dir', name: 'home/app', uid: 1000, gid: 1000 },
    { type: 'file', name: 'bin/busybox', data: readFileSync('/bin/busybox'), mode: 0o755 },
    ...applets.map((name): TarEntry => ({ type: 'symlink', name, target: '/bin/busybox' })),
    { type: 'file', name: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' },
    { type: 'file', name: 'etc/group', data: 'root:x:0:\napp:x:1000:\nextra:x:2000:app\nnogroup:x:65534:\n' },
    { type: 'file', name: 'etc/removed', data: 'deleted by the next layer\n' },
    { type: 'file', name: 'opaque/old', data: 'hidden by the opaque directory above\n' },
  ];
  return tarArchive(entries);
}

function secondLayer(): Buffer {
  return tarArchive([
    { type: 'file', name: 'etc/.wh.removed', data: '' },
    { type: 'dir', name: 'opaque', mode: 0o750 },
    { type: 'file', name: 'opaque/.wh..wh..opq', data: '' },
    { type: 'file', name: 'opaque/new', data: 'new\n' },
    { type: 'file', name: 'home/app/owned', data: 'mine\n', uid: 1000, gid: 1000, mode: 0o640, mtime: 1_600_000_000 },
    { type: 'file', name: 'usr/share/hello', data: 'hello from layer 2\n' },
    { type: 'link', name: 'usr/share/hello-link', target: 'usr/share/hello' },
  ]);
}

function zstd(data: Buffer): Buffer {
  const r = spawnSync('zstd', ['-q', '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`zstd failed: ${r.stderr.toString()}`);
  return r.stdout;
}

interface ConfigExtra {
  Entrypoint?: string[];
  Cmd?: string[];
  Env?: string[];
  WorkingDir?: string;
  User?: string;
}

function imageConfig(diffIds: string[], architecture: string, extra: ConfigExtra): Buffer {
  return Buffer.from(
    JSON.stringify({
      architecture,
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'], ...extra },
      rootfs: { type: 'layers', diff_ids: diffIds },
    }),
  );
}

interface Blob {
  mediaType: string;
  data: Buffer;
}

async function pushImage(url: string, repo: string, tag: string | undefined, mediaType: string, config: Blob, layers: Blob[]): Promise<{ digest: string; size: number }> {
  const descriptor = async (b: Blob): Promise<object> => ({ mediaType: b.mediaType, digest: await pushBlob(url, repo, b.data), size: b.data.length });
  const manifest = { schemaVersion: 2, mediaType, config: await descriptor(config), layers: await Promise.all(layers.map(descriptor)) };
  const body = JSON.stringify(manifest);
  return { digest: await pushManifest(url, repo, tag ?? sha256(body), mediaType, manifest), size: Buffer.byteLength(body) };
}

async function buildAndPush(): Promise<TestImages> {
  const registry = await startTestRegistry();
  try {
    const layers = [baseLayer(), secondLayer()];
    const [l1, l2] = layers as [Buffer, Buffer];
    const diffIds = layers.map(sha256);
    const digests: Record<string, string> = {};
    const url = registry.url;

    // library/busybox:latest — an OCI index; amd64 gets gzip + uncompressed layers.
    const ociLayers: Blob[] = [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', data: gzipSync(l1) },
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', data: l2 },
    ];
    const cfg = (arch: string, extra: ConfigExtra = {}): Blob => ({ mediaType: 'application/vnd.oci.image.config.v1+json', data: imageConfig(diffIds, arch, extra) });
    const amd64 = await pushImage(url, 'library/busybox', undefined, OCI_MANIFEST, cfg('amd64'), ociLayers);
    const arm64 = await pushImage(url, 'library/busybox', undefined, OCI_MANIFEST, cfg('arm64', { Env: ['ARCH=arm64'] }), ociLayers);
    const platformEntry = (m: { digest: string; size: number }, mediaType: string, architecture: string): object => ({ mediaType, digest: m.digest, size: m.size, platform: { os: 'linux', architecture } });
    digests['library/busybox:latest'] = await pushManifest(url, 'library/busybox', 'latest', OCI_INDEX, {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [platformEntry(arm64, OCI_MANIFEST, 'arm64'), platformEntry(amd64, OCI_MANIFEST, 'amd64')],
    });

    // library/busybox:docker — a Docker manifest list over a schema 2 manifest, gzip layers.
    const dockerLayers = layers.map((l) => ({ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', data: gzipSync(l) }));
    const docker = await pushImage(url, 'library/busybox', undefined, DOCKER_MANIFEST, { mediaType: 'application/vnd.docker.container.image.v1+json', data: imageConfig(diffIds, 'amd64', {}) }, dockerLayers);
    digests['library/busybox:docker'] = await pushManifest(url, 'library/busybox', 'docker', DOCKER_LIST, {
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: [platformEntry(docker, DOCKER_MANIFEST, 'amd64')],
    });

    // skiff-test/app:1 — a single OCI manifest, gzip + zstd layers, a config that says what to run.
    const app = await pushImage(
      url,
      'skiff-test/app',
      '1',
      OCI_MANIFEST,
      cfg('amd64', {
        Entrypoint: ['/bin/echo', 'entrypoint'],
        Cmd: ['image-cmd'],
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'FROM_IMAGE=image', 'OVERRIDDEN=image'],
        WorkingDir: '/home/app',
        User: 'app',
      }),
      [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', data: gzipSync(l1) },
        { mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd', data: zstd(l2) },
      ],
    );
    digests['skiff-test/app:1'] = app.digest;
    return { registry, host: registry.host, layers, digests };
  } catch (err) {
    await registry.stop();
    throw err;
  }
}

/** Pushes an OCI image of the given uncompressed layer tars (gzip'd) as repo:tag; returns the manifest digest. */
export async function pushLayers(repo: string, tag: string, tars: Buffer[], extra: ConfigExtra = {}): Promise<string> {
  const { registry } = await testImages();
  const config: Blob = { mediaType: 'application/vnd.oci.image.config.v1+json', data: imageConfig(tars.map(sha256), 'amd64', extra) };
  const layers = tars.map((t) => ({ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', data: gzipSync(t) }));
  return (await pushImage(registry.url, repo, tag, OCI_MANIFEST, config, layers)).digest;
}
