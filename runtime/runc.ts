// Driving runc and conmon, as CRI-O does: conmon runs `runc create`, then stays as the
// container's parent (it holds stdio, writes the CRI-format log, records the exit code and OOM
// kills), detached from us so that containers outlive the runtime process. Everything else is a
// plain `runc` command against our private --root.
import { execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

export function findBinary(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // next
    }
  }
  return undefined;
}

export interface RunResult {
  code: number;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
}

const OUTPUT_CAP = 16 * 1024 * 1024;

/** Runs a command, collecting output (each stream capped at 16 MiB, as the CRI asks for ExecSync). */
export function runCommand(file: string, args: string[], timeoutMs = 0): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      if (outLen < OUTPUT_CAP) out.push(d.subarray(0, OUTPUT_CAP - outLen));
      outLen += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (errLen < OUTPUT_CAP) err.push(d.subarray(0, OUTPUT_CAP - errLen));
      errLen += d.length;
    });
    const timer =
      timeoutMs > 0
        ? setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs)
        : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 + 9 : 1), stdout: Buffer.concat(out), stderr: Buffer.concat(err), timedOut });
    });
  });
}

export class Runc {
  constructor(
    readonly runcPath: string,
    readonly conmonPath: string,
    readonly stateRoot: string,
  ) {}

  private async run(args: string[], timeoutMs = 30_000): Promise<RunResult> {
    return runCommand(this.runcPath, [`--root=${this.stateRoot}`, ...args], timeoutMs);
  }

  private async must(args: string[]): Promise<void> {
    const r = await this.run(args);
    if (r.code !== 0) throw new Error(`runc ${args.join(' ')}: ${r.stderr.toString().trim() || `exit ${r.code}`}`);
  }

  /**
   * Creates the container under a new conmon (runc create); resolves with the container's pid
   * once it exists, or rejects with runc's error. The process waits for `start`.
   */
  create(opts: { id: string; bundle: string; logPath: string; exitDir: string; persistDir: string; socketDir: string; logSizeMax: number }): Promise<number> {
    const args = [
      '--api-version', '1',
      '-c', opts.id,
      '-u', opts.id,
      '-n', opts.id,
      '-r', this.runcPath,
      '-b', opts.bundle,
      '-p', join(opts.bundle, 'pidfile'),
      '-P', join(opts.bundle, 'conmon.pid'),
      '--exit-dir', opts.exitDir,
      '--persist-dir', opts.persistDir,
      // Not inside the bundle: conmon links <socketDir>/<id> to the bundle.
      '--socket-dir-path', opts.socketDir,
      '-l', `k8s-file:${opts.logPath}`,
      '--log-size-max', String(opts.logSizeMax),
      '--runtime-arg', `--root=${this.stateRoot}`,
    ];
    return new Promise((resolve, reject) => {
      // fd 3 is conmon's sync pipe: it writes {"data": <pid>} (or a negative value and a message).
      // In the bundle: conmon drops an `oom` file in its working directory when the container is
      // OOM-killed, which must not land wherever the runtime was started.
      const child = spawn(this.conmonPath, args, { cwd: opts.bundle, stdio: ['ignore', 'ignore', 'ignore', 'pipe'], detached: true, env: { ...process.env, _OCI_SYNCPIPE: '3' } });
      const sync = child.stdio[3] as NodeJS.ReadableStream;
      let text = '';
      let settled = false;
      const settle = (): void => {
        if (settled) return;
        const match = /\{[^}]*\}/.exec(text);
        if (!match) return;
        settled = true;
        sync.removeAllListeners();
        (sync as unknown as { destroy(): void }).destroy();
        child.unref();
        try {
          const msg = JSON.parse(match[0]) as { data?: number; pid?: number; message?: string };
          const pid = msg.data ?? msg.pid ?? -1;
          if (pid > 0) resolve(pid);
          else reject(new Error(`runc create ${opts.id}: ${msg.message ?? 'failed'}`));
        } catch (err) {
          reject(new Error(`conmon for ${opts.id}: unreadable sync message ${match[0]}: ${String(err)}`));
        }
      };
      sync.on('data', (d: Buffer) => {
        text += d.toString();
        settle();
      });
      sync.on('end', () => {
        settle();
        if (!settled) {
          settled = true;
          reject(new Error(`conmon for ${opts.id} exited without reporting a pid (${text.trim() || 'no output'})`));
        }
      });
      child.on('error', (err) => {
        if (!settled) {
          settled = true;
          reject(err);
        }
      });
    });
  }

  start(id: string): Promise<void> {
    return this.must(['start', id]);
  }

  /** Signals the container's processes; a container that already exited is not an error. */
  async kill(id: string, signal: 'TERM' | 'KILL'): Promise<void> {
    const r = await this.run(['kill', '--all', id, signal]);
    if (r.code !== 0 && !/not running|does not exist|process already finished/.test(r.stderr.toString())) {
      throw new Error(`runc kill ${id} ${signal}: ${r.stderr.toString().trim()}`);
    }
  }

  async delete(id: string): Promise<void> {
    const r = await this.run(['delete', '--force', id]);
    if (r.code !== 0 && !/does not exist/.test(r.stderr.toString())) throw new Error(`runc delete ${id}: ${r.stderr.toString().trim()}`);
  }

  /** runc's view of the container, or undefined when runc does not know it. */
  async state(id: string): Promise<{ status: string; pid: number } | undefined> {
    const r = await this.run(['state', id]);
    if (r.code !== 0) return undefined;
    return JSON.parse(r.stdout.toString()) as { status: string; pid: number };
  }

  /** `runc exec` with the container's own environment, user and working directory. */
  exec(id: string, cmd: string[], timeoutMs: number): Promise<RunResult> {
    return runCommand(this.runcPath, [`--root=${this.stateRoot}`, 'exec', id, ...cmd], timeoutMs);
  }

  /** Argument vector for an interactive `runc exec` (the streaming server spawns it itself). */
  execArgv(id: string, cmd: string[]): string[] {
    return [`--root=${this.stateRoot}`, 'exec', id, ...cmd];
  }
}
