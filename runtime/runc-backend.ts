// Containers isolated by runc under conmon. The root filesystem is an overlay: the image's
// snapshots (or, for RuntimeClass host, the host's `/`) read-only below, a per-container
// writable layer above. Lower layers are named relative to the snapshot directory, with mount
// run from there as containerd does: mount options are capped at one page, and absolute paths
// would not fit beyond a few dozen layers.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pidAlive, type Backend } from './backend.js';
import { buildSpec } from './oci-spec.js';
import type { Runc, RunResult } from './runc.js';
import type { Snapshots } from './images/snapshots.js';
import { sandboxEtcFiles } from './sandbox-files.js';
import type { ContainerRecord, Layout, SandboxRecord } from './state.js';

const run = promisify(execFile);

function isMounted(path: string): boolean {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .some((line) => line.split(' ')[4] === path);
  } catch {
    return false;
  }
}

export class RuncBackend implements Backend {
  readonly mode = 'runc' as const;

  constructor(
    private readonly runc: Runc,
    private readonly layout: Layout,
    private readonly logSizeMax: number,
    private readonly snapshots: Snapshots,
  ) {}

  async create(rec: ContainerRecord, sandbox: SandboxRecord): Promise<void> {
    const dir = this.layout.containerDir(rec.id);
    const rootfs = this.layout.rootfs(rec.id);
    for (const d of ['upper', 'work']) mkdirSync(join(dir, d), { recursive: true });
    mkdirSync(rootfs, { recursive: true });
    mkdirSync(this.layout.persist(rec.id), { recursive: true });
    if (!isMounted(rootfs)) {
      const lower = rec.image ? [...rec.image.chainIds].reverse().map((c) => this.snapshots.relative(c)).join(':') : '/';
      await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${join(dir, 'upper')},workdir=${join(dir, 'work')}`, rootfs], { cwd: this.snapshots.dir });
    }
    const spec = buildSpec({
      config: rec.config,
      hostname: sandbox.config.hostname || sandbox.config.metadata?.name || 'pod',
      netns: sandbox.netns,
      etcFiles: sandboxEtcFiles(this.layout, sandbox.id),
      cgroupPath: rec.cgroupPath,
      hide: [this.layout.root],
      ...(rec.process ? { process: rec.process } : {}),
      sysctls: sandbox.config.linux?.sysctls ?? {},
      hostNamespaces: {
        pid: sandbox.config.linux?.securityContext?.namespaceOptions?.pid === 'NODE',
        ipc: sandbox.config.linux?.securityContext?.namespaceOptions?.ipc === 'NODE',
      },
    });
    writeFileSync(join(this.layout.bundle(rec.id), 'config.json'), JSON.stringify(spec, null, 1));
    await this.runc.create({
      id: rec.id,
      bundle: this.layout.bundle(rec.id),
      logPath: rec.logPath,
      exitDir: this.layout.exits,
      persistDir: this.layout.persist(rec.id),
      socketDir: this.layout.attach,
      logSizeMax: this.logSizeMax,
    });
  }

  start(rec: ContainerRecord): Promise<void> {
    return this.runc.start(rec.id);
  }

  kill(rec: ContainerRecord, signal: 'TERM' | 'KILL'): Promise<void> {
    return this.runc.kill(rec.id, signal);
  }

  supervisorAlive(rec: ContainerRecord): boolean {
    try {
      return pidAlive(Number(readFileSync(join(this.layout.bundle(rec.id), 'conmon.pid'), 'utf8').trim()));
    } catch {
      return false;
    }
  }

  async remove(rec: ContainerRecord): Promise<void> {
    await this.runc.delete(rec.id);
    const rootfs = this.layout.rootfs(rec.id);
    if (isMounted(rootfs)) await run('umount', [rootfs]);
  }

  execSync(rec: ContainerRecord, cmd: string[], timeoutMs: number): Promise<RunResult> {
    return this.runc.exec(rec.id, cmd, timeoutMs);
  }

  execCommand(rec: ContainerRecord, cmd: string[]): { file: string; args: string[] } {
    return { file: this.runc.runcPath, args: this.runc.execArgv(rec.id, cmd) };
  }

  async reopenLog(rec: ContainerRecord): Promise<void> {
    // conmon's control FIFO: "<type> <height> <width>\n", type 2 = reopen the log file.
    const ctl = join(this.layout.bundle(rec.id), 'ctl');
    if (!existsSync(ctl) || !this.supervisorAlive(rec)) return;
    writeFileSync(ctl, '2 0 0\n', { flag: 'a' });
  }
}
