// Applies one layer (gzip, zstd or plain tar — told apart by magic bytes, not by media type) to
// an empty snapshot directory, overlay-style: `.wh.x` becomes a 0/0 character device, `.wh..wh..opq`
// the xattr trusted.overlay.opaque=y on its directory. Ownership, modes, symlinks, hard links
// (a link to a file of a lower layer is copied, as containerd does) and mtimes are kept. Paths are
// checked before anything is written: `..`, absolute names, and writing through a symlink are
// rejected, so nothing lands outside the snapshot. The uncompressed stream is hashed on the way
// and must match the image config's diff ID.
//
// zstd: Node 20 has no zstd codec, so the `zstd` binary (Debian package zstd) decompresses
// through a pipe: a well-tested streaming decoder with bounded memory, no native npm module.
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, type Stats } from 'node:fs';
import { chmod, copyFile, lchown, lstat, lutimes, mkdir, open, rm, symlink, link, utimes, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import { readTar, type TarHeader } from './tar-reader.js';

const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;

export class LayerError extends Error {}

/** The decompressed stream of a layer blob, by its first bytes. */
async function decompressed(blobPath: string): Promise<{ stream: Readable; done: Promise<void> }> {
  const fh = await open(blobPath, 'r');
  const magic = Buffer.alloc(4);
  await fh.read(magic, 0, 4, 0);
  await fh.close();
  const file = createReadStream(blobPath, { highWaterMark: 256 * 1024 });
  if (magic[0] === 0x1f && magic[1] === 0x8b) {
    const out = new PassThrough({ highWaterMark: 256 * 1024 });
    return { stream: out, done: pipeline(file, createGunzip(), out) };
  }
  if (magic.readUInt32LE(0) === 0xfd2fb528) {
    const zstd = spawn('zstd', ['-d', '-c', '-q'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    zstd.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<void>((resolve, reject) => {
      zstd.once('error', (err) => reject(new LayerError(`zstd: ${err.message} (apt-get install zstd)`)));
      zstd.once('close', (code) => (code === 0 ? resolve() : reject(new LayerError(`zstd: ${stderr.trim() || `exit ${code}`}`))));
    });
    const fed = pipeline(file, zstd.stdin).catch(() => {}); // a failing zstd reports through `exited`
    return { stream: zstd.stdout, done: Promise.all([fed, exited]).then(() => {}) };
  }
  return { stream: file, done: Promise.resolve() };
}

/** Splits and checks a tar path; '' for the layer's root. */
function cleanPath(name: string, what: string): string {
  if (name.startsWith('/')) throw new LayerError(`${what} ${JSON.stringify(name)} is absolute`);
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new LayerError(`${what} ${JSON.stringify(name)} climbs out with ".."`);
  return parts.join('/');
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch {
    return undefined;
  }
}

class LayerWriter {
  /** Directory mtimes are set last: writing their children changes them. */
  private readonly dirTimes: Array<{ path: string; mtime: number }> = [];

  constructor(
    private readonly root: string,
    /** Lower snapshots' fs dirs, topmost first (hard-link sources, implicit parents' metadata). */
    private readonly lowers: string[],
  ) {}

  /** Creates missing parents (with the lower layer's owner and mode) and refuses symlinks among them. */
  private async parents(rel: string): Promise<void> {
    const parts = rel.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      const here = join(this.root, sub);
      const st = await lstatOrUndefined(here);
      if (st?.isSymbolicLink()) throw new LayerError(`entry ${JSON.stringify(rel)} would write through the symlink ${JSON.stringify(sub)}`);
      if (st?.isDirectory()) continue;
      if (st) await rm(here, { recursive: true, force: true });
      await mkdir(here, { mode: 0o755 });
      const lower = await this.lowerStat(sub);
      if (lower?.isDirectory()) {
        await this.owner(here, lower.uid, lower.gid, lower.mode & 0o7777, false);
        this.dirTimes.push({ path: here, mtime: lower.mtimeMs / 1000 });
      }
    }
  }

  /** A hard link's target must not be reached through a symlink either. */
  private async refuseSymlinkParents(rel: string, entry: string): Promise<void> {
    const parts = rel.split('/').slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const sub = parts.slice(0, i).join('/');
      if ((await lstatOrUndefined(join(this.root, sub)))?.isSymbolicLink()) throw new LayerError(`hard link ${JSON.stringify(entry)} would reach its target through the symlink ${JSON.stringify(sub)}`);
    }
  }

  private async lowerStat(rel: string): Promise<Stats | undefined> {
    for (const dir of this.lowers) {
      const st = await lstatOrUndefined(join(dir, rel));
      if (st) return st;
    }
    return undefined;
  }

  private async owner(path: string, uid: number, gid: number, mode: number, symlink: boolean): Promise<void> {
    if (isRoot) await lchown(path, uid, gid);
    // chown clears set-id bits, so the mode comes after it; symlinks have no mode of their own.
    if (!symlink) await chmod(path, mode);
  }

  async apply(h: TarHeader, body: () => AsyncGenerator<Buffer>): Promise<void> {
    const rel = cleanPath(h.name, 'entry');
    if (rel === '') {
      if (h.type === '5') await this.owner(this.root, h.uid, h.gid, h.mode, false);
      return;
    }
    await this.parents(rel);
    const path = join(this.root, rel);
    const base = rel.slice(rel.lastIndexOf('/') + 1);
    const dir = rel.includes('/') ? join(this.root, rel.slice(0, rel.lastIndexOf('/'))) : this.root;

    if (base === '.wh..wh..opq') {
      await run('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', dir]);
      return;
    }
    if (base.startsWith('.wh.')) {
      const hidden = join(dir, base.slice(4));
      await rm(hidden, { recursive: true, force: true });
      await run('mknod', [hidden, 'c', '0', '0']);
      return;
    }

    const existing = await lstatOrUndefined(path);
    if (existing && !(existing.isDirectory() && h.type === '5')) await rm(path, { recursive: true, force: true });
    const mtime = new Date(h.mtime * 1000);
    switch (h.type) {
      case '0': {
        const fh = await open(path, 'wx', 0o600);
        try {
          for await (const chunk of body()) await fh.write(chunk);
        } finally {
          await fh.close();
        }
        await this.owner(path, h.uid, h.gid, h.mode, false);
        await utimes(path, mtime, mtime);
        return;
      }
      case '5':
        if (!existing) await mkdir(path);
        await this.owner(path, h.uid, h.gid, h.mode, false);
        this.dirTimes.push({ path, mtime: h.mtime });
        return;
      case '2':
        await symlink(h.linkname, path);
        if (isRoot) await lchown(path, h.uid, h.gid);
        await lutimes(path, mtime, mtime);
        return;
      case '1': {
        const target = cleanPath(h.linkname, `hard link target of ${h.name}`);
        await this.refuseSymlinkParents(target, h.name);
        const inLayer = await lstatOrUndefined(join(this.root, target));
        if (inLayer && !inLayer.isDirectory()) {
          await link(join(this.root, target), path);
          return;
        }
        for (const lower of this.lowers) {
          const st = await lstatOrUndefined(join(lower, target));
          if (st?.isFile()) {
            await copyFile(join(lower, target), path);
            await this.owner(path, st.uid, st.gid, st.mode & 0o7777, false);
            await utimes(path, st.mtime, st.mtime);
            return;
          }
        }
        throw new LayerError(`hard link ${JSON.stringify(h.name)} points at ${JSON.stringify(h.linkname)}, which no layer has`);
      }
      case '3':
      case '4':
      case '6':
        await run('mknod', h.type === '6' ? [path, 'p'] : [path, h.type === '3' ? 'c' : 'b', String(h.devmajor), String(h.devminor)]);
        await this.owner(path, h.uid, h.gid, h.mode, false);
        return;
      default:
        throw new LayerError(`entry ${JSON.stringify(h.name)} has unsupported tar type ${JSON.stringify(h.type)}`);
    }
  }

  async finish(): Promise<void> {
    for (const { path, mtime } of this.dirTimes.reverse()) await utimes(path, mtime, mtime);
  }
}

