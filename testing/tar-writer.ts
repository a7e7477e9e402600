// A small ustar writer for building test image layers in memory (test layers are a few MB).
// PAX headers carry names longer than ustar's 100 bytes.

export type TarEntry =
  | { type: 'file'; name: string; data: Buffer | string; mode?: number; uid?: number; gid?: number; mtime?: number }
  | { type: 'dir'; name: string; mode?: number; uid?: number; gid?: number; mtime?: number }
  | { type: 'symlink' | 'link'; name: string; target: string; mtime?: number }
  | { type: 'char'; name: string; major: number; minor: number; mtime?: number };

const TYPE_FLAG = { file: '0', link: '1', symlink: '2', char: '3', dir: '5' } as const;

function octal(n: number, width: number): string {
  return `${n.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, e: TarEntry, size: number, typeFlag: string): Buffer {
  const h = Buffer.alloc(512);
  const meta = e as { mode?: number; uid?: number; gid?: number; mtime?: number; target?: string; major?: number; minor?: number };
  h.write(name, 0, 100, 'utf8');
  h.write(octal(meta.mode ?? (e.type === 'dir' ? 0o755 : e.type === 'file' ? 0o644 : 0o777), 8), 100);
  h.write(octal(meta.uid ?? 0, 8), 108);
  h.write(octal(meta.gid ?? 0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(meta.mtime ?? 1_700_000_000, 12), 136);
  h.write('        ', 148);
  h.write(typeFlag, 156);
  if (meta.target !== undefined) h.write(meta.target, 157, 100, 'utf8');
  h.write('ustar\0', 257);
  h.write('00', 263);
  if (meta.major !== undefined) h.write(octal(meta.major, 8), 329);
  if (meta.minor !== undefined) h.write(octal(meta.minor, 8), 337);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % 512;
  return rest === 0 ? [data] : [data, Buffer.alloc(512 - rest)];
}

function paxRecord(key: string, value: string): string {
  // "<len> key=value\n", where len counts itself.
  const body = ` ${key}=${value}\n`;
  let len = body.length + 1;
  while (`${len}${body}`.length !== len) len++;
  return `${len}${body}`;
}

/** The tar archive of `entries`, in order, ending with the two zero blocks. */
export function tarArchive(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = e.type === 'file' ? Buffer.from(e.data) : Buffer.alloc(0);
    const target = 'target' in e ? e.target : '';
    if (Buffer.byteLength(e.name) > 100 || Buffer.byteLength(target) > 100) {
      const pax = Buffer.from(paxRecord('path', e.name) + (target ? paxRecord('linkpath', target) : ''));
      parts.push(header('PaxHeader', { type: 'file', name: 'PaxHeader', data: '' }, pax.length, 'x'), ...padded(pax));
    }
    parts.push(header(e.name, e, data.length, TYPE_FLAG[e.type]), ...padded(data));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
