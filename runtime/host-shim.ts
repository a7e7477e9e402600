// The host-process supervisor (conmon's stand-in when containers cannot be isolated): started
// detached by the runtime, it runs one command, writes its output to the log in the CRI format
// and the exit code to the exit file, so the container outlives a restart of the runtime.
//   node host-shim.js <launch.json>
import { spawn } from 'node:child_process';
import { createWriteStream, readFileSync, renameSync, writeFileSync, type WriteStream } from 'node:fs';
import { constants } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ShimLaunch {
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logPath: string;
  exitFile: string;
  pidFile: string;
}

/** `<RFC3339Nano> <stream> F|P <line>` lines from a byte stream. */
export class CriLogWriter {
  private partial = new Map<string, string>();
  private out: WriteStream;

  constructor(private readonly path: string) {
    this.out = createWriteStream(path, { flags: 'a' });
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    const text = (this.partial.get(stream) ?? '') + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial.set(stream, lines.pop() ?? '');
    for (const line of lines) this.out.write(`${timestamp()} ${stream} F ${line}\n`);
  }

  flush(): void {
    for (const [stream, rest] of this.partial) if (rest) this.out.write(`${timestamp()} ${stream} P ${rest}\n`);
    this.partial.clear();
  }

  reopen(): void {
    this.out.end();
    this.out = createWriteStream(this.path, { flags: 'a' });
  }

  close(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.out.end(resolve));
  }
}

/** RFC 3339 with nanoseconds, as conmon writes it. */
export function timestamp(): string {
  const now = new Date();
  const ns = process.hrtime.bigint() % 1_000_000n;
  return `${now.toISOString().slice(0, 19)}.${String(now.getMilliseconds()).padStart(3, '0')}${String(ns).padStart(6, '0')}Z`;
}

function main(): void {
  const launch = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ShimLaunch;
  const log = new CriLogWriter(launch.logPath);
  // Own process group, so that a kill reaches everything the command started.
  const child = spawn(launch.args[0] ?? '/bin/false', launch.args.slice(1), { cwd: launch.cwd, env: launch.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  child.on('error', (err) => {
    log.write('stderr', Buffer.from(`${err.message}\n`));
  });
  if (child.pid) writeFileSync(launch.pidFile, String(child.pid));
  child.stdout.on('data', (d: Buffer) => log.write('stdout', d));
  child.stderr.on('data', (d: Buffer) => log.write('stderr', d));
  process.on('SIGHUP', () => log.reopen());
  child.on('close', (code, signal) => {
    const exit = code ?? 128 + (signal ? (constants.signals[signal] ?? 9) : 1);
    void log.close().then(() => {
      writeFileSync(`${launch.exitFile}.tmp`, String(exit));
      renameSync(`${launch.exitFile}.tmp`, launch.exitFile);
      process.exit(0);
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
