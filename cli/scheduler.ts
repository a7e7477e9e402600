// `skiff scheduler`: the scheduler alone. A thin main: parse flags, start the component
// (scheduler/run.ts), run until SIGTERM/SIGINT, stop (releasing the lease), exit 0.
import { Command } from 'commander';
import { parsePort } from '../host/process.js';
import { stopOnSignal } from '../host/signals.js';

interface Flags {
  kubeconfig?: string;
  schedulerName: string;
  port: string;
  leaderElect: boolean;
}

export function schedulerCommand(): Command {
  return new Command('scheduler')
    .description('run the scheduler: place pending pods on nodes through pods/binding')
    .option('--kubeconfig <file>', 'kubeconfig to reach the apiserver (default $KUBECONFIG, then ~/.kube/config)')
    .option('--scheduler-name <name>', 'schedule only pods whose spec.schedulerName is this', 'default-scheduler')
    .option('--port <port>', 'port for /healthz, /readyz and /metrics on 127.0.0.1 (0 = off)', '10259')
    .option('--no-leader-elect', 'schedule without holding the kube-system/kube-scheduler Lease')
    .action(async (flags: Flags) => {
      await runScheduler(flags);
    });
}

async function runScheduler(flags: Flags): Promise<void> {
  const port = parsePort(flags.port, '--port');
  if (flags.schedulerName.trim() === '') throw new Error('--scheduler-name: must not be empty');
  // Imported lazily so that other subcommands do not load the scheduler.
  const { loadKubeconfig, kubeconfigPath, createLogger } = await import('../client/index.js');
  const { startScheduler } = await import('../scheduler/run.js');
  const log = createLogger('scheduler');
  const running = await startScheduler({
    config: loadKubeconfig(kubeconfigPath(flags.kubeconfig)),
    schedulerName: flags.schedulerName,
    ...(port !== 0 ? { port } : {}),
    leaderElect: flags.leaderElect,
    log,
  });
  log.info({ port: running.port, schedulerName: flags.schedulerName }, 'scheduler started');

  stopOnSignal(log, () => running.stop());
}
