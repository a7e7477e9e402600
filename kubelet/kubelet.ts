// The kubelet as a library: node registration and heartbeats, a pod informer limited to this
// node, one reconcile worker per pod key, a relist loop (PLEG) that notices container state
// changes in the runtime, and the HTTP server for logs, exec, health and metrics.
import { mkdirSync } from 'node:fs';
import type { Node, Pod } from '../api/index.js';
import { Clientset, Controller, createLogger, EventRecorder, InformerFactory, type Informer, type Logger } from '../client/index.js';
import { defaultBackoff, type BackoffLimits } from './backoff.js';
import { NodeAgent, nodeCapacity } from './node-status.js';
import { defaultImageGCPolicy, ImageGC, type ImageGCPolicy } from './image-gc.js';
import { PodSyncer } from './pod-sync.js';
import { realNetProber, type NetProber } from './probes.js';
import { labels, type Runtime } from './runtime.js';
import { KubeletServer } from './server.js';

export interface KubeletOptions {
  clientset: Clientset;
  nodeName: string;
  runtime: Runtime;
  rootDir: string;
  /** The node's InternalIP. */
  address: string;
  /** Port of the logs/exec server (0 = pick one; -1 = no server, as hollow nodes in bulk run). */
  port: number;
  /** Address the server binds to (default: `address`, or 0.0.0.0 with an auth token). */
  bindAddress?: string;
  /** Bearer token the apiserver must present to the server; without it only the node address is bound. */
  authToken?: string;
  clusterDNS?: string[];
  clusterDomain?: string;
  hollow?: boolean;
  /** httpGet/tcpSocket probes (the hollow runtime answers them itself). */
  net?: NetProber;
  backoff?: BackoffLimits;
  leaseIntervalMs?: number;
  /** How often the node status is computed (posted only when changed, nodeStatusUpdateFrequency). */
  statusIntervalMs?: number;
  /** How often an unchanged node status is posted anyway (nodeStatusReportFrequency, 5 min). */
  statusReportIntervalMs?: number;
  /** How often the runtime is relisted for container state changes. */
  relistMs?: number;
  resyncMs?: number;
  /** Image garbage collection thresholds (default 85 % / 80 %, 2 min minimum age); off for hollow nodes. */
  imageGC?: ImageGCPolicy;
  imageGCPeriodMs?: number;
  workers?: number;
  log?: Logger;
}

export class Kubelet {
  readonly node: NodeAgent;
  readonly pods: PodSyncer;
  readonly informer: Informer<Pod>;
  /** This node's Node, watched (set once registered). */
  private nodes: Informer<Node> | undefined;
  readonly log: Logger;
  private readonly factory: InformerFactory;
  private readonly controller: Controller;
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;
  private relistTimer: NodeJS.Timeout | undefined;
  private imageGCTimer: NodeJS.Timeout | undefined;
  private readonly lastStates = new Map<string, string>();
  private server: KubeletServer | undefined;
  /** The port the logs/exec server listens on (after start). */
  port = 0;

