// The controller manager: one clientset and one shared informer factory for every controller,
// run only while this process holds the Lease kube-system/kube-controller-manager. Losing the
// lease stops the controllers and ends run() with LostLeadershipError, so that (as upstream) the
// process exits and its supervisor restarts it with empty caches.
import { setMaxListeners } from 'node:events';
import type { Server } from 'node:http';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  Clientset, EventRecorder, InformerFactory, LeaderElector, createLogger, observeControllers,
  type ClientConfig, type Controller, type Logger, serveHealth,
} from '../client/index.js';
import type { ControllerContext, ControllerDef } from './context.js';

export class LostLeadershipError extends Error {
  constructor() {
    super('leader election lost');
    this.name = 'LostLeadershipError';
  }
}

export interface ManagerOptions {
  config: ClientConfig;
  controllers: ControllerDef[];
  leaderElect: boolean;
  identity?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Health and metrics port on `bindAddress`; 0 = none. */
  port: number;
  bindAddress?: string;
  resyncMs?: number;
  log?: Logger;
}

/** Sets up `defs` on one context, starts the informers, runs every controller until `signal`. */
export async function runControllers(ctx: ControllerContext, defs: ControllerDef[], signal: AbortSignal, onSynced?: () => void): Promise<void> {
  // Every controller, queue and informer listens on this one signal: more than Node's default 10.
  setMaxListeners(1000, signal);
  const running = defs.map((d) => ({ name: d.name, handle: d.setup(ctx) }));
  await ctx.factory.start();
  if (signal.aborted) return;
  onSynced?.();
  ctx.log.info({ controllers: running.map((r) => r.name) }, 'caches synced; controllers starting');
  await Promise.all(
    running.map(({ name, handle }) =>
      handle.run(signal).catch((err: unknown) => ctx.log.error({ err, controller: name }, 'controller stopped with an error')),
    ),
  );
}

export function newContext(clientset: Clientset, log: Logger, resyncMs = 30_000): ControllerContext {
  return {
    clientset,
    factory: new InformerFactory(clientset, { resyncMs, log }),
    recorder: new EventRecorder(clientset, 'controller-manager', hostname(), log),
    log,
  };
}

/** Prometheus metrics of the controllers in this process, in their own registry. */
export class ManagerMetrics {
  readonly registry = new Registry();
  private readonly live = new Set<Controller>();
  readonly reconciles = new Counter({
    name: 'controller_reconcile_total',
    help: 'Reconciles by controller and outcome (done, requeueAfter, retry, terminal).',
    labelNames: ['controller', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'controller_reconcile_duration_seconds',
    help: 'Time spent in one reconcile, by controller.',
    labelNames: ['controller'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'leader_election_master_status',
    help: '1 while this process holds the lease.',
    labelNames: ['name'] as const,
    registers: [this.registry],
  });
  private readonly unobserve: () => void;

  constructor() {
    const live = this.live;
    new Gauge({
      name: 'workqueue_depth',
      help: 'Keys waiting in each controller queue.',
      labelNames: ['name'] as const,
      registers: [this.registry],
      collect(this: Gauge<'name'>) {
        this.reset();
        for (const c of live) this.set({ name: c.name }, c.queue.length);
      },
    });
    collectDefaultMetrics({ register: this.registry });
    this.unobserve = observeControllers({
      started: (c) => live.add(c),
      stopped: (c) => live.delete(c),
      reconciled: (name, outcome, seconds) => {
        this.reconciles.inc({ controller: name, outcome });
        this.duration.observe({ controller: name }, seconds);
      },
    });
  }

  close(): void {
    this.unobserve();
  }
}

interface Health {
  leading: boolean;
  synced: boolean;
}

async function serveManagerHealth(opts: ManagerOptions, metrics: ManagerMetrics, health: Health, log: Logger): Promise<Server | undefined> {
  if (opts.port === 0) return undefined;
  // A standby is ready (it is doing its job: waiting); a leader once its caches are synced.
  const ready = (): true | string => !health.leading || health.synced || 'informers not synced';
  const server = await serveHealth({ host: opts.bindAddress ?? '127.0.0.1', port: opts.port, registry: metrics.registry, ready });
  const addr = server.address();
  log.info({ port: typeof addr === 'object' && addr ? addr.port : opts.port }, 'serving /healthz, /readyz, /metrics');
  return server;
}

/**
 * Runs until `signal` aborts (resolves, lease released) or leadership is lost (rejects with
 * LostLeadershipError after the controllers have stopped).
 */
export async function runControllerManager(opts: ManagerOptions, signal: AbortSignal): Promise<void> {
  const log = opts.log ?? createLogger('controller-manager');
  const identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
  const metrics = new ManagerMetrics();
  metrics.leader.set({ name: 'kube-controller-manager' }, 0);
  const health: Health = { leading: false, synced: false };
  const server = await serveManagerHealth(opts, metrics, health, log);
  const clientset = new Clientset(opts.config, { userAgent: 'skiff-controller-manager' });
  log.info({ identity, controllers: opts.controllers.map((d) => d.name) }, 'controller manager starting');

  const lead = async (leading: AbortSignal): Promise<void> => {
    health.leading = true;
    metrics.leader.set({ name: 'kube-controller-manager' }, 1);
    const ctx = newContext(clientset, log, opts.resyncMs);
    try {
      await runControllers(ctx, opts.controllers, leading, () => (health.synced = true));
    } finally {
      ctx.factory.stop();
      health.leading = false;
      health.synced = false;
      metrics.leader.set({ name: 'kube-controller-manager' }, 0);
    }
  };

  let lost = false;
  try {
    if (!opts.leaderElect) {
      await lead(signal);
      return;
    }
    const elector = new LeaderElector({
      clientset, namespace: 'kube-system', name: 'kube-controller-manager', identity, log,
      ...(opts.leaseDurationMs ? { leaseDurationMs: opts.leaseDurationMs } : {}),
      ...(opts.renewDeadlineMs ? { renewDeadlineMs: opts.renewDeadlineMs } : {}),
      ...(opts.retryPeriodMs ? { retryPeriodMs: opts.retryPeriodMs } : {}),
    });
    // The elector campaigns again after losing; we stop it instead and let the process restart.
    const campaign = new AbortController();
    const stop = (): void => campaign.abort();
    signal.addEventListener('abort', stop, { once: true });
    await elector.run(
      {
        onStartedLeading: lead,
        onStoppedLeading: () => {
          if (!signal.aborted) {
            lost = true;
            campaign.abort();
          }
        },
      },
      campaign.signal,
    );
    signal.removeEventListener('abort', stop);
  } finally {
    metrics.close();
    clientset.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (lost) throw new LostLeadershipError();
}
