// CPU time of the processes a benchmark runs (from /proc on Linux), so that a figure can say
// which process spent what: apiserver, scheduler, etcd.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** User + system CPU milliseconds a process has used so far; undefined where /proc is missing. */
export function processCpuMs(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(')').pop()!.trim().split(/\s+/);
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** CPU milliseconds of this process (all threads). */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Starts counting; `stop()` gives each process's CPU ms since then (undefined where unknown). */
export function cpuMeter(pids: Record<string, number | 'self'>): { stop(): Record<string, number | undefined> } {
  const read = (p: number | 'self') => (p === 'self' ? ownCpuMs() : processCpuMs(p));
  const start = Object.fromEntries(Object.entries(pids).map(([k, p]) => [k, read(p)]));
  return {
    stop: () =>
      Object.fromEntries(
        Object.entries(pids).map(([k, p]) => {
          const a = start[k];
          const b = read(p);
          return [k, a === undefined || b === undefined ? undefined : b - a];
        }),
      ),
  };
}

/** Peak resident set of a process so far (VmHWM), in MiB; undefined once it is gone. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
