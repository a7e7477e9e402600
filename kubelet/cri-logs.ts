// Reading CRI log files (`<RFC3339Nano> <stdout|stderr> <P|F> <text>` per line, P = the line
// continues in the next record) the way `kubectl logs` options ask: tailLines, sinceSeconds,
// timestamps, limitBytes, follow.
import { closeSync, openSync, readSync, readFileSync, statSync } from 'node:fs';

export interface LogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

interface Record {
  time: string;
  text: string;
  full: boolean;
}

function parseLine(line: string): Record | undefined {
  const m = /^(\S+) (?:stdout|stderr) ([PF]) ?(.*)$/.exec(line);
  if (!m) return line ? { time: '', text: line, full: true } : undefined;
  return { time: m[1]!, text: m[3]!, full: m[2] === 'F' };
}

/** Formats complete CRI lines into what the user reads, applying the filters. */
export function formatLog(lines: string[], opts: LogOptions, now = Date.now()): string {
  let records = lines.map(parseLine).filter((r): r is Record => r !== undefined);
  if (opts.sinceSeconds !== undefined) {
    const since = now - opts.sinceSeconds * 1000;
    records = records.filter((r) => !r.time || Date.parse(r.time) >= since);
  }
  // Partial records join the following ones into one user-visible line.
  const out: string[] = [];
  let pending = '';
  let firstTime = '';
  for (const r of records) {
    if (!pending) firstTime = r.time;
    pending += r.text;
    if (r.full) {
      out.push(opts.timestamps && firstTime ? `${firstTime} ${pending}\n` : `${pending}\n`);
      pending = '';
    }
  }
  if (pending) out.push(opts.timestamps && firstTime ? `${firstTime} ${pending}` : pending);
  const tail = opts.tailLines !== undefined && opts.tailLines >= 0 ? out.slice(Math.max(0, out.length - opts.tailLines)) : out;
  return tail.join('');
}

export function readLog(path: string, opts: LogOptions): { text: string; offset: number } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { text: '', offset: 0 };
  }
  const end = raw.lastIndexOf('\n') + 1;
  return { text: formatLog(raw.slice(0, end).split('\n'), opts), offset: Buffer.byteLength(raw.slice(0, end)) };
}

/** Complete lines appended to `path` since `offset`; returns the new offset. */
export function readNewLines(path: string, offset: number): { lines: string[]; offset: number } {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { lines: [], offset };
  }
  if (size < offset) offset = 0; // rotated
  if (size === offset) return { lines: [], offset };
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n') + 1;
    return { lines: text.slice(0, end).split('\n'), offset: offset + Buffer.byteLength(text.slice(0, end)) };
  } finally {
    closeSync(fd);
  }
}
