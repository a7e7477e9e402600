// etcd backups, as k3s takes them: `saveSnapshot` streams a consistent point-in-time copy of the
// store from a running member (the Maintenance.Snapshot RPC, the same bytes `etcdctl snapshot
// save` writes, ending in etcd's integrity hash); `restoreSnapshot` turns such a file into a new
// data directory with Debian's etcdctl (package etcd-client), keeping every key's revisions, so
// objects come back with the same UIDs and resourceVersions.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { Etcd3 } from 'etcd3';
import { aptInstall } from './apt.js';
import { findBinary } from './binaries.js';

export interface SavedSnapshot {
  file: string;
  bytes: number;
  /** The store's revision the snapshot was taken at. */
  revision: number;
}

/** Writes a snapshot of the etcd at `url` to `file` (atomically: a partial file never appears). */
export async function saveSnapshot(url: string, file: string): Promise<SavedSnapshot> {
  const client = new Etcd3({ hosts: [url], dialTimeout: 5000 });
  const partial = join(dirname(file), `.${basename(file)}.part`);
  const out = createWriteStream(partial, { mode: 0o600 });
  let bytes = 0;
  let revision = 0;
  try {
    const stream = await client.maintenance.snapshot();
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (chunk) => {
        if (!revision) revision = Number(chunk.header?.revision ?? 0);
        bytes += chunk.blob.length;
        out.write(chunk.blob);
      });
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    out.end();
    await finished(out);
    if (bytes === 0) throw new Error(`etcd at ${url} sent an empty snapshot`);
    renameSync(partial, file);
    return { file, bytes, revision };
  } catch (err) {
    out.destroy();
    rmSync(partial, { force: true });
    throw new Error(`cannot take a snapshot of etcd at ${url}: ${(err as Error).message}`);
  } finally {
    client.close();
  }
}

export const ETCDCTL_HINT = 'sudo apt-get install -y etcd-client';

/** etcdctl, installed with apt-get when missing and we are root. */
async function etcdctl(log: (line: string) => void): Promise<string> {
  const found = findBinary('etcdctl');
  if (found) return found;
  if (process.getuid?.() !== 0) throw new Error(`restoring needs etcdctl; install it with: ${ETCDCTL_HINT}`);
  log('installing Debian package etcd-client (etcdctl) with apt-get…');
  await aptInstall(['etcd-client']);
  const installed = findBinary('etcdctl');
  if (!installed) throw new Error('apt-get installed etcd-client but no etcdctl was found');
  return installed;
}

export interface RestoreOptions {
  /** The new data directory; must not exist yet. */
  dataDir: string;
  /** The peer port the member will listen on (the launcher's etcd client port + 1). */
  peerPort: number;
  log: (line: string) => void;
}

/** Creates `dataDir` from a snapshot file, as a single member named like the launcher's. */
export async function restoreSnapshot(file: string, opts: RestoreOptions): Promise<void> {
  if (!existsSync(file)) throw new Error(`${file}: no such snapshot file`);
  if (existsSync(opts.dataDir)) throw new Error(`${opts.dataDir} already exists; restore into a new home, or move it away first`);
  const bin = await etcdctl(opts.log);
  // Restored next to the target, then renamed: an interrupted restore leaves no half data dir.
  const work = mkdtempSync(join(dirname(opts.dataDir), '.etcd-restore-'));
  const target = join(work, 'etcd');
  const peerUrl = `http://127.0.0.1:${opts.peerPort}`;
  try {
    const args = ['snapshot', 'restore', file, '--data-dir', target, '--name', 'default', '--initial-cluster', `default=${peerUrl}`, '--initial-advertise-peer-urls', peerUrl];
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const p = spawn(bin, args, { env: { ...process.env, ETCDCTL_API: '3' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.once('error', reject);
      p.once('close', (c) => resolve({ code: c, output: text }));
    });
    if (code !== 0) throw new Error(`etcdctl snapshot restore failed (exit code ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`);
    renameSync(target, opts.dataDir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
