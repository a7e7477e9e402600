// `skiff controller-manager`: a thin main around controllers/manager.ts. Exits 0 on SIGTERM or
// SIGINT (lease released), 1 when leadership is lost, as kube-controller-manager does.
import { Command } from 'commander';
import { createLogger, kubeconfigPath, loadKubeconfig } from '../client/index.js';
import { controllerDefs, selectControllers } from '../controllers/index.js';
import { LostLeadershipError, runControllerManager } from '../controllers/manager.js';
import { parsePort } from '../host/process.js';

interface Flags {
  kubeconfig?: string;
  port: string;
  bindAddress: string;
  leaderElect: boolean;
  leaderElectLeaseDuration: string;
  leaderElectRenewDeadline: string;
  leaderElectRetryPeriod: string;
  controllers: string;
  clusterCidr: string;
  nodeCidrMaskSize: string;
  nodeMonitorGracePeriod: string;
  nodeMonitorPeriod: string;
  podGcPeriod: string;
  terminatedPodGcThreshold: string;
}

/** Go-style durations as Kubernetes flags take them: 40s, 500ms, 1m30s, 2h. */
export function parseDuration(value: string, flag: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * (units[m[2] as string] as number);
    end = re.lastIndex;
  }
  if (value === '' || end !== value.length) throw new Error(`${flag}: expected a duration such as 40s or 500ms, got "${value}"`);
  return total;
}

function parseBool(value: string | undefined): boolean {
  if (value === undefined || value === 'true') return true;
  if (value === 'false') return false;
  throw new Error(`expected true or false, got "${value}"`);
}

function parseCount(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag}: expected an integer ≥ ${min}, got "${value}"`);
  return n;
}

export function controllerManagerCommand(): Command {
  return new Command('controller-manager')
    .description('run the controllers (endpoints, garbage collector, node lifecycle, …), leader-elected')
    .option('--kubeconfig <file>', 'kubeconfig to reach the apiserver (default $KUBECONFIG or ~/.kube/config)')
    .option('--port <port>', 'port for /healthz, /readyz and /metrics (0 = off)', '10257')
    .option('--bind-address <ip>', 'address for --port', '127.0.0.1')
    .option('--leader-elect [bool]', 'hold the Lease kube-system/kube-controller-manager while working', parseBool, true)
    .option('--leader-elect-lease-duration <d>', 'lease duration', '15s')
    .option('--leader-elect-renew-deadline <d>', 'give up leadership when renewal fails this long', '10s')
    .option('--leader-elect-retry-period <d>', 'how often to try to acquire or renew', '2s')
    .option('--controllers <list>', 'controllers to run: * for all, name to enable, -name to disable', '*')
    .option('--cluster-cidr <cidr>', 'pod address range node podCIDRs come from', '10.244.0.0/16')
    .option('--node-cidr-mask-size <bits>', 'prefix length of each node podCIDR', '24')
    .option('--node-monitor-grace-period <d>', 'a node whose lease is this stale becomes Unknown', '40s')
    .option('--node-monitor-period <d>', 'how often node health is checked', '5s')
    .option('--pod-gc-period <d>', 'how often the pod garbage collector runs', '20s')
    .option('--terminated-pod-gc-threshold <n>', 'terminated pods kept before the oldest are deleted', '12500')
    .action(async (flags: Flags) => {
      await run(flags);
    });
}

async function run(flags: Flags): Promise<void> {
  const port = parsePort(flags.port, '--port');
  const settings = {
    clusterCidr: flags.clusterCidr,
    nodeCidrMaskSize: parseCount(flags.nodeCidrMaskSize, '--node-cidr-mask-size', 1),
    nodeMonitorGracePeriodMs: parseDuration(flags.nodeMonitorGracePeriod, '--node-monitor-grace-period'),
    nodeMonitorPeriodMs: parseDuration(flags.nodeMonitorPeriod, '--node-monitor-period'),
    podGcPeriodMs: parseDuration(flags.podGcPeriod, '--pod-gc-period'),
    terminatedPodGcThreshold: parseCount(flags.terminatedPodGcThreshold, '--terminated-pod-gc-threshold', 0),
  };
  const spec = flags.controllers.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const controllers = selectControllers(controllerDefs(settings), spec);
  const config = loadKubeconfig(kubeconfigPath(flags.kubeconfig));
  const log = createLogger('controller-manager');

  const abort = new AbortController();
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal }, 'shutting down');
    setTimeout(() => {
      log.error('shutdown did not finish within 10s, exiting');
      process.exit(1);
    }, 10_000).unref();
    abort.abort();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  try {
    await runControllerManager(
      {
        config, controllers, port, bindAddress: flags.bindAddress, log,
        leaderElect: flags.leaderElect,
        leaseDurationMs: parseDuration(flags.leaderElectLeaseDuration, '--leader-elect-lease-duration'),
        renewDeadlineMs: parseDuration(flags.leaderElectRenewDeadline, '--leader-elect-renew-deadline'),
        retryPeriodMs: parseDuration(flags.leaderElectRetryPeriod, '--leader-elect-retry-period'),
      },
      abort.signal,
    );
  } catch (err) {
    if (err instanceof LostLeadershipError) {
      log.error('leader election lost; exiting so the supervisor restarts us');
      process.exit(1);
    }
    throw err;
  }
  log.info('stopped');
  process.exit(0);
}
