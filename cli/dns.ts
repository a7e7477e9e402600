// `skiff dns`: the cluster DNS server (dns/). A thin main: flags, register the kube-dns Service
// pointing at our address, serve until SIGTERM/SIGINT, exit 0.
import { Command } from 'commander';
import { Clientset, createLogger, kubeconfigPath, loadKubeconfig } from '../client/index.js';
import { parsePort } from '../host/process.js';
import { stopOnSignal } from '../host/signals.js';

interface Flags {
  kubeconfig?: string;
  listen: string;
  clusterDomain: string;
  advertiseAddress?: string;
  register: boolean;
}

export function dnsCommand(): Command {
  return new Command('dns')
    .description('serve cluster DNS (A/SRV/CNAME for Services and pods) over UDP and TCP; forwards nothing')
    .option('--kubeconfig <file>', 'kubeconfig to reach the apiserver (default $KUBECONFIG or ~/.kube/config)')
    .requiredOption('--listen <ip:port>', 'address to serve on, e.g. 172.30.0.1:53')
    .option('--cluster-domain <domain>', 'the cluster DNS domain', 'cluster.local')
    .option('--advertise-address <ip>', 'address the kube-dns Service endpoints point at (default: the --listen IP)')
    .option('--no-register', 'do not create/update the kube-system/kube-dns Service and its endpoints')
    .action(async (flags: Flags) => {
      await run(flags);
    });
}

async function run(flags: Flags): Promise<void> {
  const m = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(flags.listen);
  if (!m) throw new Error(`--listen: expected IPv4:PORT, got ${flags.listen}`);
  const host = m[1] ?? '';
  const port = parsePort(m[2] ?? '', '--listen');
  if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(flags.clusterDomain)) throw new Error(`--cluster-domain: not a DNS name: ${flags.clusterDomain}`);
  const log = createLogger('dns');
  const clientset = new Clientset(loadKubeconfig(kubeconfigPath(flags.kubeconfig)), { userAgent: 'skiff-dns' });
  const { startDnsServer, ensureKubeDnsService } = await import('../dns/index.js');
  const server = await startDnsServer({ clientset, host, port, clusterDomain: flags.clusterDomain, log });
  const advertise = flags.advertiseAddress ?? host;
  if (flags.register && advertise !== '0.0.0.0') {
    try {
      const svc = await ensureKubeDnsService(clientset, { ip: advertise, port: server.port });
      log.info({ clusterIP: svc.spec?.clusterIP, endpoint: `${advertise}:${server.port}` }, 'kube-system/kube-dns points at this server');
    } catch (err) {
      log.error({ err }, 'could not register the kube-dns Service; pods will not find this server through 10.96.0.10');
    }
  } else if (flags.register) {
    log.warn('listening on 0.0.0.0: give --advertise-address to register the kube-dns Service');
  }

  stopOnSignal(log, () => server.close());
}
