// `skiff down [--home DIR]`: stops the cluster that `skiff up` runs from a home (from another
// terminal) and removes everything the home left on this machine, whether it stopped cleanly or
// crashed: processes, pods, mounts, node namespaces, bridge, routes, sockets, a stale lock. The
// data (etcd, PKI, logs) stays for the next `skiff up`.
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanHome } from './home-cleanup.js';
import { isRunning } from '../host/home-processes.js';
import { lockHolder } from '../host/lock.js';
import { sleep } from '../host/process.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function downCommand(): Command {
  return new Command('down')
    .description('stop the local cluster of a home (from another terminal) and remove everything it left on this machine')
    .option('--home <dir>', 'the cluster home given to `skiff up`', join(homedir(), '.skiff'))
    .action(async (flags: { home: string }) => {
      await down(resolve(flags.home));
    });
}

/** How long a running `skiff up` gets to stop its pods and components before it is killed. */
const stopGraceMs = 90_000;

export async function down(home: string): Promise<void> {
  if (!existsSync(home)) throw new Error(`${home} does not exist: no cluster has run from there`);
  // `skiff up`'s lock, or `skiff join`'s for a node home.
  const launcher = lockHolder(join(home, 'up.pid')) ?? lockHolder(join(home, 'join.pid'));
  if (launcher !== undefined) {
    say(`stopping the launcher (pid ${launcher})…`);
    process.kill(launcher, 'SIGTERM');
    const deadline = Date.now() + stopGraceMs;
    while (isRunning(launcher) && Date.now() < deadline) await sleep(100);
    if (isRunning(launcher)) {
      say(`the launcher did not stop within ${stopGraceMs / 1000}s; killing it`);
      process.kill(launcher, 'SIGKILL');
    }
  }
  const removed = await cleanHome(home);
  for (const what of removed) say(`removed ${what}`);
  say(removed.length || launcher !== undefined ? `${home}: down.` : `${home}: nothing was running.`);
}