  constructor(readonly o: KubeletOptions) {
    this.log = o.log ?? createLogger('kubelet').child({ node: o.nodeName });
    mkdirSync(o.rootDir, { recursive: true });
    this.factory = new InformerFactory(o.clientset, { resyncMs: 0, log: this.log });
    this.informer = this.factory.informer<Pod>('pods', { fieldSelector: `spec.nodeName=${o.nodeName}` });
    this.controller = new Controller({
      name: `kubelet-${o.nodeName}`,
      workers: o.workers ?? 8,
      log: this.log,
      reconcile: (key) => this.pods.reconcile(key),
    });
    const hostIP = o.address;
    const cap = nodeCapacity(o.hollow ?? false, o.rootDir);
    this.pods = new PodSyncer({
      clientset: o.clientset,
      runtime: o.runtime,
      nodeName: o.nodeName,
      rootDir: o.rootDir,
      dns: { clusterDNS: o.clusterDNS ?? [], clusterDomain: o.clusterDomain ?? 'cluster.local' },
      hostIP,
      canMount: !o.hollow && process.getuid?.() === 0,
      backoff: o.backoff ?? defaultBackoff,
      net: o.net ?? realNetProber,
      node: { cpu: cap.cpu, memory: cap.memory, ephemeralStorage: cap.ephemeralStorage },
      recorder: new EventRecorder(o.clientset, 'kubelet', o.nodeName, this.log),
      log: this.log,
      getPod: (key) => this.informer.store.get(key),
      enqueue: (key, afterMs) => (afterMs ? this.controller.enqueueAfter(key, afterMs) : this.controller.enqueue(key)),
      resyncMs: o.resyncMs ?? 60_000,
    });
    this.node = new NodeAgent({
      clientset: o.clientset,
      nodeName: o.nodeName,
      runtime: o.runtime,
      address: o.address,
      port: o.port,
      rootDir: o.rootDir,
      leaseIntervalMs: o.leaseIntervalMs ?? 10_000,
      statusIntervalMs: o.statusIntervalMs ?? 10_000,
      statusReportIntervalMs: o.statusReportIntervalMs ?? 5 * 60_000,
      currentNode: () => this.nodes?.store.get(o.nodeName),
      hollow: o.hollow ?? false,
      log: this.log,
      onPodCidr: async (cidr) => {
        await o.runtime.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: cidr } } });
      },
    });
  }

  async start(): Promise<void> {
    if (this.o.port >= 0) {
      this.server = new KubeletServer({
        runtime: this.o.runtime,
        rootDir: this.o.rootDir,
        getPod: (ns, name) => this.informer.store.get(`${ns}/${name}`),
        authToken: this.o.authToken,
        log: this.log,
        metrics: () => this.metricsText(),
      });
      const bind = this.o.bindAddress ?? (this.o.authToken ? '0.0.0.0' : this.o.address);
      if (!this.o.authToken) this.log.warn({ bind }, 'no --kubelet-auth-token-file: logs/exec are served without authentication, on the node address only');
      this.port = await this.server.listen(this.o.port, bind);
      // Advertise the real port when 0 asked for a free one.
      this.node.port = this.port;
    }
    // The runtime or the API may come up after us (skiff up starts them side by side): keep trying.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.node.start();
        break;
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        const level = attempt < 3 ? 'info' : 'warn';
        this.log[level]({ attempt, err: (err as Error).message }, 'node registration failed (runtime or API not reachable yet); retrying');
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      }
    }
    if (this.abort.signal.aborted) return;
    this.controller.watch(this.informer);
    // spec.podCIDR is assigned by a controller after registration: hand it over as soon as it lands.
    const nodes = this.factory.informer<Node>('nodes', { fieldSelector: `metadata.name=${this.o.nodeName}` });
    this.nodes = nodes;
    const cidrChanged = (n: Node) => {
      if (n.spec?.podCIDR) this.node.setPodCidr(n.spec.podCIDR).catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'could not hand the pod CIDR to the runtime'));
    };
    nodes.on({ add: cidrChanged, update: (_o, n) => cidrChanged(n) });
    await this.factory.start();
    // Pods whose sandboxes exist but which the API no longer has (force-deleted while we were away).
    await this.relist(true);
    this.running = this.controller.run(this.abort.signal);
    const every = this.o.relistMs ?? 1000;
    const loop = (): void => {
      this.relistTimer = setTimeout(() => {
        this.relist(false).then(loop, (err: unknown) => {
          this.log.warn({ err: (err as Error).message }, 'runtime relist failed');
          loop();
        });
      }, every);
    };
    loop();
    if (!this.o.hollow) {
      const gc = new ImageGC(this.o.runtime, this.o.imageGC ?? defaultImageGCPolicy, this.log);
      this.imageGCTimer = setInterval(() => {
        gc.collect().catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'image garbage collection failed'));
      }, this.o.imageGCPeriodMs ?? 300_000);
      this.imageGCTimer.unref();
    }
    this.log.info({ node: this.o.nodeName, port: this.port, hollow: this.o.hollow ?? false }, 'kubelet started');
  }

  /** PLEG: compares container states with the last relist and wakes the pods whose containers changed. */
  private async relist(all: boolean): Promise<void> {
    const [{ containers }, { items }] = await Promise.all([this.o.runtime.listContainers({}), this.o.runtime.listPodSandbox({})]);
    const seen = new Set<string>();
    const wake = new Set<string>();
    const keyOfLabels = (l: Record<string, string>) => `${l[labels.podNamespace] ?? ''}/${l[labels.podName] ?? ''}`;
    for (const c of containers) {
      if (!c.labels[labels.podUid]) continue;
      seen.add(c.id);
      if (all || this.lastStates.get(c.id) !== c.state) wake.add(keyOfLabels(c.labels));
      this.lastStates.set(c.id, c.state);
    }
    for (const id of this.lastStates.keys()) if (!seen.has(id)) this.lastStates.delete(id);
    for (const s of items) {
      if (!s.labels[labels.podUid]) continue;
      const key = keyOfLabels(s.labels);
      // A sandbox whose pod is not (or no longer) in the cache, e.g. force-deleted.
      const pod = this.informer.store.get(key);
      if (all || !pod || pod.metadata?.uid !== s.labels[labels.podUid]) wake.add(key);
    }
    for (const k of wake) this.controller.enqueue(k);
  }

  metricsText(): string {
    const s = this.pods.stats;
    const n = this.node.stats;
    const pods = this.informer.store.list().length;
    return [
      '# TYPE kubelet_running_pods gauge', `kubelet_running_pods ${pods}`,
      '# TYPE kubelet_pod_syncs_total counter', `kubelet_pod_syncs_total ${s.syncs}`,
      '# TYPE kubelet_pod_status_writes_total counter', `kubelet_pod_status_writes_total ${s.statusWrites}`,
      '# TYPE kubelet_containers_started_total counter', `kubelet_containers_started_total ${s.containersStarted}`,
      '# TYPE kubelet_lease_renewals_total counter', `kubelet_lease_renewals_total ${n.leaseRenewals}`,
      '# TYPE kubelet_lease_renewals_late_total counter', `kubelet_lease_renewals_late_total ${n.leaseLate}`,
      '# TYPE kubelet_node_status_posts_total counter', `kubelet_node_status_posts_total ${n.statusPosts}`,
      '',
    ].join('\n');
  }

  async stop(): Promise<void> {
    clearTimeout(this.relistTimer);
    clearInterval(this.imageGCTimer);
    this.node.stop();
    this.abort.abort();
    this.factory.stop();
    this.pods.stop();
    await this.running;
    await this.server?.close();
  }
}
