// `skiff runtime`: the node's container runtime (runtime.v1 over a unix socket). A thin main:
// parse flags, make sure runc/conmon/CNI are installed, start the library, run until a signal.
import { serveHealth } from '../client/health.js';
import { Command } from 'commander';
import { pino } from 'pino';
import { parsePort } from './process.js';
import { stopOnSignal } from './signals.js';

interface Flags {
  listen: string;
  root: string;
  bridge: string;
  ipMasq?: boolean;
  metricsPort?: string;
  hostProcesses?: boolean;
  registryConfig?: string;
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
    .option('--registry-config <file>', 'registries.yaml (k3s format): mirrors, endpoints, credentials, TLS')
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
    ...(flags.registryConfig ? { registryConfig: flags.registryConfig } : {}),
    log,
  });

  // Ready once serving: the runtime has no caches to fill.
  const http = metricsPort !== undefined ? await serveHealth({ host: '127.0.0.1', port: metricsPort, registry: runtime.metrics }) : undefined;
  if (http) log.info({ port: metricsPort }, 'serving /healthz and /metrics');

  // Containers keep running under conmon; only the server goes away.
  stopOnSignal(log, async () => {
    http?.close();
    await runtime.close();
  }, 'shutting down (containers keep running)');
}
