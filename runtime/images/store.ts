// The content-addressed image store under <root>/images:
//
//   content/blobs/sha256/<hex>    manifests, configs and compressed layers, by digest
//   content/ingest/<random>       a download in progress; renamed into blobs/ only once its size
//                                 and digest check out, removed otherwise (and at start)
//   records/<hex of image id>.json  one image: id (config digest), repoTags, repoDigests, size,
//                                 its config, diff IDs and layer digests
//   snapshots/                    unpacked layers by chain ID (snapshots.ts)
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { chainIds, Snapshots } from './snapshots.js';

/** The part of an OCI image config that says how to run it. */
export interface RunConfig {
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Env?: string[] | null;
  WorkingDir?: string;
  User?: string;
}

export interface ImageRecord {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  /** Compressed layers + config, as containerd reports it. */
  size: number;
  manifestDigest: string;
  config: RunConfig;
  diffIds: string[];
  layers: string[];
  pulledAt: number;
}

export class BlobError extends Error {}

export class ImageStore {
  readonly snapshots: Snapshots;
  readonly records = new Map<string, ImageRecord>();
  private readonly downloads = new Map<string, Promise<void>>();

  constructor(readonly root: string) {
    for (const d of [this.blobs, this.ingestDir, this.recordsDir]) mkdirSync(d, { recursive: true });
    for (const name of readdirSync(this.ingestDir)) rmSync(join(this.ingestDir, name), { force: true });
    this.snapshots = new Snapshots(join(root, 'snapshots'));
    for (const name of readdirSync(this.recordsDir)) {
      try {
        const rec = JSON.parse(readFileSync(join(this.recordsDir, name), 'utf8')) as ImageRecord;
        this.records.set(rec.id, rec);
      } catch {
        // a torn write cannot happen (rename), but a hand-edited file should not stop the runtime
      }
    }
  }

  private get blobs(): string {
    return join(this.root, 'content', 'blobs', 'sha256');
  }
  private get ingestDir(): string {
    return join(this.root, 'content', 'ingest');
  }
  private get recordsDir(): string {
    return join(this.root, 'records');
  }

  blobPath(digest: string): string {
    return join(this.blobs, digest.replace(/^sha256:/, ''));
  }

  hasBlob(digest: string): boolean {
    return existsSync(this.blobPath(digest));
  }

  readBlob(digest: string): Buffer {
    return readFileSync(this.blobPath(digest));
  }

  writeBlob(data: Buffer): string {
    const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
    if (!this.hasBlob(digest)) {
      const tmp = join(this.ingestDir, randomBytes(8).toString('hex'));
      writeFileSync(tmp, data);
      renameSync(tmp, this.blobPath(digest));
    }
    return digest;
  }

  /**
   * Stores a blob from a stream, checking its size and digest while it streams; a blob that is
   * truncated, too long or corrupt is discarded. Concurrent calls for one digest share a download.
   */
  ingest(digest: string, size: number, open: () => Promise<Readable>): Promise<void> {
    if (this.hasBlob(digest)) return Promise.resolve();
    const running = this.downloads.get(digest);
    if (running) return running;
    const work = (async () => {
      if (!/^sha256:[a-f0-9]{64}$/.test(digest)) throw new BlobError(`unsupported digest ${JSON.stringify(digest)}`);
      const tmp = join(this.ingestDir, randomBytes(8).toString('hex'));
      const hash = createHash('sha256');
      let seen = 0;
      const check = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          seen += chunk.length;
          if (seen > size) return cb(new BlobError(`blob ${digest} is longer than the ${size} bytes its descriptor says`));
          hash.update(chunk);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(await open(), check, createWriteStream(tmp));
        if (seen !== size) throw new BlobError(`blob ${digest} is truncated: ${seen} of ${size} bytes`);
        const got = `sha256:${hash.digest('hex')}`;
        if (got !== digest) throw new BlobError(`blob ${digest} is corrupt: its content has digest ${got}`);
        renameSync(tmp, this.blobPath(digest));
      } catch (err) {
        rmSync(tmp, { force: true });
        if (err instanceof BlobError) throw err;
        const cause = (err as Error).message;
        throw new BlobError(seen < size ? `blob ${digest} is truncated: ${seen} of ${size} bytes (${cause})` : `blob ${digest}: ${cause}`);
      }
    })().finally(() => this.downloads.delete(digest));
    this.downloads.set(digest, work);
    return work;
  }

  saveRecord(rec: ImageRecord): void {
    const file = join(this.recordsDir, `${rec.id.replace(/^sha256:/, '')}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(rec, null, 1));
    renameSync(`${file}.tmp`, file);
    this.records.set(rec.id, rec);
  }

  dropRecord(id: string): void {
    rmSync(join(this.recordsDir, `${id.replace(/^sha256:/, '')}.json`), { force: true });
    this.records.delete(id);
  }

  /** Records a pulled image under `tag` (moving the tag off any other image) and `repoDigest`. */
  tag(rec: ImageRecord, tag: string | undefined, repoDigest: string): ImageRecord {
    for (const other of this.records.values()) {
      if (other.id !== rec.id && tag && other.repoTags.includes(tag)) this.saveRecord({ ...other, repoTags: other.repoTags.filter((t) => t !== tag) });
    }
    const old = this.records.get(rec.id);
    const merged: ImageRecord = {
      ...rec,
      repoTags: [...new Set([...(old?.repoTags ?? []), ...(tag ? [tag] : [])])],
      repoDigests: [...new Set([...(old?.repoDigests ?? []), repoDigest])],
    };
    this.saveRecord(merged);
    return merged;
  }

  /** An image by id (full or `sha256:` prefix of at least 12 hex), tag, or repo digest. */
  find(ref: string, normalized: string): ImageRecord | undefined {
    const exact = this.records.get(ref) ?? this.records.get(`sha256:${ref}`);
    if (exact) return exact;
    for (const rec of this.records.values()) if (rec.repoTags.includes(normalized) || rec.repoDigests.includes(normalized)) return rec;
    const hex = ref.replace(/^sha256:/, '');
    if (/^[a-f0-9]{12,64}$/.test(hex)) {
      const matches = [...this.records.values()].filter((r) => r.id.startsWith(`sha256:${hex}`));
      if (matches.length === 1) return matches[0];
    }
    return undefined;
  }

  /** Removes blobs and snapshots no image record refers to (after RemoveImage). */
  collectGarbage(): void {
    const blobs = new Set<string>();
    const chains = new Set<string>();
    for (const rec of this.records.values()) {
      const manifests = rec.repoDigests.map((d) => d.slice(d.indexOf('@') + 1));
      for (const d of [rec.id, rec.manifestDigest, ...rec.layers, ...manifests]) blobs.add(d.replace(/^sha256:/, ''));
      for (const c of chainIds(rec.diffIds)) chains.add(c);
    }
    for (const name of readdirSync(this.blobs)) if (!blobs.has(name) && !this.downloads.has(`sha256:${name}`)) rmSync(join(this.blobs, name), { force: true });
    for (const chain of this.snapshots.list()) if (!chains.has(chain)) this.snapshots.remove(chain);
  }

  /** Bytes and inodes under the store (for ImageFsInfo). */
  usage(): { bytes: number; inodes: number } {
    let bytes = 0;
    let inodes = 0;
    const walk = (dir: string): void => {
      for (const ent of readdirSync(dir, { withFileTypes: true })) {
        inodes++;
        const p = join(dir, ent.name);
        if (ent.isDirectory()) walk(p);
        else if (ent.isFile()) bytes += statSync(p).size;
      }
    };
    walk(this.root);
    return { bytes, inodes };
  }
}