/**
 * Unpacks the layer blob into `target` (an empty directory). Throws LayerError for a layer that
 * is corrupt, escapes, or whose uncompressed digest is not `diffId`; the caller discards `target`.
 */
export async function unpackLayer(blobPath: string, diffId: string, target: string, lowers: string[]): Promise<{ size: number }> {
  const { stream, done } = await decompressed(blobPath);
  const hash = createHash('sha256');
  let size = 0;
  const hashed = stream.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        size += chunk.length;
        cb(null, chunk);
      },
    }),
  );
  stream.once('error', (err) => hashed.destroy(err));
  const writer = new LayerWriter(target, lowers);
  try {
    for await (const entry of readTar(hashed)) await writer.apply(entry.header, entry.body);
    await writer.finish();
    await done;
  } catch (err) {
    stream.destroy();
    await done.catch(() => {});
    if (err instanceof LayerError) throw err;
    throw new LayerError(`layer ${diffId}: ${(err as Error).message}`);
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (digest !== diffId) throw new LayerError(`uncompressed layer has digest ${digest}, the image config says ${diffId}`);
  return { size };
}

/** Reads a file of an image's rootfs (the stacked snapshots, topmost first) without following links out. */
export async function readImageFile(lowers: string[], rel: string): Promise<string | undefined> {
  for (const dir of lowers) {
    const st = await lstatOrUndefined(join(dir, rel));
    if (!st) continue;
    if (st.isCharacterDevice()) return undefined; // a whiteout
    return st.isFile() ? readFile(join(dir, rel), 'utf8') : undefined;
  }
  return undefined;
}
