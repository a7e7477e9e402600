import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistryProxy, type RegistryProxy } from '../../testing/registry-proxy.js';
import { pushLayers, testImages, type TestImages } from '../../testing/test-images.js';
import { tarArchive } from '../../testing/tar-writer.js';
import { startTestRuntime, type TestRuntime } from '../support.testkit.js';

describe('images: pull over the distribution API, store, unpack (as root)', function () {
  this.timeout(60_000);
  let images: TestImages;
  let t: TestRuntime;
  let registriesYaml: string;
  const proxies: RegistryProxy[] = [];
  const stateDir = (): string => join(t.root, 'state', 'images');
  const snapshotDirs = (): string[] => readdirSync(join(stateDir(), 'snapshots'));
  const mirror = (endpoint: string, extra = ''): void => writeFileSync(registriesYaml, `mirrors:\n  docker.io:\n    endpoint: ["${endpoint}"]\n${extra}`);
  const proxy = async (opts: Omit<Parameters<typeof startRegistryProxy>[0], 'upstream'>): Promise<RegistryProxy> => {
    const p = await startRegistryProxy({ upstream: images.host, ...opts });
    proxies.push(p);
    return p;
  };

  before(async function () {
    if (process.getuid?.() !== 0) {
      console.log('    (skipped: unpacking keeps ownership and makes overlay whiteouts, which needs root)');
      this.skip();
    }
    images = await testImages();
    registriesYaml = join(mkdtempSync(join(tmpdir(), 'skiff-registries-')), 'registries.yaml');
    mirror(`http://${images.host}`);
    t = await startTestRuntime({ podCidr: '10.244.249.0/24', hostProcesses: true, registryConfig: registriesYaml });
  });

  after(async () => {
    for (const p of proxies) await p.close();
    if (t) await t.destroy();
  });

  it('pulls `busybox` from the docker.io mirror: the OCI index gives linux/amd64, reported as Kubernetes shows it', async () => {
    const { imageRef } = await t.images.pullImage({ image: { image: 'busybox' } });
    const { image, info } = await t.images.imageStatus({ image: { image: 'busybox' }, verbose: true });
    assert.equal(image?.id, imageRef);
    assert.deepEqual(image?.repoTags, ['docker.io/library/busybox:latest']);
    assert.deepEqual(image?.repoDigests, [`docker.io/library/busybox@${images.digests['library/busybox:latest']}`]);
    assert.ok((image?.size ?? 0) > 500_000, `size ${image?.size}`);
    const config = JSON.parse(info.info ?? '{}') as { config: { Env: string[] } };
    assert.ok(!config.config.Env.includes('ARCH=arm64'), 'the arm64 entry of the index was not chosen');
    assert.equal((await t.images.imageStatus({ image: { image: imageRef } })).image?.id, imageRef, 'found by id too');
  });

  it('unpacks layers with owners, modes, mtimes, hard links, and whiteouts/opaque dirs in overlay form', async () => {
    const dirs = snapshotDirs();
    assert.equal(dirs.length, 2, dirs.join());
    const upper = dirs.map((d) => join(stateDir(), 'snapshots', d, 'fs')).find((d) => existsSync(join(d, 'opaque', 'new'))) as string;
    const removed = lstatSync(join(upper, 'etc', 'removed'));
    assert.ok(removed.isCharacterDevice() && removed.rdev === 0, 'whiteout is a 0/0 char device');
    assert.equal(execFileSync('getfattr', ['--only-values', '-n', 'trusted.overlay.opaque', join(upper, 'opaque')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 'y');
    const owned = statSync(join(upper, 'home', 'app', 'owned'));
    assert.deepEqual([owned.uid, owned.gid, owned.mode & 0o7777, owned.mtimeMs], [1000, 1000, 0o640, 1_600_000_000_000]);
    assert.equal(statSync(join(upper, 'usr/share/hello')).ino, statSync(join(upper, 'usr/share/hello-link')).ino);
    const lower = dirs.map((d) => join(stateDir(), 'snapshots', d, 'fs')).find((d) => d !== upper) as string;
    assert.equal(readFileSync(join(lower, 'bin', 'sh').replace(/sh$/, 'busybox')).length, readFileSync('/bin/busybox').length);
    assert.equal(lstatSync(join(lower, 'bin', 'sh')).isSymbolicLink(), true);
    assert.equal(statSync(join(lower, 'tmp')).mode & 0o7777, 0o1777);
  });

  it('Docker manifest lists and zstd layers: snapshots are shared by chain ID, blobs stored once', async () => {
    await t.images.pullImage({ image: { image: 'busybox:docker' } });
    await t.images.pullImage({ image: { image: `${images.host}/skiff-test/app:1` } });
    assert.equal(snapshotDirs().length, 2, 'three images, same two layers');
    const { images: all } = await t.images.listImages({});
    assert.equal(all.length, 2, 'busybox:latest and :docker have the same config, so one image with two tags');
    const busybox = all.find((i) => i.repoTags.includes('docker.io/library/busybox:docker'));
    assert.ok(busybox?.repoTags.includes('docker.io/library/busybox:latest'));
    assert.equal(all.find((i) => i.repoTags[0]?.endsWith('skiff-test/app:1'))?.username, 'app');
  });

  it('two pulls of one image at once download each blob once', async () => {
    const p = await proxy({});
    await Promise.all([1, 2, 3].map(() => t.images.pullImage({ image: { image: `${p.host}/skiff-test/app:1` } })));
    // The layers are in the store already; only manifests and the config could be fetched — once.
    assert.ok([...p.blobGets.values()].every((n) => n === 1), JSON.stringify([...p.blobGets]));
  });

  for (const how of ['corrupt', 'truncate'] as const) {
    it(`a ${how} blob fails the pull naming the image and the cause, and leaves nothing behind`, async () => {
      const layer = tarArchive([{ type: 'file', name: `only-${how}`, data: 'x'.repeat(100_000) }]);
      await pushLayers(`broken/${how}`, 'v1', [layer]);
      const p = await proxy({ tamper: () => how });
      const before = readdirSync(join(stateDir(), 'content', 'blobs', 'sha256')).length;
      await assert.rejects(t.images.pullImage({ image: { image: `${p.host}/broken/${how}:v1` } }), (err: Error) => {
        assert.match(err.message, new RegExp(`pulling image "${p.host}/broken/${how}:v1": blob sha256:[a-f0-9]+ is ${how === 'corrupt' ? 'corrupt' : 'truncated'}`));
        return true;
      });
      assert.equal(readdirSync(join(stateDir(), 'content', 'blobs', 'sha256')).length, before + 1, 'only the verified manifest was kept');
      assert.deepEqual(readdirSync(join(stateDir(), 'content', 'ingest')), []);
      assert.ok(snapshotDirs().every((d) => !d.startsWith('tmp-')));
      assert.equal((await t.images.imageStatus({ image: { image: `${p.host}/broken/${how}:v1` } })).image, null);
    });
  }

  it('Bearer token auth: a 401 challenge, a token from the realm with the AuthConfig credentials, then the pull', async () => {
    const p = await proxy({ auth: { scheme: 'bearer', username: 'alice', password: 'wonder' } });
    const ref = `${p.host}/skiff-test/app:1`;
    await assert.rejects(t.images.pullImage({ image: { image: ref } }), /refused the credentials|unauthorized/);
    const wrong = { username: 'alice', password: 'nope', auth: '', serverAddress: '', identityToken: '', registryToken: '' };
    await assert.rejects(t.images.pullImage({ image: { image: ref }, auth: wrong }), /unauthorized: the token server .* refused the credentials/);
    await t.images.pullImage({ image: { image: ref }, auth: { ...wrong, password: 'wonder' } });
    assert.equal(p.tokenRequests.at(-1), `Basic ${Buffer.from('alice:wonder').toString('base64')}`);
  });

  it('Basic auth with credentials from registries.yaml', async () => {
    const p = await proxy({ auth: { scheme: 'basic', username: 'bob', password: 'builder' } });
    const ref = `${p.host}/library/busybox:docker`;
    await assert.rejects(t.images.pullImage({ image: { image: ref } }), /requires credentials \(basic\) and none were given/);
    mirror(`http://${images.host}`, `configs:\n  "${p.host}":\n    auth: { username: bob, password: builder }\n`);
    await t.images.pullImage({ image: { image: ref } });
    mirror(`http://${images.host}`);
  });

  const escapes: Array<[string, Parameters<typeof tarArchive>[0], RegExp]> = [
    ['climbs out with ..', [{ type: 'file', name: '../../escaped', data: 'x' }], /climbs out with "\.\."/],
    ['is absolute', [{ type: 'file', name: '/escaped', data: 'x' }], /is absolute/],
    ['writes through a symlink', [{ type: 'symlink', name: 'link', target: '/tmp' }, { type: 'file', name: 'link/escaped', data: 'x' }], /would write through the symlink "link"/],
    ['hard-links outside', [{ type: 'link', name: 'passwd', target: '../../../../etc/passwd' }], /climbs out/],
  ];
  for (const [what, entries, why] of escapes) {
    it(`rejects a layer that ${what}; nothing is written outside its snapshot`, async () => {
      const repo = `evil/${what.replace(/\W+/g, '-').replace(/-$/, '')}`;
      await pushLayers(repo, 'v1', [tarArchive(entries)]);
      await assert.rejects(t.images.pullImage({ image: { image: `${images.host}/${repo}:v1` } }), why);
      assert.ok(!existsSync('/tmp/escaped') && !existsSync(join(stateDir(), 'escaped')) && !existsSync(join(stateDir(), 'snapshots', 'escaped')));
      assert.ok(snapshotDirs().every((d) => !d.startsWith('tmp-')));
    });
  }

  it('bad references and unreachable registries fail clearly', async () => {
    await assert.rejects(t.images.pullImage({ image: { image: 'Busy Box' } }), /image.image: invalid image reference "Busy Box"/);
    await assert.rejects(t.images.pullImage({ image: { image: '127.0.0.1:1/nothing:here' } }), /pulling image "127.0.0.1:1\/nothing:here": 127.0.0.1:1: .*ECONNREFUSED/);
    await assert.rejects(t.images.pullImage({ image: { image: `${images.host}/no/such:image` } }), /manifest image not found/);
  });

  it('survives a restart; RemoveImage frees what no other image shares', async () => {
    await t.restart();
    const { images: all } = await t.images.listImages({});
    const app = all.find((i) => i.repoTags[0]?.endsWith('skiff-test/app:1'));
    assert.ok(app, 'the app image is still known after a restart');
    const snapshotsBefore = snapshotDirs().length;
    await t.images.removeImage({ image: { image: app.id } });
    assert.equal((await t.images.imageStatus({ image: { image: app.id } })).image, null);
    assert.equal(snapshotDirs().length, snapshotsBefore, 'busybox still uses both snapshots');
    const fs = await t.images.imageFsInfo({});
    assert.ok((fs.imageFilesystems[0]?.usedBytes?.value ?? 0) > 1_000_000);
    for (const i of (await t.images.listImages({})).images) await t.images.removeImage({ image: { image: i.id } });
    assert.deepEqual(snapshotDirs(), []);
    assert.deepEqual(readdirSync(join(stateDir(), 'content', 'blobs', 'sha256')), []);
    rmSync(registriesYaml, { force: true });
  });
});
