// Child processes with their output in a log file: spawn, wait for readiness, stop.
// Shared by `skiff up` (one child per component) and the test set-up (a throwaway etcd).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { findBinary } from './binaries.js';

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  name: string;
  pid: number;
  logFile: string;
  /** Resolves once the process has exited, for whatever reason. */
  exited: Promise<ExitResult>;
  /** Whether the process is still running (as far as we have observed). */
  running(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
  stop(graceMs?: number): Promise<void>;
  /** Last lines of its log, for error messages. */
  tail(lines?: number): string;
}

export interface SpawnOptions {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended to this file. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * util-linux `setpriv --pdeathsig TERM`: the kernel sends the child SIGTERM when we die, however
 * we die (SIGKILL, OOM), so no component outlives its launcher. The death signal survives the
 * exec chain setpriv → nsenter → node. Without setpriv the exit hook below is all there is.
 */
const setpriv = findBinary('setpriv');

/** The command line that runs `command` so that it gets SIGTERM when this process dies. */
export function tiedToUs(command: string, args: string[]): [string, string[]] {
  return setpriv ? [setpriv, ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, args];
}

/** Every child we spawned and that has not exited yet; killed synchronously if we exit first. */
const live = new Set<Child>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

/**
 * Spawns a child in its own process group (so a Ctrl-C in the terminal reaches only us and we
 * decide the shutdown order), with stdout+stderr appended to `logFile`; it gets SIGTERM if we die.
 */
export function spawnLogged(opts: SpawnOptions): Promise<Child> {
  mkdirSync(dirname(opts.logFile), { recursive: true });
  const fd = openSync(opts.logFile, 'a');
  const [command, args] = tiedToUs(opts.command, opts.args);
  const proc = spawn(command, args, {
    stdio: ['ignore', fd, fd],
    detached: true,
    env: opts.env ?? process.env,
  });
  closeSync(fd);
  return new Promise<Child>((resolve, reject) => {
    proc.once('error', (err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? `${opts.command} not found` : err.message;
      reject(new Error(`cannot start ${opts.name}: ${why}`));
    });
    proc.once('spawn', () => {
      const pid = proc.pid;
      if (pid === undefined) {
        reject(new Error(`cannot start ${opts.name}: no pid`));
        return;
      }
      let done = false;
      const exited = new Promise<ExitResult>((res) => {
        proc.once('exit', (code, signal) => {
          done = true;
          live.delete(child);
          res({ code, signal });
        });
      });
      const child: Child = {
        name: opts.name,
        pid,
        logFile: opts.logFile,
        exited,
        running: () => !done,
        tail: (lines = 20) => tailFile(opts.logFile, lines),
        stop: async (graceMs = 5000) => {
          if (done) return;
          proc.kill('SIGTERM');
          const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
          await exited;
          clearTimeout(timer);
        },
      };
      live.add(child);
      installExitHook();
      resolve(child);
    });
  });
}

/** How a child ended, in words: "exited with code 1", "was killed by SIGKILL". */
export function describeExit(r: ExitResult): string {
  return r.signal ? `was killed by ${r.signal}` : `exited with code ${r.code ?? '?'}`;
}

export function tailFile(file: string, lines: number): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Formats a log tail for inclusion in an error message. */
export function logExcerpt(child: Child, lines = 15): string {
  const tail = child.tail(lines);
  return tail ? `\nlast lines of ${child.logFile}:\n${indent(tail)}` : ` (log: ${child.logFile})`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}

export interface WaitOptions {
  /** What we are waiting for, for the error message ("etcd to become healthy"). */
  what: string;
  timeoutMs: number;
  /** If this child exits while we wait, fail at once with the tail of its log. */
  child?: Child;
  signal?: AbortSignal;
  intervalMs?: number;
}

/** Polls `probe` until it returns true; fails on deadline, child death or abort. */
export async function waitUntil(probe: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    if (opts.signal?.aborted) throw new Error(`interrupted while waiting for ${opts.what}`);
    if (opts.child && !opts.child.running()) {
      const r = await opts.child.exited;
      throw new Error(`${opts.child.name} ${describeExit(r)} before it was ready${logExcerpt(opts.child)}`);
    }
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      const log = opts.child ? logExcerpt(opts.child) : '';
      throw new Error(`timed out after ${Math.round(opts.timeoutMs / 1000)}s waiting for ${opts.what}${log}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}

/** GET `url` (short timeout); true when the status is 2xx and `check` (if given) accepts the body. */
export async function httpOk(url: string, check?: (body: string) => boolean): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
  const body = await res.text();
  return res.ok && (check ? check(body) : true);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Throws a clear error if something already listens on 127.0.0.1:`port`. */
export function assertPortFree(port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') {
        reject(new Error(`port ${port} (${what}) is already in use; stop whatever listens there or pick another port`));
      } else {
        reject(new Error(`cannot use port ${port} (${what}): ${err.message}`));
      }
    });
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve()));
  });
}

/** Parses a TCP port flag value. */
export function parsePort(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${flag}: not a port number: ${value}`);
  return n;
}
