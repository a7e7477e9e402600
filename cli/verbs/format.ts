// Output helpers shared by the verbs: aligned columns, kubectl's humanised durations, and a
// progress line that updates in place on a terminal and prints each new state otherwise.

/** Columns padded to the widest cell plus `padding` spaces, as kubectl's tabwriter prints them. */
export function alignRows(rows: string[][], indent = '', padding = 3): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + padding))).join(''))
    .join('\n');
}

/** kubectl's HumanDuration: 5s, 3m2s, 12m, 4h, 3h5m, 2d, 2d3h, 400d, 3y. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${Math.floor(h / 24)}d` : `${Math.floor(h / 24)}d${h % 24}h`;
  if (h < 24 * 365 * 2) return `${Math.floor(h / 24)}d`;
  if (h < 24 * 365 * 8) {
    const dy = Math.floor(h / 24) % 365;
    return dy === 0 ? `${Math.floor(h / 24 / 365)}y` : `${Math.floor(h / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(h / 24 / 365)}y`;
}

/** Age of an RFC 3339 timestamp, or `<unknown>`. */
export function ageOf(ts: string | undefined, now = Date.now()): string {
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** A status line: rewritten in place on a TTY; on a pipe, each distinct message once. */
export class Progress {
  private last = '';
  private shown = false;
  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {}

  update(message: string): void {
    if (message === this.last) return;
    this.last = message;
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${message}`);
      this.shown = true;
    } else {
      this.out.write(`${message}\n`);
    }
  }

  /** Ends the status line (a final message replaces it on a TTY). */
  done(message?: string): void {
    if (this.out.isTTY && this.shown) this.out.write('\r\x1b[K');
    if (message !== undefined) this.out.write(`${message}\n`);
  }
}
