// The node's container runtime as a library: `startRuntime()` serves runtime.v1 (RuntimeService
// + ImageService) on a unix socket, with an exec streaming server on loopback. `skiff runtime`
// (cli/runtime.ts) is a thin main around it.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import { Gauge, Histogram, Registry } from 'prom-client';
import { addRuntimeServices, bindServer, grpc } from '../proto/index.js';
import type { Backend } from './backend.js';
import { cniAvailable } from './cni.js';

export { removeIdlePortmapChains } from './cni.js';
export { podCgroupDirs, reclaimRoot } from './reclaim.js';
import { HostBackend } from './host-backend.js';
import { ImageRuntime } from './images.js';
import { rotateLogs } from './log-rotation.js';
import { findBinary, Runc } from './runc.js';
import { RuncBackend } from './runc-backend.js';
import { RuntimeService } from './service.js';
import { Layout, StateStore } from './state.js';
import { StreamServer } from './stream-server.js';

export interface RuntimeOptions {
  /** gRPC endpoint, `unix:///path/runtime.sock`. */
  listen: string;
  /** State directory. */
  root: string;
  /** Bridge for pod networking (default skiff0). */
  bridge?: string;
  /** SNAT pod traffic leaving the pod CIDR (default off). */
  ipMasq?: boolean;
  /** Rotate a container log once it is larger than this (default 10 MiB); 5 old files kept. */
  maxLogSize?: number;
  /** Run containers as host processes even when runc could isolate them. */
  hostProcesses?: boolean;
  /** registries.yaml (k3s format): mirrors, endpoints, credentials, TLS. */
  registryConfig?: string;
  log?: Logger;
}

export interface RunningRuntime {
  endpoint: string;
  mode: 'runc' | 'host';
  metrics: Registry;
  close(): Promise<void>;
}

/** Whether containers can be isolated here, and if not, why. */
export function isolationSupport(): { runc: string; conmon: string } | { reason: string } {
  if (process.getuid?.() !== 0) return { reason: 'not running as root' };
  const runc = findBinary('runc');
  const conmon = findBinary('conmon');
  if (!runc || !conmon) return { reason: `${[runc ? '' : 'runc', conmon ? '' : 'conmon'].filter(Boolean).join(' and ')} not installed (apt-get install runc conmon)` };
  if (!cniAvailable()) return { reason: 'CNI plugins missing in /usr/lib/cni (apt-get install containernetworking-plugins)' };
  return { runc, conmon };
}

export async function startRuntime(opts: RuntimeOptions): Promise<RunningRuntime> {
  const log = opts.log ?? pino({ name: 'runtime' });
  if (!opts.listen.startsWith('unix://')) throw new Error(`--listen: expected unix:///path/runtime.sock, got ${opts.listen}`);
  const socketPath = opts.listen.slice('unix://'.length);
  const layout = new Layout(opts.root);
  const store = new StateStore(layout);
  const images = new ImageRuntime(opts.root, opts.registryConfig, log);

  const support = opts.hostProcesses ? { reason: 'host processes requested' } : isolationSupport();
  const maxLogSize = opts.maxLogSize ?? 10 * 1024 * 1024;
  let backend: Backend;
  let degradedReason: string | undefined;
  if ('runc' in support) {
    // conmon's own cap is a backstop for a log that grows faster than the rotation loop runs.
    backend = new RuncBackend(new Runc(support.runc, support.conmon, layout.runcRoot), layout, maxLogSize * 4, images.store.snapshots);
  } else {
    degradedReason = support.reason;
    backend = new HostBackend(layout);
    log.warn({ reason: support.reason }, 'containers will run as plain host processes on the host network');
  }

  const streams = new StreamServer((s) => backend.execCommand(store.containers.get(s.containerId) ?? fail(s.containerId), s.tty ? withTerminal(s.cmd) : s.cmd), log);
  await streams.listen();

  const service = new RuntimeService({
    store,
    images,
    backend,
    network: backend.mode === 'runc' ? { bridge: opts.bridge ?? 'skiff0', ipMasq: opts.ipMasq ?? false } : undefined,
    ...(degradedReason !== undefined ? { degradedReason } : {}),
    registerExec: (containerId, cmd, tty, stdin) => streams.register({ containerId, cmd, tty, stdin }),
    log,
  });

  const metrics = new Registry();
  const rpcSeconds = new Histogram({
    name: 'skiff_runtime_rpc_duration_seconds',
    help: 'Duration of runtime.v1 RPCs by method and outcome',
    labelNames: ['method', 'code'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics],
  });
  new Gauge({
    name: 'skiff_runtime_containers',
    help: 'Containers known to the runtime, by state',
    labelNames: ['state'],
    registers: [metrics],
    collect() {
      this.reset();
      for (const c of store.containers.values()) this.inc({ state: service.containerState(c) });
    },
  });
  new Gauge({
    name: 'skiff_runtime_sandboxes',
    help: 'Pod sandboxes known to the runtime',
    registers: [metrics],
    collect() {
      this.set(store.sandboxes.size);
    },
  });
  const timed = <H extends object>(handlers: H): H => {
    const out: Record<string, (req: unknown) => Promise<unknown>> = {};
    for (const [name, fn] of Object.entries(handlers as Record<string, (req: unknown) => Promise<unknown>>)) {
      out[name] = async (req) => {
        const end = rpcSeconds.startTimer({ method: name });
        try {
          const res = await fn(req);
          end({ code: 'OK' });
          return res;
        } catch (err) {
          end({ code: err instanceof Error && 'code' in err ? String(grpc.status[(err as { code: number }).code]) : 'INTERNAL' });
          throw err;
        }
      };
    }
    return out as H;
  };

  const server = new grpc.Server();
  addRuntimeServices(server, timed(service.handlers()), timed(images.handlers((id) => [...store.containers.values()].some((c) => c.image?.id === id), layout.containers)), (method, err) => log.error({ err, method }, 'runtime RPC failed'));
  mkdirSync(dirname(socketPath), { recursive: true });
  if (existsSync(socketPath)) rmSync(socketPath); // a stale socket from a previous run
  await bindServer(server, opts.listen);

  const rotation = setInterval(() => {
    rotateLogs(store, backend, service, maxLogSize).catch((err: unknown) => log.error({ err }, 'log rotation failed'));
  }, 10_000);
  rotation.unref();

  log.info({ endpoint: opts.listen, root: opts.root, mode: backend.mode, sandboxes: store.sandboxes.size, containers: store.containers.size }, 'runtime serving');
  return {
    endpoint: opts.listen,
    mode: backend.mode,
    metrics,
    async close() {
      clearInterval(rotation);
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      await streams.close();
      rmSync(socketPath, { force: true });
    },
  };
}

/**
 * A TTY exec runs under util-linux `script`, which gives the command a pseudo-terminal inside the
 * container (runc's own -t needs a console socket to pass the pty master back over).
 */
export function withTerminal(cmd: string[]): string[] {
  const quoted = cmd.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  return ['script', '--quiet', '--flush', '--return', '--command', quoted, '/dev/null'];
}

function fail(containerId: string): never {
  throw new Error(`container ${containerId} was removed`);
}
