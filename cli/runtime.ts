// `skiff runtime`: the node's container runtime (runtime.v1 over a unix socket). A thin main:
// parse flags, make sure runc/conmon/CNI are installed, start the library, run until a signal.
import { createServer } from 'node:http';
import { Command } from 'commander';
import { pino } from 'pino';
import { parsePort } from './process.js';

interface Flags {
  listen: string;
  root: string;
  bridge: string;
  ipMasq?: boolean;
  metricsPort?: string;
  hostProcesses?: boolean;
  install: boolean;
}

export function runtimeCommand(): Command {
  return new Command('runtime')
    .description("run the node's container runtime (runc + conmon, CNI pod networks) serving runtime.v1 on a unix socket")
    .requiredOption('--listen <endpoint>', 'gRPC endpoint, unix:///path/runtime.sock')
    .requiredOption('--root <dir>', 'state directory (sandboxes, containers, runc state)')
    .option('--bridge <name>', 'Linux bridge that pods attach to', 'skiff0')
    .option('--ip-masq', 'SNAT traffic leaving the pod CIDR')
    .option('--metrics-port <port>', 'serve /healthz, /readyz and /metrics on 127.0.0.1:<port>')
    .option('--host-processes', 'run containers as plain host processes even where runc could isolate them')
    .option('--no-install', 'do not apt-get install missing runc/conmon/CNI plugins/iptables')
    .action(async (flags: Flags) => {
      await runRuntime(flags);
    });
}

async function runRuntime(flags: Flags): Promise<void> {
  if (!flags.listen.startsWith('unix:///')) throw new Error(`--listen: expected unix:///path/runtime.sock, got ${flags.listen}`);
  const metricsPort = flags.metricsPort !== undefined ? parsePort(flags.metricsPort, '--metrics-port') : undefined;
  const log = pino({ name: 'runtime' });
  if (flags.install && !flags.hostProcesses) {
    const { ensureNodePackages } = await import('./node-deps.js');
    await ensureNodePackages((line) => log.info(line));
  }
  const { startRuntime } = await import('../runtime/index.js');
  const runtime = await startRuntime({
    listen: flags.listen,
    root: flags.root,
    bridge: flags.bridge,
    ipMasq: flags.ipMasq ?? false,
    ...(flags.hostProcesses ? { hostProcesses: true } : {}),
    log,
  });

  const http = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/readyz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/metrics') {
      runtime.metrics.metrics().then(
        (text) => res.writeHead(200, { 'content-type': runtime.metrics.contentType }).end(text),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  if (metricsPort !== undefined) {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(metricsPort, '127.0.0.1', () => resolve());
    });
    log.info({ port: metricsPort }, 'serving /healthz and /metrics');
  }

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    // Containers keep running under conmon; only the server goes away.
    log.info({ signal }, 'shutting down (containers keep running)');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    http.close();
    runtime.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'error while closing');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
