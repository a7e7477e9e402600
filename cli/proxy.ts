// `skiff proxy`: Service VIPs and NodePorts on this node (proxy/). A thin main: flags, start,
// run until SIGTERM/SIGINT, remove our iptables chains, exit 0.
import { Command } from 'commander';
import { Clientset, createLogger, kubeconfigPath, loadKubeconfig, type Logger } from '../client/index.js';
import { parsePort } from '../host/process.js';
import { stopOnSignal } from '../host/signals.js';

interface Flags {
  kubeconfig?: string;
  nodeName: string;
  metricsPort: string;
  metricsBindAddress: string;
  serviceClusterIpRange: string;
  clusterCidr: string;
  netns?: string;
  minSyncPeriod: string;
  proxyMode?: string;
}

const cidr = /^\d+\.\d+\.\d+\.\d+\/\d+$/;

export function proxyCommand(): Command {
  return new Command('proxy')
    .description('program iptables NAT rules for Services on this node (userspace NodePorts without root or iptables)')
    .option('--kubeconfig <file>', 'kubeconfig to reach the apiserver (default $KUBECONFIG or ~/.kube/config)')
    .requiredOption('--node-name <name>', 'the Node this proxy runs on (its addresses serve NodePorts)')
    .option('--metrics-port <port>', 'port for /healthz, /readyz and /metrics (0 = any free port)', '10249')
    .option('--metrics-bind-address <ip>', 'address for --metrics-port', '0.0.0.0')
    .option('--service-cluster-ip-range <cidr>', 'Service VIP range, routed locally', '10.96.0.0/12')
    .option('--cluster-cidr <cidr>', 'pod range; ClusterIP traffic from outside it is masqueraded ("" = never)', '10.244.0.0/16')
    .option('--netns <name>', 'program this named network namespace (ip netns exec) instead of our own')
    .option('--min-sync-period <ms>', 'minimum time between two iptables syncs', '100')
    .option('--proxy-mode <mode>', 'iptables or userspace (default: iptables when usable)')
    .action(async (flags: Flags) => {
      await run(flags);
    });
}

async function run(flags: Flags): Promise<void> {
  const metricsPort = parsePort(flags.metricsPort, '--metrics-port');
  if (!cidr.test(flags.serviceClusterIpRange)) throw new Error(`--service-cluster-ip-range: expected an IPv4 CIDR, got ${flags.serviceClusterIpRange}`);
  if (flags.clusterCidr !== '' && !cidr.test(flags.clusterCidr)) throw new Error(`--cluster-cidr: expected an IPv4 CIDR or "", got ${flags.clusterCidr}`);
  const minSync = Number(flags.minSyncPeriod);
  if (!Number.isInteger(minSync) || minSync < 0) throw new Error(`--min-sync-period: expected milliseconds, got ${flags.minSyncPeriod}`);
  if (flags.proxyMode !== undefined && flags.proxyMode !== 'iptables' && flags.proxyMode !== 'userspace') {
    throw new Error(`--proxy-mode: expected iptables or userspace, got ${flags.proxyMode}`);
  }
  const log = createLogger('proxy');
  const clientset = new Clientset(loadKubeconfig(kubeconfigPath(flags.kubeconfig)), { userAgent: `skiff-proxy/${flags.nodeName}` });
  const { startProxy } = await import('../proxy/index.js');
  const proxy = await startProxy({
    clientset,
    nodeName: flags.nodeName,
    serviceCIDR: flags.serviceClusterIpRange,
    clusterCIDR: flags.clusterCidr,
    metricsPort,
    metricsHost: flags.metricsBindAddress,
    minSyncIntervalMs: minSync,
    log,
    ...(flags.netns ? { netns: flags.netns } : {}),
    ...(flags.proxyMode ? { mode: flags.proxyMode as 'iptables' | 'userspace' } : {}),
  });

  stopOnSignal(log, () => proxy.stop());
}
