// The proxy component: informers on Services, EndpointSlices and Nodes feed the pure ruleset
// builder, the syncer writes it with iptables-restore. Without root or iptables it serves
// NodePorts from a userspace TCP proxy instead. `skiff proxy`, `skiff up`, tests and the bench
// all start it through here.
import type { Server } from 'node:http';
import type { EndpointSlice, Node, Service } from '../api/index.js';
import { createLogger, InformerFactory, serveHealth, type Clientset, type Informer, type Logger } from '../client/index.js';
import { ensureServiceRoute, HostCommands, Iptables } from './iptables.js';
import { loadBalancerController } from './loadbalancer.js';
import { ProxyMetrics } from './metrics.js';
import { buildRuleset, type Ruleset } from './rules.js';
import { RuleSyncer } from './syncer.js';
import { UserspaceProxy } from './userspace.js';

export interface ProxyOptions {
  clientset: Clientset;
  nodeName: string;
  serviceCIDR?: string;
  /** Pod range; traffic to ClusterIPs from outside it is masqueraded. '' = never. */
  clusterCIDR?: string;
  /** Program this named network namespace (`ip netns exec`) instead of our own. */
  netns?: string;
  /** Port for /healthz, /readyz, /metrics; 0 = any free port; undefined = none. */
  metricsPort?: number;
  metricsHost?: string;
  minSyncIntervalMs?: number;
  fullResyncMs?: number;
  /** Write status.loadBalancer.ingress for LoadBalancer Services (default true). */
  manageLoadBalancers?: boolean;
  /** Force a mode; default: iptables when usable, else userspace. */
  mode?: 'iptables' | 'userspace';
  /** Called after each iptables-restore with the ruleset written. */
  onProgrammed?: (rs: Ruleset) => void;
  log?: Logger;
}

export interface RunningProxy {
  mode: 'iptables' | 'userspace';
  metrics: ProxyMetrics;
  metricsPort: number | undefined;
  /** Resolves once the rules reflect everything seen so far. */
  synced(): Promise<void>;
  /** Stops; with `cleanup` (the default) removes our chains, as on SIGTERM. */
  stop(opts?: { cleanup?: boolean }): Promise<void>;
}

function nodeIPsOf(node: Node | undefined): string[] {
  return (node?.status?.addresses ?? []).filter((a) => a.type === 'InternalIP' || a.type === 'ExternalIP').map((a) => a.address);
}

export async function startProxy(o: ProxyOptions): Promise<RunningProxy> {
  const log = o.log ?? createLogger('proxy');
  const metrics = new ProxyMetrics(o.metricsPort !== undefined);
  const cmd = new HostCommands(o.netns);
  const iptables = new Iptables(cmd);
  let mode = o.mode;
  if (!mode) {
    const why = await iptables.usable();
    mode = why === undefined ? 'iptables' : 'userspace';
    if (why !== undefined) log.warn({ reason: why }, 'iptables unavailable: falling back to a userspace TCP proxy for NodePorts on the node address; ClusterIPs are not served');
  }
  const serviceCIDR = o.serviceCIDR ?? '10.96.0.0/12';
  if (mode === 'iptables') await ensureServiceRoute(cmd, serviceCIDR);

  const factory = new InformerFactory(o.clientset, { resyncMs: 0, log });
  const services = factory.informer<Service>('services');
  const slices = factory.informer<EndpointSlice>('endpointslices');
  const nodes = factory.informer<Node>('nodes');
  const ownNode = (): Node | undefined => nodes.store.get(o.nodeName);

  let syncer: RuleSyncer | undefined;
  let userspace: UserspaceProxy | undefined;
  let userspaceDirty = Promise.resolve();
  let programmed = false;
  const onChange = (): void => {
    const now = Date.now();
    if (syncer) syncer.request(now);
    if (userspace) {
      const u = userspace;
      userspaceDirty = userspaceDirty.then(() => u.sync(services.store.list(), slices.store.list()));
    }
  };
  if (mode === 'iptables') {
    syncer = new RuleSyncer({
      iptables,
      log,
      metrics,
      minIntervalMs: o.minSyncIntervalMs ?? 100,
      fullResyncMs: o.fullResyncMs ?? 60_000,
      ...(o.onProgrammed ? { onWrite: o.onProgrammed } : {}),
      compute: () =>
        buildRuleset({
          services: services.store.list(),
          slices: slices.store.list(),
          nodeIPs: nodeIPsOf(ownNode()),
          ...(o.clusterCIDR !== '' ? { clusterCIDR: o.clusterCIDR ?? '10.244.0.0/16' } : {}),
        }),
    });
  } else {
    userspace = new UserspaceProxy(nodeIPsOf(ownNode())[0] ?? '0.0.0.0', log);
  }
  const watchAll = <T>(inf: Informer<T & object>): void => inf.on({ add: onChange, update: onChange, delete: onChange });
  watchAll(services);
  watchAll(slices);
  // Only our own Node's addresses matter to the rules.
  nodes.on({
    add: (n) => n.metadata?.name === o.nodeName && onChange(),
    update: (a, b) => b.metadata?.name === o.nodeName && JSON.stringify(nodeIPsOf(a)) !== JSON.stringify(nodeIPsOf(b)) && onChange(),
  });
  await factory.start();
  if (mode === 'userspace' && !ownNode()) log.warn({ node: o.nodeName }, 'node not found: userspace NodePorts listen on 0.0.0.0');
  onChange();

  const abort = new AbortController();
  let lb: Promise<void> | undefined;
  if (o.manageLoadBalancers !== false) lb = loadBalancerController(o.clientset, services, nodes, log).run(abort.signal);

  let server: Server | undefined;
  const synced = async (): Promise<void> => {
    await syncer?.idle();
    await userspaceDirty;
    programmed = true;
  };
  if (o.metricsPort !== undefined) server = await serveHealth({ host: o.metricsHost ?? '0.0.0.0', port: o.metricsPort, registry: metrics.registry, ready: () => programmed || 'rules not programmed yet' });
  void synced().catch(() => undefined);
  const addr = server?.address();
  log.info({ mode, node: o.nodeName, serviceCIDR, metricsPort: typeof addr === 'object' && addr ? addr.port : undefined }, 'proxy running');

  return {
    mode,
    metrics,
    metricsPort: typeof addr === 'object' && addr ? addr.port : undefined,
    synced,
    stop: async ({ cleanup = true } = {}) => {
      abort.abort();
      factory.stop();
      await syncer?.stop();
      await lb;
      userspace?.close();
      if (server) await new Promise<void>((r) => server?.close(() => r()));
      if (cleanup && mode === 'iptables') {
        await iptables.cleanup();
        log.info('removed our iptables chains');
      }
    },
  };
}
