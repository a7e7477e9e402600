// `skiff etcd-snapshot save FILE` and `skiff etcd-snapshot restore FILE --home DIR`: backups of a
// local cluster's store, like k3s's command of the same name. Save reads a running cluster (its
// etcd address from <home>/status.json, or --etcd-servers); restore makes a new home's etcd data
// from a snapshot, which the next `skiff up --home DIR` then serves.
import { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { restoreSnapshot, saveSnapshot } from '../host/etcd-snapshot.js';
import { lockHolder } from '../host/lock.js';
import { parsePort } from '../host/process.js';

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const defaultHome = join(homedir(), '.skiff');

/** The client URL of the etcd that `skiff up` runs from `home`. */
export function runningEtcdUrl(home: string): string {
  if (lockHolder(join(home, 'up.pid')) === undefined) throw new Error(`no cluster is running from ${home} (start it with: skiff up --home ${home}, or give --etcd-servers)`);
  const status = JSON.parse(readFileSync(join(home, 'status.json'), 'utf8')) as { components: Array<{ name: string; where: string }> };
  const url = status.components.find((c) => c.name === 'etcd')?.where;
  if (!url) throw new Error(`${join(home, 'status.json')} names no etcd`);
  return url;
}

export function etcdSnapshotCommand(): Command {
  const cmd = new Command('etcd-snapshot').description("save or restore a snapshot of the cluster's etcd");
  cmd
    .command('save <file>')
    .description('write a consistent snapshot of the running cluster store to FILE')
    .option('--home <dir>', 'the cluster home given to `skiff up`', defaultHome)
    .option('--etcd-servers <url>', 'the etcd to snapshot (default: the one `skiff up` runs from --home)')
    .action(async (file: string, flags: { home: string; etcdServers?: string }) => {
      const url = flags.etcdServers ?? runningEtcdUrl(resolve(flags.home));
      const saved = await saveSnapshot(url, resolve(file));
      say(`saved ${saved.file} (${saved.bytes} bytes, revision ${saved.revision})`);
    });
  cmd
    .command('restore <file>')
    .description("make a home's etcd data from a snapshot; then start it with `skiff up --home DIR`")
    .requiredOption('--home <dir>', 'the home to restore into (its etcd data must not exist yet)')
    .option('--etcd-port <port>', 'the etcd client port `skiff up` will use for this home (its peer port is this + 1)', '2379')
    .action(async (file: string, flags: { home: string; etcdPort: string }) => {
      const home = resolve(flags.home);
      const etcdPort = parsePort(flags.etcdPort, '--etcd-port');
      if (lockHolder(join(home, 'up.pid')) !== undefined) throw new Error(`a cluster is running from ${home}; stop it first (skiff down --home ${home})`);
      if (existsSync(join(home, 'etcd'))) throw new Error(`${join(home, 'etcd')} already exists; restore into a new home, or move it away first`);
      mkdirSync(home, { recursive: true });
      await restoreSnapshot(resolve(file), { dataDir: join(home, 'etcd'), peerPort: etcdPort + 1, log: say });
      say(`restored ${resolve(file)} into ${join(home, 'etcd')}; start it with: skiff up --home ${home} --etcd-port ${etcdPort}`);
    });
  return cmd;
}
