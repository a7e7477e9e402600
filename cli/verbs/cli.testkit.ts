// Test support for the verbs: a real in-process apiserver, a kubeconfig pointing at it, and
// `node bin/skiff.js <verb>` run as a child process, exactly as a user runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Clientset } from '../../client/index.js';
import { startTestApiServer, type TestApiServer } from '../../testing/apiserver.js';
import { writeKubeconfig } from '../../host/kubeconfig.js';

// SKIFF_CLI_BIN runs the tests against another build of the CLI entry point.
const skiffBin = process.env.SKIFF_CLI_BIN ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../bin/skiff.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliFixture {
  api: TestApiServer;
  cs: Clientset;
  dir: string;
  kubeconfig: string;
  /** Runs `skiff ...args`; resolves when it exits. */
  skiff(args: string[], opts?: { stdin?: string }): Promise<CliResult>;
  /** Starts `skiff ...args` and leaves it running (for -w / -f). */
  spawn(args: string[]): Running;
  /** Writes a file into the fixture's temp dir and returns its path. */
  file(name: string, text: string): string;
  close(): Promise<void>;
}

export async function startCli(): Promise<CliFixture> {
  const api = await startTestApiServer();
  const dir = mkdtempSync(join(tmpdir(), 'skiff-cli-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeKubeconfig(kubeconfig, { server: api.url });
  const cs = new Clientset({ server: api.url });
  const env = { ...process.env, KUBECONFIG: kubeconfig };
  const start = (args: string[]): ChildProcess => spawn(process.execPath, [skiffBin, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    api, cs, dir, kubeconfig,
    spawn: (args) => running(start(args)),
    skiff: (args, opts = {}) => new Promise((resolvePromise, reject) => {
      const child = start(args);
      let stdout = '';
      let stderr = '';
      child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
      child.stdin!.end(opts.stdin ?? '');
    }),
    file: (name, text) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    },
    close: async () => {
      cs.close();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Running {
  child: ChildProcess;
  /** Everything printed to stdout so far. */
  stdout(): string;
  /** Resolves with stdout once `pattern` matches it (rejects after `ms`). */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the exit code once the process has ended by itself. */
  exited(): Promise<number | null>;
  /** SIGTERM, then resolves with the exit code. */
  stop(): Promise<number | null>;
}

function running(child: ChildProcess): Running {
  let out = '';
  const waiters: Array<() => void> = [];
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const w of waiters.splice(0)) w();
  });
  child.stderr!.resume();
  child.stdin!.end();
  return {
    child,
    stdout: () => out,
    waitFor: (pattern, ms = 15_000) => new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${pattern} in output within ${ms} ms; got:\n${out}`)), ms);
      const check = (): void => {
        if (pattern.test(out)) {
          clearTimeout(timer);
          resolvePromise(out);
        } else {
          waiters.push(check);
        }
      };
      check();
    }),
    exited: () => new Promise((resolvePromise) => {
      if (child.exitCode !== null) resolvePromise(child.exitCode);
      else child.once('close', (code) => resolvePromise(code));
    }),
    stop: () => new Promise((resolvePromise) => {
      if (child.exitCode !== null) return resolvePromise(child.exitCode);
      child.once('close', (code) => resolvePromise(code));
      child.kill('SIGTERM');
    }),
  };
}

/**
 * Mocha hooks for a suite: a fixture started before its tests (then `setup`, if given) and closed
 * after them. The returned object forwards to that fixture.
 */
export function useCli(setup?: (cli: CliFixture) => Promise<void>): CliFixture {
  let fixture: CliFixture | undefined;
  before(async () => {
    fixture = await startCli();
    await setup?.(fixture);
  });
  after(async () => {
    await fixture?.close();
  });
  return new Proxy({} as CliFixture, {
    get: (_target, key) => {
      if (!fixture) throw new Error('the CLI fixture is used outside its suite');
      return fixture[key as keyof CliFixture];
    },
  });
}
