// Helpers for end-to-end tests that drive real processes: a whole `skiff up` cluster as a child
// process, and the real `kubectl` pointed at it (one-shot runs and long-running watches).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertPortFree, freePort, sleep, tailFile } from '../host/process.js';
import { requestWithCa } from '../host/tls-get.js';
import { etcdPorts } from '../testing/skiff-run.js';

/** The skiff launcher as an operator runs it (`bin/skiff.js` imports the compiled CLI). */
const skiffBin = fileURLToPath(new URL('../../bin/skiff.js', import.meta.url));

/** The real kubectl; SKIFF_KUBECTL overrides it. */
export const kubectlPath = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

/** A kubectl run, for failure messages. */
/**
 * kubectl against the cluster `cluster()` returns (set later by useCluster) that must succeed:
 * its stdout, or a failed assertion showing everything it printed.
 */
export function kubectlOk(cluster: () => Cluster, timeoutMs: number): (...args: string[]) => Promise<string> {
  return async (...args) => {
    const r = await cluster().kubectl(args, { timeoutMs });
    assert.equal(r.code, 0, show(r));
    return r.stdout;
  };
}

export function show(r: RunResult): string {
  return `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  /** Written to kubectl's stdin (then closed). */
  stdin?: string;
  /** Kill kubectl (SIGKILL) after this long; default 60 s. */
  timeoutMs?: number;
}

/** A long-running process whose output is read as it arrives (e.g. `kubectl get -w`). */
export interface Stream {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout matches; fails at the deadline or if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** SIGTERM (SIGKILL after 5 s); resolves with how it ended. */
  stop(): Promise<RunResult>;
}

export interface Cluster {
  /** The temp dir holding everything of this cluster (home, kubectl cache). */
  root: string;
  home: string;
  port: number;
  etcdPort: number;
  url: string;
  kubeconfig: string;
  /** Everything `skiff up` printed so far. */
  output(): string;
  /** kubectl against this cluster, with its own discovery cache. */
  kubectl(args: string[], opts?: KubectlOptions): Promise<RunResult>;
  /** A kubectl that keeps running (watch); stop it with `stop()`. */
  kubectlStream(args: string[]): Stream;
  /** The last lines of a component's log (`apiserver`, `etcd`). */
  log(component: string, lines?: number): string;
  /**
   * Stops `skiff up` with SIGTERM and checks that it exits 0 and that neither etcd nor the
   * apiserver outlives it. Throws (with the output) otherwise. The data stays in `home`.
   */
  stop(): Promise<void>;
  /** Starts `skiff up` again on the same home and ports (the data is kept). */
  restart(): Promise<void>;
  /** `kill -9` of `skiff up` itself (what an OOM kill does); resolves once it is gone. */
  crash(): Promise<void>;
  /** Kills whatever is left and removes the temp dir (keeps it when SKIFF_E2E_KEEP is set). */
  destroy(): Promise<void>;
}

/** Processes to SIGKILL if the test process exits without stopping them (last resort). */
const leftovers = new Set<number>();
let exitHookInstalled = false;
function trackPid(pid: number): void {
  leftovers.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of leftovers) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

function collect(proc: ChildProcess): { out: () => string; err: () => string; done: Promise<RunResult> } {
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<RunResult>((resolve, reject) => {
    proc.once('error', reject);
    // 'close' (not 'exit') so that all output has been read.
    proc.once('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err }));
  });
  return { out: () => out, err: () => err, done };
}

/** Runs a command to completion and returns its exit code and output. */
export async function run(command: string, args: string[], opts: KubectlOptions & { env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  const proc = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
  if (proc.pid !== undefined) trackPid(proc.pid);
  const io = collect(proc);
  proc.stdin?.on('error', () => {
    // the command may exit without reading its stdin
  });
  proc.stdin?.end(opts.stdin ?? '');
  const timeoutMs = opts.timeoutMs ?? 60_000;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill('SIGKILL');
  }, timeoutMs);
  try {
    const result = await io.done;
    if (timedOut) {
      throw new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000}s\nstdout: ${result.stdout}\nstderr: ${result.stderr}`);
    }
    return result;
  } finally {
    clearTimeout(timer);
    if (proc.pid !== undefined) leftovers.delete(proc.pid);
  }
}

