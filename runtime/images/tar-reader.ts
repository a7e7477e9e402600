// A streaming tar reader (ustar, GNU long names, PAX headers): entries one at a time, each
// body read in chunks as it arrives, so a layer of any size passes through in bounded memory.
// Hand-written rather than a library because unpacking must decide about every header itself
// (whiteouts, hard links, ownership, paths that try to escape) and the format is small.
import type { Readable } from 'node:stream';

export interface TarHeader {
  name: string;
  /** '0' file, '1' hard link, '2' symlink, '3' char, '4' block, '5' dir, '6' fifo. */
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  devmajor: number;
  devminor: number;
  /** PAX extended attributes (SCHILY.xattr.*). */
  xattrs: Record<string, string>;
}

/** Pulls exact byte counts out of a chunked stream. */
class ByteReader {
  private buffered: Buffer[] = [];
  private size = 0;
  private readonly it: AsyncIterator<Buffer>;
  constructor(stream: Readable) {
    this.it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  private async fill(n: number): Promise<boolean> {
    while (this.size < n) {
      const next = await this.it.next();
      if (next.done) return false;
      this.buffered.push(next.value);
      this.size += next.value.length;
    }
    return true;
  }
  /** Exactly n bytes, or undefined at the end of the stream. */
  async read(n: number): Promise<Buffer | undefined> {
    if (!(await this.fill(n))) return undefined;
    const all = this.buffered.length === 1 ? (this.buffered[0] as Buffer) : Buffer.concat(this.buffered);
    this.buffered = all.length > n ? [all.subarray(n)] : [];
    this.size = all.length - n;
    return all.subarray(0, n);
  }
  /** n bytes as they come, in pieces no larger than what arrived. */
  async *chunks(n: number): AsyncGenerator<Buffer> {
    let left = n;
    while (left > 0) {
      if (this.size === 0 && !(await this.fill(1))) throw new Error('tar stream ended inside a file');
      const head = this.buffered[0] as Buffer;
      const take = Math.min(left, head.length);
      yield head.subarray(0, take);
      if (take === head.length) this.buffered.shift();
      else this.buffered[0] = head.subarray(take);
      this.size -= take;
      left -= take;
    }
  }
  /** Reads to the end of the stream (so that a digest over all of it completes). */
  async drain(): Promise<void> {
    this.buffered = [];
    this.size = 0;
    while (!(await this.it.next()).done);
  }
  async skip(n: number): Promise<void> {
    for await (const _ of this.chunks(n)) void _;
  }
}

function str(b: Buffer, start: number, len: number): string {
  const s = b.subarray(start, start + len);
  const end = s.indexOf(0);
  return s.subarray(0, end === -1 ? s.length : end).toString('utf8');
}

function num(b: Buffer, start: number, len: number): number {
  const first = b[start] ?? 0;
  if (first & 0x80) {
    // GNU base-256 for values that do not fit in octal.
    let v = 0;
    for (let i = 1; i < len; i++) v = v * 256 + (b[start + i] ?? 0);
    return v;
  }
  const text = str(b, start, len).trim();
  return text ? parseInt(text, 8) : 0;
}

function parsePax(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const space = text.indexOf(' ', i);
    const len = parseInt(text.slice(i, space), 10);
    if (!(len > 0) || space === -1) throw new Error('malformed PAX header');
    const record = text.slice(space + 1, i + len - 1);
    const eq = record.indexOf('=');
    out[record.slice(0, eq)] = record.slice(eq + 1);
    i += len;
  }
  return out;
}

const padding = (size: number): number => (512 - (size % 512)) % 512;

export interface TarEntry {
  header: TarHeader;
  /** The body; must be consumed (or left for the reader to skip) before the next entry. */
  body(): AsyncGenerator<Buffer>;
}

/** Entries of the tar stream in order. Throws on a corrupt header or a truncated stream. */
export async function* readTar(stream: Readable): AsyncGenerator<TarEntry> {
  const r = new ByteReader(stream);
  let pax: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    const block = await r.read(512);
    if (!block) throw new Error('tar stream ended without its end-of-archive blocks');
    if (block.every((b) => b === 0)) {
      await r.drain();
      return;
    }
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
    if (sum !== num(block, 148, 8)) throw new Error('tar header checksum mismatch (corrupt layer)');
    const type = String.fromCharCode(block[156] || 48);
    const size = num(block, 124, 12);
    if (type === 'x' || type === 'g' || type === 'L' || type === 'K') {
      const data = size > 0 ? await r.read(size + padding(size)) : Buffer.alloc(0);
      if (!data) throw new Error('tar stream ended inside a header');
      const text = data.subarray(0, size).toString('utf8');
      if (type === 'x') pax = { ...pax, ...parsePax(text) };
      else if (type === 'L') longName = text.replace(/\0+$/, '');
      else if (type === 'K') longLink = text.replace(/\0+$/, '');
      continue; // global headers ('g') carry nothing a layer needs
    }
    const prefix = str(block, 345, 155);
    const ustarName = prefix ? `${prefix}/${str(block, 0, 100)}` : str(block, 0, 100);
    const xattrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(pax)) if (k.startsWith('SCHILY.xattr.')) xattrs[k.slice('SCHILY.xattr.'.length)] = v;
    const header: TarHeader = {
      name: pax.path ?? longName ?? ustarName,
      type: type === '\0' || type === '7' ? '0' : type,
      mode: num(block, 100, 8) & 0o7777,
      uid: pax.uid !== undefined ? Number(pax.uid) : num(block, 108, 8),
      gid: pax.gid !== undefined ? Number(pax.gid) : num(block, 116, 8),
      size: pax.size !== undefined ? Number(pax.size) : size,
      mtime: pax.mtime !== undefined ? Number(pax.mtime) : num(block, 136, 12),
      linkname: pax.linkpath ?? longLink ?? str(block, 157, 100),
      devmajor: num(block, 329, 8),
      devminor: num(block, 337, 8),
      xattrs,
    };
    pax = {};
    longName = longLink = undefined;
    let consumed = false;
    const bodySize = '123456'.includes(header.type) ? 0 : header.size;
    yield {
      header,
      body: () => {
        consumed = true;
        return r.chunks(bodySize);
      },
    };
    // Skip what the consumer did not read, then the block padding.
    if (!consumed) await r.skip(bodySize);
    await r.skip(padding(bodySize));
  }
}
