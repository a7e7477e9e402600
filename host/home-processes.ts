// Finding and stopping the processes that belong to one skiff home, for `skiff down` and for the
// clean-up before `skiff up` (what k3s-killall.sh does for k3s). A process belongs to a home when
// it is one of the programs skiff starts and its command line names a path inside the home —
// every component gets its kubeconfig, data or state directory from there — so another home's
// processes, or an editor with a log open, are never touched.
import { readdirSync, readFileSync, type Dirent } from 'node:fs';
import { basename, join } from 'node:path';

/** The programs skiff runs (nsenter and setpriv exec into the component, keeping the pid). */
const ourPrograms = new Set(['node', basename(process.execPath), 'etcd', 'conmon', 'runc', 'nsenter', 'setpriv']);

export interface HomeProcess {
  pid: number;
  /** The command line, for messages. */
  command: string;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** Whether an argument is `home` or a path inside it (also as `--flag=/path`). */
export function namesPathIn(arg: string, home: string): boolean {
  const value = arg.startsWith('-') && arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : arg;
  return value === home || value.startsWith(`${home}/`) || value.startsWith(`unix://${home}/`);
}

/** Ourselves and our ancestors: `skiff down --home H` (and the shell that ran it) name the home too. */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 1 && !out.has(pid); ) {
    out.add(pid);
    const stat = read(`/proc/${pid}/stat`);
    pid = Number(stat?.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? 0);
  }
  return out;
}

/** Live processes of this home (zombies excluded), never ourselves. */
export function processesOfHome(home: string): HomeProcess[] {
  const skip = selfAndAncestors();
  const found: HomeProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || skip.has(pid)) continue;
    const args = read(`/proc/${pid}/cmdline`)?.split('\0').filter(Boolean) ?? [];
    const program = args[0] ? basename(args[0]) : '';
    if (!ourPrograms.has(program) || !args.some((a) => namesPathIn(a, home))) continue;
    if (!isRunning(pid)) continue;
    found.push({ pid, command: args.join(' ') });
  }
  return found;
}

/** Alive and not a zombie. */
export function isRunning(pid: number): boolean {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return false;
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** Pids of the processes in the given cgroup directories and their child cgroups. */
export function processesInCgroups(dirs: string[]): number[] {
  const pids = new Set<number>();
  const visit = (dir: string): void => {
    for (const line of (read(`${dir}/cgroup.procs`) ?? '').split('\n')) if (line) pids.add(Number(line));
    let children: Dirent[] = [];
    try {
      children = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // removed meanwhile
    }
    for (const child of children) if (child.isDirectory()) visit(join(dir, child.name));
  };
  for (const dir of dirs) visit(dir);
  return [...pids].filter(isRunning);
}

/** SIGTERM, then SIGKILL for whatever still runs after `graceMs`; resolves once all are gone. */
export async function stopProcesses(pids: number[], graceMs = 3000): Promise<void> {
  const signal = (pid: number, sig: NodeJS.Signals): void => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const killAt = Date.now() + graceMs;
  let killed = false;
  for (;;) {
    const left = pids.filter(isRunning);
    if (left.length === 0) return;
    if (!killed && Date.now() >= killAt) {
      for (const pid of left) signal(pid, 'SIGKILL');
      killed = true;
    }
    if (Date.now() > killAt + 10_000) throw new Error(`processes ${left.join(', ')} survived SIGKILL for 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Mount points at or below `dir`, deepest first (so they can be unmounted in that order). */
export function mountsUnder(dir: string): string[] {
  const points = (read('/proc/self/mountinfo') ?? '')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .map((p) => p.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))))
    .filter((p) => p === dir || p.startsWith(`${dir}/`));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

