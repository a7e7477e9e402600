// A throwaway Debian `docker-registry` (distribution 2.8) on 127.0.0.1 with its storage in a temp
// dir, and a client side that pushes blobs and manifests over the distribution API (the
// monolithic upload: POST for an upload URL, PUT the whole blob with its digest).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestRegistry {
  /** host:port, as image references name it. */
  host: string;
  url: string;
  stop(): Promise<void>;
}

export async function startTestRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'skiff-test-registry-'));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log: { level: info, accesslog: { disabled: true } }',
      `storage: { filesystem: { rootdirectory: ${join(dir, 'data')} }, delete: { enabled: true } }`,
      'http: { addr: "127.0.0.1:0", secret: skiff-test }',
      '',
    ].join('\n'),
  );
  const child = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  const cleanup = (): void => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanup);
  try {
    const host = await listeningAddress(child);
    return {
      host,
      url: `http://${host}`,
      stop: async () => {
        process.removeListener('exit', cleanup);
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await gone;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    cleanup();
    process.removeListener('exit', cleanup);
    throw err;
  }
}

/** The registry logs `listening on 127.0.0.1:PORT` with the port it really bound. */
function listeningAddress(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`docker-registry did not start within 20 s:\n${log}`)), 20_000);
    child.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
      const m = /listening on (127\.0\.0\.1:\d+)/.exec(log);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`docker-registry exited (${code}) before listening:\n${log}`));
    });
  });
}

export const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

async function check(res: Response, what: string): Promise<Response> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

/** Uploads a blob unless the registry has it; returns its digest. */
export async function pushBlob(registryUrl: string, repo: string, data: Buffer): Promise<string> {
  const digest = sha256(data);
  const head = await fetch(`${registryUrl}/v2/${repo}/blobs/${digest}`, { method: 'HEAD' });
  if (head.ok) return digest;
  const start = await check(await fetch(`${registryUrl}/v2/${repo}/blobs/uploads/`, { method: 'POST' }), `start upload to ${repo}`);
  const location = new URL(start.headers.get('location') ?? '', registryUrl);
  location.searchParams.set('digest', digest);
  await check(
    await fetch(location, { method: 'PUT', body: new Uint8Array(data), headers: { 'content-type': 'application/octet-stream' } }),
    `upload ${digest} to ${repo}`,
  );
  return digest;
}

/** PUTs a manifest (or index) under `reference` (a tag or its digest); returns its digest. */
export async function pushManifest(registryUrl: string, repo: string, reference: string, mediaType: string, manifest: object): Promise<string> {
  const body = Buffer.from(JSON.stringify(manifest));
  await check(
    await fetch(`${registryUrl}/v2/${repo}/manifests/${reference}`, { method: 'PUT', body: new Uint8Array(body), headers: { 'content-type': mediaType } }),
    `put manifest ${repo}:${reference}`,
  );
  return sha256(body);
}
