// Reading and removing cgroups, on v1 (one hierarchy per controller, as on this machine) and on
// v2 (one unified hierarchy). runc creates and configures them; we read usage and remove the
// pod-level directories we made once a sandbox is gone.
import { existsSync, readdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';

const CGROUP_ROOT = '/sys/fs/cgroup';

export function isCgroupV2(): boolean {
  return existsSync(join(CGROUP_ROOT, 'cgroup.controllers'));
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function statValue(text: string | undefined, key: string): number | undefined {
  const line = text?.split('\n').find((l) => l.startsWith(`${key} `));
  return line ? Number(line.split(' ')[1]) : undefined;
}

export interface Usage {
  cpuNanos?: number;
  memoryBytes?: number;
  workingSetBytes?: number;
  rssBytes?: number;
  memoryLimit?: number;
}

/** CPU and memory usage of a cgroup given as the path runc was given (e.g. /skiff/pod-x/ctr). */
export function readUsage(cgroupPath: string): Usage {
  if (isCgroupV2()) {
    const dir = join(CGROUP_ROOT, cgroupPath);
    const cpuStat = read(join(dir, 'cpu.stat'));
    const memStat = read(join(dir, 'memory.stat'));
    const current = Number(read(join(dir, 'memory.current')) ?? NaN);
    const inactive = statValue(memStat, 'inactive_file') ?? 0;
    const usec = statValue(cpuStat, 'usage_usec');
    const max = read(join(dir, 'memory.max'));
    return {
      ...(usec !== undefined ? { cpuNanos: usec * 1000 } : {}),
      ...(Number.isFinite(current) ? { memoryBytes: current, workingSetBytes: Math.max(0, current - inactive) } : {}),
      ...(statValue(memStat, 'anon') !== undefined ? { rssBytes: statValue(memStat, 'anon') } : {}),
      ...(max && max !== 'max' ? { memoryLimit: Number(max) } : {}),
    };
  }
  const cpu = read(join(CGROUP_ROOT, 'cpuacct', cgroupPath, 'cpuacct.usage'));
  const memDir = join(CGROUP_ROOT, 'memory', cgroupPath);
  const usage = Number(read(join(memDir, 'memory.usage_in_bytes')) ?? NaN);
  const memStat = read(join(memDir, 'memory.stat'));
  const inactive = statValue(memStat, 'total_inactive_file') ?? 0;
  const limit = Number(read(join(memDir, 'memory.limit_in_bytes')) ?? NaN);
  return {
    ...(cpu !== undefined ? { cpuNanos: Number(cpu) } : {}),
    ...(Number.isFinite(usage) ? { memoryBytes: usage, workingSetBytes: Math.max(0, usage - inactive) } : {}),
    ...(statValue(memStat, 'total_rss') !== undefined ? { rssBytes: statValue(memStat, 'total_rss') } : {}),
    // v1 reports "no limit" as a huge page-aligned number.
    ...(Number.isFinite(limit) && limit < 2 ** 62 ? { memoryLimit: limit } : {}),
  };
}

/** Every directory this cgroup path has (one per v1 controller, or one on v2). */
export function cgroupDirs(cgroupPath: string): string[] {
  if (isCgroupV2()) return [join(CGROUP_ROOT, cgroupPath)];
  let controllers: string[] = [];
  try {
    controllers = readdirSync(CGROUP_ROOT);
  } catch {
    return [];
  }
  return controllers.map((c) => join(CGROUP_ROOT, c, cgroupPath)).filter((d) => existsSync(d));
}

/** Removes a cgroup directory tree (children first); directories must hold no process. */
export function removeCgroup(cgroupPath: string): string[] {
  const failures: string[] = [];
  const removeTree = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) removeTree(join(dir, entry.name));
    }
    try {
      rmdirSync(dir);
    } catch (err) {
      failures.push(`${dir}: ${(err as Error).message}`);
    }
  };
  for (const dir of cgroupDirs(cgroupPath)) removeTree(dir);
  return failures;
}