/** Spawns a long-running command and reads its stdout incrementally. */
export function stream(command: string, args: string[], env?: NodeJS.ProcessEnv): Stream {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
  if (proc.pid !== undefined) trackPid(proc.pid);
  const io = collect(proc);
  let ended = false;
  void io.done.then(
    () => (ended = true),
    () => (ended = true),
  );
  return {
    proc,
    stdout: io.out,
    stderr: io.err,
    async waitFor(pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = pattern.exec(io.out());
        if (m) return m;
        if (ended) throw new Error(`${command} exited before printing ${pattern}\nstdout:\n${io.out()}\nstderr:\n${io.err()}`);
        if (Date.now() > deadline) {
          throw new Error(`no ${pattern} within ${timeoutMs / 1000}s from ${command} ${args.join(' ')}\nstdout:\n${io.out()}\nstderr:\n${io.err()}`);
        }
        await sleep(50);
      }
    },
    async stop() {
      if (!ended) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
        try {
          return await io.done;
        } finally {
          clearTimeout(timer);
          if (proc.pid !== undefined) leftovers.delete(proc.pid);
        }
      }
      return io.done;
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped) counts as gone.
  try {
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Polls `probe` until it returns true, or fails with `what` at the deadline. */
export async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000, intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/**
 * Starts `node bin/skiff.js up --home <tmp>/home --port <free> --etcd-port <free>` as a child
 * process and waits until it has written its kubeconfig and /readyz answers 200.
 */
/**
 * One cluster for a test file: started before its tests, stopped (and removed) after them, and
 * the apiserver's last log lines printed under a failing test. `use` receives the cluster.
 */
export function useCluster(use: (cluster: Cluster) => void, opts: ClusterOptions = {}): void {
  let cluster: Cluster | undefined;
  before(async function () {
    this.timeout(300_000);
    cluster = await startCluster(opts);
    use(cluster);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed' && cluster) {
      process.stderr.write(`\n--- last lines of ${cluster.home}/logs/apiserver.log ---\n${cluster.log('apiserver', 30)}\n---\n`);
    }
  });
  after(async function () {
    this.timeout(60_000);
    if (!cluster) return;
    try {
      await cluster.stop();
    } finally {
      await cluster.destroy();
    }
  });
}

export interface ClusterOptions {
  /** Local nodes (`skiff up --nodes`); default 0, the control plane alone. */
  nodes?: number;
  /** More `skiff up` flags, computed in the `before` hook (e.g. a registry started there). */
  upArgs?: () => Promise<string[]>;
}

