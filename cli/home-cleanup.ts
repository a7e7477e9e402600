// Everything one skiff home may have left on this machine, and removing it: like k3s's
// killall script, but targeted — processes are matched by the home's paths in their command
// line, pods by the records of the home's runtimes, the network by the record `skiff up` wrote
// before creating it (<home>/run/network.json). Used by `skiff down` and before `skiff up`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { podCgroupDirs, reclaimRoot } from '../runtime/index.js';
import { mountsUnder, processesInCgroups, processesOfHome, stopProcesses } from '../host/home-processes.js';
import { lockHolder } from '../host/lock.js';
import { tearDownRecorded, type NetworkRecord } from '../host/node-net.js';

const networkFile = (home: string): string => join(home, 'run', 'network.json');

/** Writes down the host network a home is about to create (before creating it). */
export function recordNetwork(home: string, rec: NetworkRecord): void {
  mkdirSync(join(home, 'run'), { recursive: true });
  writeFileSync(networkFile(home), `${JSON.stringify(rec, null, 2)}\n`);
}

/** The state directories of the runtimes of a home: `skiff up`'s nodes, and `skiff join`'s one. */
function runtimeRoots(home: string): string[] {
  const nodes = join(home, 'nodes');
  const ofNodes = existsSync(nodes) ? readdirSync(nodes).map((n) => join(nodes, n, 'runtime')) : [];
  return [...ofNodes, join(home, 'runtime')].filter((r) => existsSync(r));
}

/** Runtime sockets of a home (a live runtime would have been stopped first). */
function sockets(home: string): string[] {
  const nodes = join(home, 'nodes');
  const ofNodes = existsSync(nodes) ? readdirSync(nodes).map((n) => join(nodes, n, 'runtime.sock')) : [];
  return [...ofNodes, join(home, 'runtime.sock')].filter((s) => existsSync(s));
}

/**
 * Stops every process of the home and removes its pods, mounts, host network, sockets and a stale
 * lock. Must not run while a `skiff up` of this home is alive. Returns what it removed, in words.
 */
export async function cleanHome(home: string): Promise<string[]> {
  const done: string[] = [];
  const roots = runtimeRoots(home);
  const procs = processesOfHome(home);
  const podPids = processesInCgroups(roots.flatMap(podCgroupDirs));
  if (procs.length + podPids.length > 0) {
    await stopProcesses([...procs.map((p) => p.pid), ...podPids]);
    done.push(...procs.map((p) => `process ${p.pid} (${p.command.slice(0, 100)})`));
    if (podPids.length) done.push(`${podPids.length} container process(es)`);
  }
  // Unmounted before anything is removed: removing a tree must never reach into a mount.
  for (const point of mountsUnder(home)) {
    // Lazy: a mount still busy (an open file somewhere) is detached now and freed when idle.
    if (spawnSync('umount', ['-l', point], { stdio: 'ignore' }).status === 0) done.push(`mount ${point}`);
  }
  for (const root of roots) done.push(...(await reclaimRoot(root)));
  if (existsSync(networkFile(home))) {
    done.push(...tearDownRecorded(JSON.parse(readFileSync(networkFile(home), 'utf8')) as NetworkRecord));
    rmSync(networkFile(home));
  }
  for (const sock of sockets(home)) {
    rmSync(sock, { force: true });
    done.push(`socket ${sock}`);
  }
  for (const lock of [join(home, 'up.pid'), join(home, 'join.pid')]) {
    if (existsSync(lock) && lockHolder(lock) === undefined) {
      rmSync(lock, { force: true });
      done.push(`stale lock ${lock}`);
    }
  }
  return done;
}
