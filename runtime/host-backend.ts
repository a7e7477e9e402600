// Containers as plain host processes, for machines where they cannot be isolated (not root, or
// no runc): no namespaces, no cgroup limits, the host's network. A detached Node shim
// (host-shim.ts) supervises each one, so it outlives the runtime like a conmon-run container.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pidAlive, type Backend } from './backend.js';
import { runCommand, type RunResult } from './runc.js';
import type { ShimLaunch } from './host-shim.js';
import type { ContainerRecord, Layout, SandboxRecord } from './state.js';

const SHIM = fileURLToPath(new URL('./host-shim.js', import.meta.url));

function readPid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined;
  } catch {
    return undefined;
  }
}

export class HostBackend implements Backend {
  readonly mode = 'host' as const;

  constructor(private readonly layout: Layout) {}

  private file(rec: ContainerRecord, name: string): string {
    return join(this.layout.containerDir(rec.id), name);
  }

  async create(rec: ContainerRecord, sandbox: SandboxRecord): Promise<void> {
    mkdirSync(this.layout.containerDir(rec.id), { recursive: true });
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOSTNAME: sandbox.config.hostname };
    for (const e of rec.config.envs) env[e.key] = e.value;
    const launch: ShimLaunch = {
      args: [...rec.config.command, ...rec.config.args],
      env,
      cwd: rec.config.workingDir || '/',
      logPath: rec.logPath,
      exitFile: this.layout.exitFile(rec.id),
      pidFile: this.file(rec, 'process.pid'),
    };
    writeFileSync(this.file(rec, 'launch.json'), JSON.stringify(launch));
  }

  async start(rec: ContainerRecord): Promise<void> {
    const shim = spawn(process.execPath, [SHIM, this.file(rec, 'launch.json')], { detached: true, stdio: 'ignore' });
    shim.unref();
    if (shim.pid) writeFileSync(this.file(rec, 'shim.pid'), String(shim.pid));
    // Started means the process exists (or has already finished).
    const deadline = Date.now() + 10_000;
    while (!existsSync(this.file(rec, 'process.pid')) && !existsSync(this.layout.exitFile(rec.id))) {
      if (Date.now() > deadline) throw new Error(`host process for ${rec.id} did not start within 10s`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async kill(rec: ContainerRecord, signal: 'TERM' | 'KILL'): Promise<void> {
    const pid = readPid(this.file(rec, 'process.pid'));
    if (!pid) return;
    try {
      process.kill(-pid, signal === 'TERM' ? 'SIGTERM' : 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }

  supervisorAlive(rec: ContainerRecord): boolean {
    return pidAlive(readPid(this.file(rec, 'shim.pid')));
  }

  async remove(): Promise<void> {
    // Nothing beyond the container directory, which the service drops.
  }

  execSync(_rec: ContainerRecord, cmd: string[], timeoutMs: number): Promise<RunResult> {
    return runCommand(cmd[0] ?? '/bin/false', cmd.slice(1), timeoutMs);
  }

  execCommand(_rec: ContainerRecord, cmd: string[]): { file: string; args: string[] } {
    return { file: cmd[0] ?? '/bin/false', args: cmd.slice(1) };
  }

  async reopenLog(rec: ContainerRecord): Promise<void> {
    const pid = readPid(this.file(rec, 'shim.pid'));
    if (pid && pidAlive(pid)) process.kill(pid, 'SIGHUP');
  }
}
