// The scheduler component: informers for nodes, pods and namespaces feed the Scheduler; the
// loop runs only while this instance holds the kube-system/kube-scheduler Lease; /healthz,
// /readyz and /metrics are served on their own port. `skiff scheduler` and tests both use it.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Namespace, Node, Pod } from '../api/index.js';
import { Clientset, EventRecorder, InformerFactory, LeaderElector, createLogger, serveHealth, type ClientConfig, type Logger } from '../client/index.js';
import { ApiWriter, classifyBindError } from './api-writer.js';
import { SchedulerMetrics } from './metrics.js';
import type { PodInfo } from './pod-info.js';
import { Scheduler } from './scheduler.js';

export interface SchedulerComponentOptions {
  config: ClientConfig;
  schedulerName?: string;
  /** Port for /healthz, /readyz and /metrics; 0 = a free port; undefined = no server. */
  port?: number;
  /** Lease-based leader election (default on). */
  leaderElect?: boolean;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  log?: Logger;
  /** Called after each successful binding (benchmarks). */
  onBound?: (pod: PodInfo, nodeName: string, queuedMs: number) => void;
}

export interface RunningScheduler {
  scheduler: Scheduler;
  /** The metrics port actually bound, if any. */
  port: number | undefined;
  isLeader(): boolean;
  /** performance.now() when this instance last started scheduling. */
  startedAt(): number | undefined;
  stop(): Promise<void>;
}

export async function startScheduler(o: SchedulerComponentOptions): Promise<RunningScheduler> {
  const log = o.log ?? createLogger('scheduler');
  const identity = o.identity ?? `${hostname()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const clientset = new Clientset(o.config, { userAgent: 'skiff-scheduler' });
  const recorder = new EventRecorder(clientset, o.schedulerName ?? 'default-scheduler', undefined, log);
  const metrics = new SchedulerMetrics(true);
  const scheduler = new Scheduler({
    writer: new ApiWriter(clientset, recorder),
    ...(o.schedulerName ? { schedulerName: o.schedulerName } : {}),
    metrics,
    log,
    classifyBindError,
    ...(o.onBound ? { onBound: o.onBound } : {}),
  });

  const factory = new InformerFactory(clientset, { log });
  const nodes = factory.informer<Node>('nodes');
  const pods = factory.informer<Pod>('pods');
  const namespaces = factory.informer<Namespace>('namespaces');
  nodes.on({ add: (n) => scheduler.onNode(n), update: (old, n) => scheduler.onNode(n, old), delete: (n) => scheduler.onNodeDeleted(n) });
  pods.on({ add: (p) => scheduler.onPod(p), update: (old, p) => scheduler.onPod(p, old), delete: (p) => scheduler.onPodDeleted(p) });
  namespaces.on({
    add: (n) => scheduler.onNamespace(n.metadata?.name ?? '', n.metadata?.labels ?? {}),
    update: (_o, n) => scheduler.onNamespace(n.metadata?.name ?? '', n.metadata?.labels ?? {}),
    delete: (n) => scheduler.onNamespace(n.metadata?.name ?? '', undefined),
  });

  let synced = false;
  const server = o.port === undefined ? undefined : await serveHealth({ host: '127.0.0.1', port: o.port, registry: metrics.registry, ready: () => synced || 'informers not synced' });
  await factory.start();
  synced = true;

  const stopAll = new AbortController();
  let leading = false;
  let startedAt: number | undefined;
  const lead = async (signal: AbortSignal): Promise<void> => {
    leading = true;
    startedAt = performance.now();
    log.info({ identity }, 'scheduling');
    try {
      await scheduler.run(signal);
    } finally {
      leading = false;
    }
  };
  const running =
    o.leaderElect === false
      ? lead(stopAll.signal)
      : new LeaderElector({
          clientset,
          namespace: 'kube-system',
          name: 'kube-scheduler',
          identity,
          log,
          ...(o.leaseDurationMs ? { leaseDurationMs: o.leaseDurationMs } : {}),
          ...(o.renewDeadlineMs ? { renewDeadlineMs: o.renewDeadlineMs } : {}),
          ...(o.retryPeriodMs ? { retryPeriodMs: o.retryPeriodMs } : {}),
        }).run({ onStartedLeading: lead }, stopAll.signal);
  const done = running.catch((err: unknown) => log.error({ err }, 'scheduler stopped with an error'));

  return {
    scheduler,
    port: server ? (server.address() as AddressInfo).port : undefined,
    isLeader: () => leading,
    startedAt: () => startedAt,
    async stop() {
      stopAll.abort();
      await done;
      factory.stop();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      clientset.close();
    },
  };
}