export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const root = mkdtempSync(join(tmpdir(), 'skiff-e2e-'));
  const home = join(root, 'home');
  const cacheDir = join(root, 'kube-cache');
  mkdirSync(cacheDir, { recursive: true });
  const port = await freePort();
  const etcdPort = await etcdPorts();
  const url = `https://127.0.0.1:${port}`;
  const kubeconfig = join(home, 'kubeconfig');

  let proc: ChildProcess | undefined;
  let exited: Promise<RunResult> = Promise.resolve({ code: 0, signal: null, stdout: '', stderr: '' });
  let outputs: string[] = [];
  let current = (): string => '';
  const output = (): string => [...outputs, current()].join('\n--- restart ---\n');

  // kubectl must see only this cluster: no KUBECONFIG from the environment, its own cache.
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.KUBECONFIG;
  const kubectlArgs = (args: string[]): string[] => ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args];

  /** Every component of up's summary, with its pid. */
  const components = (text: string): Array<{ name: string; pid: number }> =>
    [...text.matchAll(/^\s+(\S+)\s+\S+\s+pid (\d+)/gm)].map((m) => ({ name: m[1] as string, pid: Number(m[2]) }));

  const upArgs = (await opts.upArgs?.()) ?? [];
  const launch = async (): Promise<void> => {
    // A kubeconfig from a previous run must not count as "ready".
    rmSync(kubeconfig, { force: true });
    const p = spawn(process.execPath, [skiffBin, 'up', '--home', home, '--port', String(port), '--etcd-port', String(etcdPort), '--nodes', String(opts.nodes ?? 0), ...upArgs], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    proc = p;
    if (p.pid !== undefined) trackPid(p.pid);
    let text = '';
    p.stdout?.on('data', (d: Buffer) => (text += d.toString()));
    p.stderr?.on('data', (d: Buffer) => (text += d.toString()));
    current = () => text;
    exited = new Promise<RunResult>((resolve) => {
      p.once('close', (code, signal) => resolve({ code, signal, stdout: text, stderr: '' }));
    });
    let done = false;
    void exited.then(() => (done = true));

    const deadline = Date.now() + 240_000;
    for (;;) {
      if (done) {
        const r = await exited;
        throw new Error(`skiff up exited (code ${r.code}, signal ${r.signal}) before it was ready:\n${text}\napiserver log:\n${tailFile(join(home, 'logs', 'apiserver.log'), 30)}`);
      }
      if (existsSync(kubeconfig)) {
        const ca = readFileSync(join(home, 'pki', 'ca.crt'), 'utf8');
        const ready = await requestWithCa(`${url}/readyz`, { ca, timeoutMs: 2000 }).then(
          (r) => r.status === 200,
          () => false,
        );
        // up prints its summary once every component (and node) is ready.
        if (ready && text.includes('Press Ctrl-C to stop')) break;
      }
      if (Date.now() > deadline) {
        p.kill('SIGKILL');
        throw new Error(`skiff up was not ready (kubeconfig + ${url}/readyz + summary) within 240s:\n${text}`);
      }
      await sleep(100);
    }
    for (const c of components(text)) trackPid(c.pid);
  };

  const stop = async (): Promise<void> => {
    const p = proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const text = current();
    const pids: Array<{ name: string; pid: number | undefined }> = components(text);
    for (const name of ['etcd', 'apiserver']) if (!pids.some((c) => c.name === name)) pids.push({ name, pid: undefined });
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
    const r = await exited;
    clearTimeout(timer);
    outputs = [...outputs, current()];
    current = () => '';
    if (p.pid !== undefined) leftovers.delete(p.pid);
    const problems: string[] = [];
    if (r.code !== 0) problems.push(`skiff up ended with code ${r.code} signal ${r.signal} after SIGTERM (want exit code 0)`);
    for (const { name, pid } of pids) {
      if (pid === undefined) {
        problems.push(`no ${name} pid in the output of skiff up`);
        continue;
      }
      // The children are reaped by skiff up before it exits; allow a moment for the kernel.
      const until = Date.now() + 2000;
      while (alive(pid) && Date.now() < until) await sleep(50);
      if (alive(pid)) {
        problems.push(`${name} (pid ${pid}) is still running after skiff up exited`);
        process.kill(pid, 'SIGKILL');
      } else {
        leftovers.delete(pid);
      }
    }
    await assertPortFree(etcdPort, 'etcd client').catch((e: Error) => problems.push(e.message));
    await assertPortFree(port, 'apiserver').catch((e: Error) => problems.push(e.message));
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\noutput of skiff up:\n${output()}`);
  };

  const cluster: Cluster = {
    root,
    home,
    port,
    etcdPort,
    url,
    kubeconfig,
    output,
    kubectl: (args, opts = {}) => run(kubectlPath, kubectlArgs(args), { ...opts, env }),
    kubectlStream: (args) => stream(kubectlPath, kubectlArgs(args), env),
    log: (component, lines = 40) => tailFile(join(home, 'logs', `${component}.log`), lines),
    stop,
    restart: launch,
    crash: async () => {
      const p = proc;
      if (!p || p.exitCode !== null || p.signalCode !== null) throw new Error('skiff up is not running');
      p.kill('SIGKILL');
      await exited;
      outputs = [...outputs, current()];
      current = () => '';
      if (p.pid !== undefined) leftovers.delete(p.pid);
    },
    destroy: async () => {
      if (proc && proc.exitCode === null && proc.signalCode === null) {
        await stop().catch(() => undefined);
      }
      if (process.env.SKIFF_E2E_KEEP) {
        process.stderr.write(`kept ${root} (SKIFF_E2E_KEEP)\n`);
        return;
      }
      // Whatever a failed test left (pods, their overlay mounts, namespaces) goes before the files.
      const down = await run(process.execPath, [skiffBin, 'down', '--home', home]);
      if (down.code !== 0) throw new Error(`skiff down --home ${home} failed:\n${show(down)}`);
      rmSync(root, { recursive: true, force: true });
    },
  };
  try {
    await launch();
  } catch (err) {
    await cluster.destroy();
    throw err;
  }
  return cluster;
}
