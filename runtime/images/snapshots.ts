// Unpacked layers, one directory per chain ID (the digest of a layer together with everything
// below it, as containerd names snapshots), shared by every image that has the same layers:
//
//   <dir>/<first 16 hex of the chain ID>/fs      the layer's files, overlay-ready (whiteouts as
//                                                 0/0 char devices, opaque dirs by xattr)
//   <dir>/<…>/chain                               the full chain ID (guards against a prefix clash)
//   <dir>/tmp-*/                                  an unpack in progress; removed at start and on failure
//
// Directory names are short so that an overlay mount can name many lower layers relative to
// <dir> (mount options are capped at one page).
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function chainIds(diffIds: string[]): string[] {
  const out: string[] = [];
  for (const d of diffIds) {
    const prev = out[out.length - 1];
    out.push(prev === undefined ? d : `sha256:${createHash('sha256').update(`${prev} ${d}`).digest('hex')}`);
  }
  return out;
}

export class Snapshots {
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) if (name.startsWith('tmp-')) rmSync(join(dir, name), { recursive: true, force: true });
  }

  key(chainId: string): string {
    return chainId.replace(/^sha256:/, '').slice(0, 16);
  }

  /** The snapshot's directory relative to `dir` (what lowerdir names). */
  relative(chainId: string): string {
    return `${this.key(chainId)}/fs`;
  }

  path(chainId: string): string {
    return join(this.dir, this.relative(chainId));
  }

  has(chainId: string): boolean {
    try {
      return readFileSync(join(this.dir, this.key(chainId), 'chain'), 'utf8') === chainId;
    } catch {
      return false;
    }
  }

  /**
   * Makes the snapshot unless it exists: `fill` unpacks into a temp directory that becomes the
   * snapshot only when it succeeded. Concurrent calls for one chain ID share one unpack.
   */
  ensure(chainId: string, fill: (fsDir: string) => Promise<void>): Promise<void> {
    if (this.has(chainId)) return Promise.resolve();
    const running = this.inFlight.get(chainId);
    if (running) return running;
    const work = (async () => {
      const final = join(this.dir, this.key(chainId));
      if (existsSync(final)) throw new Error(`snapshot directory ${final} holds another chain (prefix clash)`);
      const tmp = join(this.dir, `tmp-${randomBytes(6).toString('hex')}`);
      mkdirSync(join(tmp, 'fs'), { recursive: true });
      try {
        await fill(join(tmp, 'fs'));
        writeFileSync(join(tmp, 'chain'), chainId);
        renameSync(tmp, final);
      } catch (err) {
        rmSync(tmp, { recursive: true, force: true });
        throw err;
      }
    })().finally(() => this.inFlight.delete(chainId));
    this.inFlight.set(chainId, work);
    return work;
  }

  remove(chainId: string): void {
    if (this.has(chainId)) rmSync(join(this.dir, this.key(chainId)), { recursive: true, force: true });
  }

  /** Every chain ID on disk. */
  list(): string[] {
    const out: string[] = [];
    for (const name of readdirSync(this.dir)) {
      try {
        out.push(readFileSync(join(this.dir, name, 'chain'), 'utf8'));
      } catch {
        // not a finished snapshot
      }
    }
    return out;
  }
}
