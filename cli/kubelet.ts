// `skiff kubelet`: the node agent. A thin main: parse flags, connect to the API and the runtime,
// start the library, run until SIGTERM/SIGINT.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { parsePort } from '../host/process.js';
import { stopOnSignal } from '../host/signals.js';

interface Flags {
  kubeconfig?: string;
  nodeName: string;
  runtimeEndpoint?: string;
  rootDir: string;
  port: string;
  address?: string;
  clusterDns: string;
  clusterDomain: string;
  kubeletAuthTokenFile?: string;
  hollow?: boolean;
}

export function kubeletCommand(): Command {
  return new Command('kubelet')
    .description('run the node agent: registers the node, runs the pods bound to it through the container runtime')
    .option('--kubeconfig <file>', 'kubeconfig to reach the API (default $KUBECONFIG, ~/.kube/config)')
    .requiredOption('--node-name <name>', 'name of this node')
    .option('--runtime-endpoint <endpoint>', 'CRI runtime socket, unix:///path/runtime.sock (not with --hollow)')
    .option('--root-dir <dir>', 'state directory (pod volumes, container logs)', '/var/lib/skiff/kubelet')
    .option('--port <port>', 'port for logs, exec, /healthz and /metrics', '10250')
    .option('--address <ip>', "the node's InternalIP (default: the address of the interface with the default route)")
    .option('--cluster-dns <ips>', 'comma-separated DNS server IPs for ClusterFirst pods', '10.96.0.10')
    .option('--cluster-domain <domain>', 'cluster DNS domain', 'cluster.local')
    .option('--kubelet-auth-token-file <file>', 'bearer token the apiserver presents for logs/exec; without it the server binds to --address only')
    .option('--hollow', 'simulate containers with an in-process fake runtime (scale tests)')
    .action(async (flags: Flags) => {
      await runKubelet(flags);
    });
}

async function runKubelet(flags: Flags): Promise<void> {
  const port = parsePort(flags.port, '--port');
  if (!flags.hollow && !flags.runtimeEndpoint) throw new Error('--runtime-endpoint is required (or --hollow)');
  if (flags.runtimeEndpoint && !/^unix:\/\/\//.test(flags.runtimeEndpoint)) throw new Error(`--runtime-endpoint: expected unix:///path/runtime.sock, got ${flags.runtimeEndpoint}`);
  const clusterDNS = flags.clusterDns.split(',').map((s) => s.trim()).filter(Boolean);
  for (const ip of clusterDNS) if (!/^\d+\.\d+\.\d+\.\d+$/.test(ip)) throw new Error(`--cluster-dns: not an IPv4 address: ${ip}`);
  let authToken: string | undefined;
  if (flags.kubeletAuthTokenFile) {
    authToken = readFileSync(flags.kubeletAuthTokenFile, 'utf8').trim();
    if (!authToken) throw new Error(`--kubelet-auth-token-file ${flags.kubeletAuthTokenFile} is empty`);
  }
  const { Clientset, createLogger, kubeconfigPath, loadKubeconfig } = await import('../client/index.js');
  const { Kubelet, FakeRuntime, connectRuntime, defaultInternalIP } = await import('../kubelet/index.js');
  const log = createLogger('kubelet');
  const clientset = new Clientset(loadKubeconfig(kubeconfigPath(flags.kubeconfig)), { userAgent: `kubelet/${flags.nodeName}` });
  const fake = flags.hollow ? new FakeRuntime() : undefined;
  const runtime = fake ?? connectRuntime(flags.runtimeEndpoint!);
  const address = flags.address ?? defaultInternalIP();
  const kubelet = new Kubelet({
    clientset, nodeName: flags.nodeName, runtime, rootDir: flags.rootDir, address, port, clusterDNS, clusterDomain: flags.clusterDomain,
    ...(authToken ? { authToken } : {}),
    ...(fake ? { hollow: true, net: async (t) => fake.netProbe(t.host, t.port, t.path) } : {}),
    log,
  });
  // Containers keep running: a restarted kubelet picks them up again. Installed before start,
  // which waits for the runtime and the API.
  stopOnSignal(log, async () => {
    await kubelet.stop();
    runtime.close();
    clientset.close();
  }, 'shutting down (containers keep running)');
  await kubelet.start();
}
