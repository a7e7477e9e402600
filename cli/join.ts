// `skiff join`: make this machine a node of an existing cluster — its runtime, kubelet and proxy,
// supervised like `skiff up` supervises its components, with the node token `skiff up` printed.
import { Command } from 'commander';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { cleanHome } from './home-cleanup.js';
import { acquirePidLock } from '../host/lock.js';
import { ensureNodePackages } from '../host/node-deps.js';
import { writeTokenKubeconfig } from '../host/pki.js';
import { Supervisor } from '../host/supervisor.js';
import { fileExists, healthz, skiffProcess } from './up-components.js';
import { cleanUpNodePods } from './up-nodes.js';

interface Flags {
  server: string;
  token: string;
  caFile: string;
  nodeName: string;
  home: string;
  address?: string;
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

export function joinCommand(): Command {
  return new Command('join')
    .description('run a node (runtime + kubelet + proxy) against an existing cluster')
    .requiredOption('--server <url>', 'the apiserver, e.g. https://192.0.2.10:6443')
    .requiredOption('--token <token>', 'the node token printed by `skiff up` (in <home>/pki/tokens.csv)')
    .requiredOption('--ca-file <file>', "the cluster CA certificate (<home>/pki/ca.crt on the cluster's machine)")
    .option('--node-name <name>', 'name of this node', hostname())
    .option('--address <ip>', "this node's address as the cluster should reach it")
    .option('--home <dir>', 'where this node keeps its state and logs', join(homedir(), '.skiff-node'))
    .action(async (flags: Flags) => {
      process.exit(await joinCluster(flags));
    });
}

async function joinCluster(f: Flags): Promise<number> {
  const home = resolve(f.home);
  const logs = join(home, 'logs');
  mkdirSync(logs, { recursive: true });
  const lock = acquirePidLock(join(home, 'join.pid'), (pid) => new Error(`a node is already running from ${home} (pid ${pid}); stop it first or use another --home`));
  const kubeconfig = join(home, 'kubeconfig');
  writeTokenKubeconfig(kubeconfig, f.server, f.token, readFileSync(f.caFile, 'utf8'), 'node');
  const abort = new AbortController();
  const sup = new Supervisor({ say });
  const sock = join(home, 'runtime.sock');
  const endpoint = `unix://${sock}`;
  rmSync(sock, { force: true });
  const proc = (name: string, args: string[], ready: () => Promise<boolean>) =>
    skiffProcess({ name, args, logFile: join(logs, `${name}.log`), ready, readyWhat: `${name} to become ready`, signal: abort.signal });
  const stopped = new Promise<void>((r) => {
    process.once('SIGINT', () => r());
    process.once('SIGTERM', () => r());
    process.once('SIGHUP', () => r());
  });
  let code = 0;
  try {
    const left = await cleanHome(home);
    if (left.length) say(`cleared what a previous run of this home left: ${left.join(', ')}`);
    // From the host's namespace, before the runtime starts: node processes install nothing.
    const missing = await ensureNodePackages(say);
    if (missing.length) say(`  still missing: ${missing.join(', ')}`);
    say(`joining ${f.server} as node ${f.nodeName}…`);
    await sup.start(proc('runtime', ['runtime', '--listen', endpoint, '--root', join(home, 'runtime')], fileExists(sock)));
    say('  runtime ready');
    const kubeletArgs = ['kubelet', '--kubeconfig', kubeconfig, '--node-name', f.nodeName, '--runtime-endpoint', endpoint, '--root-dir', join(home, 'kubelet'), '--port', '10250', '--cluster-dns', '10.96.0.10'];
    if (f.address) kubeletArgs.push('--address', f.address);
    await sup.start(proc('kubelet', kubeletArgs, healthz('127.0.0.1', 10250)));
    say('  kubelet ready');
    await sup.start(proc('proxy', ['proxy', '--kubeconfig', kubeconfig, '--node-name', f.nodeName, '--metrics-port', '10249'], healthz('127.0.0.1', 10249)));
    say(`  proxy ready\n\nnode ${f.nodeName} joined; logs in ${logs}. Ctrl-C stops it.`);
    await stopped;
  } catch (err) {
    say(`join failed: ${(err as Error).message}`);
    code = 1;
  }
  abort.abort();
  await sup.stopAll({ before: (name) => (name === 'runtime' ? cleanUpNodePods(endpoint, say) : Promise.resolve()) });
  lock.release();
  return code;
}
