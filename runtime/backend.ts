// How a container's process is actually run. Two implementations share every bit of CRI
// bookkeeping in service.ts: runc under conmon (isolated; needs root and runc), and plain host
// processes under a small Node shim (no root or no runc). Both leave the exit code in
// <root>/exits/<id>, which is how the service tells a finished container from a running one.
import type { ContainerRecord, SandboxRecord } from './state.js';
import type { RunResult } from './runc.js';

export interface Backend {
  readonly mode: 'runc' | 'host';
  /** Prepares the container so that `start` only has to let it run. */
  create(rec: ContainerRecord, sandbox: SandboxRecord): Promise<void>;
  start(rec: ContainerRecord): Promise<void>;
  /** Signals every process of the container; no error when it has already exited. */
  kill(rec: ContainerRecord, signal: 'TERM' | 'KILL'): Promise<void>;
  /** Whether the supervising process (conmon or the shim) is still alive. */
  supervisorAlive(rec: ContainerRecord): boolean;
  /** Frees everything but the record: runtime state, root filesystem mount. */
  remove(rec: ContainerRecord): Promise<void>;
  execSync(rec: ContainerRecord, cmd: string[], timeoutMs: number): Promise<RunResult>;
  /** The command line of an interactive exec (the streaming server spawns it). */
  execCommand(rec: ContainerRecord, cmd: string[]): { file: string; args: string[] };
  /** Asks the log writer to reopen the log file (after rotation). */
  reopenLog(rec: ContainerRecord): Promise<void>;
}

export function pidAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
