// `skiff up`: a whole local cluster in the foreground — today etcd and the apiserver, each its
// own child process logging to <home>/logs/<component>.log. Ctrl-C stops everything cleanly.
// The apiserver serves HTTPS with the cluster's own CA (<home>/pki) to bearer-token clients.
import { Command } from 'commander';
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureEtcdInstalled, startEtcd, type Etcd } from './etcd.js';
import { acquirePidLock } from './lock.js';
import { ensureClusterPki, writeClusterKubeconfigs, type ClusterPki } from './pki.js';
import { assertPortFree, describeExit, logExcerpt, parsePort, spawnLogged, waitUntil, type Child } from './process.js';
import { Supervisor } from './supervisor.js';
import { requestWithCa } from './tls-get.js';

interface Flags {
  home: string;
  port: string;
  etcdPort: string;
}

interface Settings {
  home: string;
  port: number;
  etcdPort: number;
}

export function upCommand(): Command {
  return new Command('up')
    .description('start a local cluster (etcd + apiserver) in the foreground; Ctrl-C stops it')
    .option('--home <dir>', 'where the cluster keeps its state, logs and kubeconfig', join(homedir(), '.skiff'))
    .option('--port <port>', 'apiserver port', '6443')
    .option('--etcd-port <port>', 'etcd client port (its peer port is this + 1)', '2379')
    .action(async (flags: Flags) => {
      const code = await up(settingsFrom(flags));
      process.exit(code);
    });
}

function settingsFrom(flags: Flags): Settings {
  const port = parsePort(flags.port, '--port');
  const etcdPort = parsePort(flags.etcdPort, '--etcd-port');
  if (port === 0) throw new Error('--port: give a fixed port (the kubeconfig names it)');
  if (etcdPort === 0 || etcdPort === 65535) throw new Error('--etcd-port: give a fixed port below 65535');
  return { home: resolve(flags.home), port, etcdPort };
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Runs the cluster until a signal (exit code 0) or an unexpected child exit (1). */
async function up(s: Settings): Promise<number> {
  mkdirSync(join(s.home, 'logs'), { recursive: true });
  const lock = acquirePidLock(
    join(s.home, 'up.pid'),
    (pid) => new Error(`a cluster is already running from ${s.home} (pid ${pid})`),
  );
  const abort = new AbortController();
  const signalled = new Promise<NodeJS.Signals>((resolveSignal) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      if (abort.signal.aborted) {
        say('second signal: killing everything now');
        lock.release();
        process.exit(130); // the exit hook in process.ts SIGKILLs the children
      }
      abort.abort();
      resolveSignal(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const sup = new Supervisor();
  let code = 0;
  try {
    await startAll(s, sup, abort.signal);
    const outcome = await Promise.race([
      signalled.then((signal) => ({ kind: 'signal' as const, signal })),
      sup.unexpectedExit.then((died) => ({ kind: 'died' as const, ...died })),
    ]);
    if (outcome.kind === 'signal') {
      say(`\nreceived ${outcome.signal}, shutting down…`);
    } else {
      say(`\n${outcome.child.name} ${describeExit(outcome.result)} unexpectedly${logExcerpt(outcome.child)}`);
      say('shutting down the rest…');
      code = 1;
    }
  } catch (err) {
    if (!abort.signal.aborted) {
      await sup.stopAll(say);
      lock.release();
      throw err;
    }
    say('\ninterrupted, shutting down…');
  }
  await sup.stopAll(say);
  lock.release();
  say(code === 0 ? 'stopped.' : 'stopped after a failure.');
  return code;
}

async function startAll(s: Settings, sup: Supervisor, signal: AbortSignal): Promise<void> {
  const etcdDir = join(s.home, 'etcd');
  const logs = join(s.home, 'logs');
  const reusing = existsSync(join(etcdDir, 'member'));
  say(`skiff up: home ${s.home} (${reusing ? 'existing cluster data' : 'new cluster'})`);

  await ensureEtcdInstalled({ log: say });
  // Check every port before starting anything, so a clash is reported up front.
  await assertPortFree(s.port, 'apiserver, --port');

  const etcd = await timed('etcd', () =>
    startEtcd({
      dataDir: etcdDir,
      clientPort: s.etcdPort,
      peerPort: s.etcdPort + 1,
      logFile: join(logs, 'etcd.log'),
      signal,
    }).then((e: Etcd) => {
      sup.add(e.child);
      return e.child;
    }),
  );

  const pki = ensureClusterPki(s.home);
  const url = `https://127.0.0.1:${s.port}`;
  const apiserver = await timed('apiserver', async () => {
    const child = await spawnLogged({
      name: 'apiserver',
      command: process.execPath,
      args: [mainScript(), 'apiserver', '--etcd-servers', `http://127.0.0.1:${s.etcdPort}`, '--port', String(s.port), ...tlsFlags(pki)],
      logFile: join(logs, 'apiserver.log'),
    });
    sup.add(child);
    const ready = (): Promise<boolean> => requestWithCa(`${url}/readyz`, { ca: pki.caPem, timeoutMs: 2000 }).then((r) => r.status === 200);
    await waitUntil(ready, {
      what: `the apiserver to become ready at ${url}/readyz`,
      timeoutMs: 60_000,
      child,
      signal,
    });
    return child;
  });

  const kubeconfig = join(s.home, 'kubeconfig');
  writeClusterKubeconfigs(s.home, pki, url);
  printSummary(s, [
    ['etcd', `http://127.0.0.1:${s.etcdPort}`, etcd],
    ['apiserver', url, apiserver],
  ], kubeconfig);
}

/** The apiserver serves TLS with the cluster's certificate and accepts the cluster's tokens. */
function tlsFlags(pki: ClusterPki): string[] {
  return ['--tls-cert-file', pki.certFile, '--tls-private-key-file', pki.keyFile, '--token-auth-file', pki.tokenFile];
}

/** Prints "starting X…", runs `start`, then "X ready (pid, time)". */
async function timed(name: string, start: () => Promise<Child>): Promise<Child> {
  say(`starting ${name}…`);
  const t0 = Date.now();
  const child = await start();
  say(`  ${name} ready (pid ${child.pid}, ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  return child;
}

function printSummary(s: Settings, rows: Array<[string, string, Child]>, kubeconfig: string): void {
  say('');
  say('skiff is up:');
  for (const [name, url, child] of rows) {
    say(`  ${name.padEnd(10)} ${url.padEnd(24)} pid ${String(child.pid).padEnd(8)} log ${child.logFile}`);
  }
  say(`  ${'kubeconfig'.padEnd(10)} ${kubeconfig}`);
  say('');
  say('Use it with:');
  say(`  export KUBECONFIG=${kubeconfig}`);
  say('  kubectl get namespaces');
  say('');
  say(`Press Ctrl-C to stop. The data stays in ${join(s.home, 'etcd')} for the next \`skiff up\`.`);
}

/** dist/cli/main.js, next to this file once compiled. */
function mainScript(): string {
  return fileURLToPath(new URL('./main.js', import.meta.url));
}
