// `skiff runtime`: the node's container runtime (runtime.v1 over a unix socket). A thin main:
// parse flags, start the library, run until a signal. It installs nothing: it may run inside a
// node's network namespace, which has no route out; its launcher (`skiff up`, `skiff join`)
// installs runc/conmon/CNI from the host namespace first (node-deps.ts).
import { serveHealth } from '../client/health.js';
import { Command } from 'commander';
import { pino } from 'pino';
import { processesInCgroups } from '../host/home-processes.js';
import { parsePort } from '../host/process.js';
import { launcherGone, stopOnSignal } from '../host/signals.js';
import { cleanUpNodePods } from './up-nodes.js';

interface Flags {
  listen: string;
  root: string;
  bridge: string;
  ipMasq?: boolean;
  metricsPort?: string;
  hostProcesses?: boolean;
  registryConfig?: string;
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
    .action(async (flags: Flags) => {
      await runRuntime(flags);
    });
}

async function runRuntime(flags: Flags): Promise<void> {
  if (!flags.listen.startsWith('unix:///')) throw new Error(`--listen: expected unix:///path/runtime.sock, got ${flags.listen}`);
  const metricsPort = flags.metricsPort !== undefined ? parsePort(flags.metricsPort, '--metrics-port') : undefined;
  const log = pino({ name: 'runtime' });
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

  // Containers keep running under conmon; only the server goes away. But when the launcher that
  // started us is gone, nobody will clean up after the node: its pods go with us (SIGKILL).
  stopOnSignal(log, async () => {
    if (launcherGone()) {
      // Every container process first (instant, however loaded the machine), then the orderly
      // removal; whatever that leaves undone, the next `skiff up` or `skiff down` reclaims.
      const { podCgroupDirs } = await import('../runtime/index.js');
      for (const pid of processesInCgroups(podCgroupDirs(flags.root))) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await cleanUpNodePods(flags.listen, (line) => log.info(line)).catch((err: unknown) => log.error({ err }, 'could not remove pods'));
    }
    http?.close();
    await runtime.close();
  }, 'shutting down (containers keep running unless the launcher is gone)');
}
