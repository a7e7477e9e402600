// Liveness, readiness and startup probes, one timer loop per (container instance, probe kind),
// with Kubernetes' initialDelay/period/timeout/success/failure thresholds. Results are read by
// the pod status; a change wakes the pod's worker; a liveness failure asks for a restart.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Container, Probe } from '../api/index.js';
import type { Runtime } from './runtime.js';

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

/** Checks an httpGet or tcpSocket target; the hollow runtime answers these itself. */
export type NetProber = (target: { host: string; port: number; path?: string; scheme?: string; headers?: Array<{ name: string; value: string }> }, timeoutMs: number) => Promise<boolean>;

export const realNetProber: NetProber = (t, timeoutMs) =>
  new Promise((resolve) => {
    if (t.path === undefined) {
      const sock = connect({ host: t.host, port: t.port, timeout: timeoutMs });
      const end = (ok: boolean) => {
        sock.destroy();
        resolve(ok);
      };
      sock.once('connect', () => end(true));
      sock.once('timeout', () => end(false));
      sock.once('error', () => end(false));
      return;
    }
    const headers: Record<string, string> = { 'User-Agent': 'kube-probe/1.32', Accept: '*/*' };
    for (const h of t.headers ?? []) headers[h.name] = h.value;
    const req = (t.scheme === 'HTTPS' ? httpsRequest : httpRequest)(
      { host: t.host, port: t.port, path: t.path || '/', method: 'GET', headers, timeout: timeoutMs, rejectUnauthorized: false },
      (res) => {
        res.resume();
        resolve((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 400);
      },
    );
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', () => resolve(false));
    req.end();
  });

export interface ProbeEvents {
  /** A result flipped: re-sync the pod. */
  changed(podKey: string): void;
  /** Liveness (or startup) crossed its failure threshold: the container must be restarted. */
  failed(podKey: string, containerName: string, containerId: string, kind: ProbeKind, message: string): void;
  /** A single failed attempt (Event Unhealthy). */
  unhealthy(podKey: string, containerName: string, kind: ProbeKind, message: string): void;
}

interface Worker {
  timer: NodeJS.Timeout | undefined;
  stopped: boolean;
}

interface ContainerProbes {
  podKey: string;
  workers: Worker[];
  ready: boolean;
  started: boolean;
}

function resolvePort(port: number | string, c: Container): number {
  if (typeof port === 'number') return port;
  const named = (c.ports ?? []).find((p) => p.name === port);
  return named ? named.containerPort : Number(port);
}

export class ProbeManager {
  private readonly byContainer = new Map<string, ContainerProbes>();

  constructor(
    private readonly runtime: Runtime,
    private readonly net: NetProber,
    private readonly events: ProbeEvents,
  ) {}

  /** Starts the probes of a running container instance once; later calls are no-ops. */
  ensure(podKey: string, c: Container, containerId: string, podIP: string, startedAtMs: number, known?: { ready: boolean; started: boolean }): void {
    if (this.byContainer.has(containerId)) return;
    // After a kubelet restart the last reported results stand until a probe says otherwise.
    const state: ContainerProbes = { podKey, workers: [], ready: !c.readinessProbe || (known?.ready ?? false), started: !c.startupProbe || (known?.started ?? false) };
    this.byContainer.set(containerId, state);
    const spawn = (kind: ProbeKind, probe: Probe | undefined) => {
      if (probe) state.workers.push(this.loop(kind, probe, c, containerId, podIP, startedAtMs, state));
    };
    spawn('startup', c.startupProbe);
    spawn('liveness', c.livenessProbe);
    spawn('readiness', c.readinessProbe);
  }

  ready(containerId: string): boolean {
    return this.byContainer.get(containerId)?.ready ?? false;
  }

  started(containerId: string): boolean {
    return this.byContainer.get(containerId)?.started ?? false;
  }

  /** Stops the probes of every container instance not in `keep` (for one pod, or all with podKey undefined). */
  prune(podKey: string | undefined, keep: Set<string>): void {
    for (const [id, p] of this.byContainer) {
      if ((podKey === undefined || p.podKey === podKey) && !keep.has(id)) this.stop(id);
    }
  }

  stop(containerId: string): void {
    const p = this.byContainer.get(containerId);
    if (!p) return;
    for (const w of p.workers) {
      w.stopped = true;
      clearTimeout(w.timer);
    }
    this.byContainer.delete(containerId);
  }

  stopAll(): void {
    for (const id of [...this.byContainer.keys()]) this.stop(id);
  }

  private async attempt(probe: Probe, c: Container, containerId: string, podIP: string): Promise<{ ok: boolean; message: string }> {
    const timeoutS = probe.timeoutSeconds ?? 1;
    if (probe.exec) {
      try {
        const r = await this.runtime.execSync({ containerId, cmd: probe.exec.command ?? [], timeout: timeoutS }, { timeoutMs: timeoutS * 1000 + 2000 });
        const out = Buffer.concat([Buffer.from(r.stdout), Buffer.from(r.stderr)]).toString('utf8').trim();
        return { ok: r.exitCode === 0, message: `exec probe failed with exit code ${r.exitCode}${out ? `: ${out}` : ''}` };
      } catch (err) {
        return { ok: false, message: `exec probe error: ${(err as Error).message}` };
      }
    }
    if (probe.httpGet) {
      const g = probe.httpGet;
      const port = resolvePort(g.port, c);
      const host = g.host || podIP;
      const ok = await this.net({ host, port, path: g.path ?? '/', scheme: g.scheme ?? 'HTTP', headers: g.httpHeaders ?? [] }, timeoutS * 1000);
      return { ok, message: `HTTP probe failed: GET ${(g.scheme ?? 'HTTP').toLowerCase()}://${host}:${port}${g.path ?? '/'}` };
    }
    if (probe.tcpSocket) {
      const port = resolvePort(probe.tcpSocket.port, c);
      const host = probe.tcpSocket.host || podIP;
      const ok = await this.net({ host, port }, timeoutS * 1000);
      return { ok, message: `TCP probe failed: dial tcp ${host}:${port}` };
    }
    return { ok: true, message: '' };
  }

  private loop(kind: ProbeKind, probe: Probe, c: Container, containerId: string, podIP: string, startedAtMs: number, state: ContainerProbes): Worker {
    const w: Worker = { timer: undefined, stopped: false };
    const period = (probe.periodSeconds ?? 10) * 1000;
    const successThreshold = kind === 'readiness' ? (probe.successThreshold ?? 1) : 1;
    const failureThreshold = probe.failureThreshold ?? 3;
    let successes = 0;
    let failures = 0;
    const tick = async (): Promise<void> => {
      if (w.stopped) return;
      // Liveness and readiness wait for the startup probe, as in Kubernetes.
      if (kind !== 'startup' && !state.started) return schedule(period);
      if (kind === 'startup' && state.started) return;
      const r = await this.attempt(probe, c, containerId, podIP);
      if (w.stopped) return;
      if (r.ok) {
        failures = 0;
        successes++;
        if (successes >= successThreshold) {
          if (kind === 'readiness' && !state.ready) {
            state.ready = true;
            this.events.changed(state.podKey);
          } else if (kind === 'startup' && !state.started) {
            state.started = true;
            this.events.changed(state.podKey);
            return;
          }
        }
      } else {
        successes = 0;
        failures++;
        this.events.unhealthy(state.podKey, c.name, kind, r.message);
        if (failures >= failureThreshold) {
          if (kind === 'readiness') {
            if (state.ready) {
              state.ready = false;
              this.events.changed(state.podKey);
            }
          } else {
            failures = 0;
            this.events.failed(state.podKey, c.name, containerId, kind, r.message);
          }
        }
      }
      schedule(period);
    };
    const schedule = (ms: number): void => {
      if (w.stopped) return;
      w.timer = setTimeout(() => void tick().catch(() => schedule(period)), ms);
    };
    schedule(Math.max(0, startedAtMs + (probe.initialDelaySeconds ?? 0) * 1000 - Date.now()));
    return w;
  }
}
