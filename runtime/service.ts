// RuntimeService: CRI sandboxes and containers on top of a Backend (runc+conmon, or host
// processes). All state is derived from disk (records, conmon's exit and oom files), so a
// restarted runtime answers exactly as before and never starts anything twice.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import {
  grpc,
  RpcError,
  type ContainerState,
  type ContainerStatus,
  type Input,
  type RuntimeHandlers,
} from '../proto/index.js';
import type { Backend } from './backend.js';
import { readUsage, removeCgroup } from './cgroups.js';
import { setUpPodNetwork, tearDownPodNetwork, type NetworkOptions } from './cni.js';
import { imageId, type ImageRuntime } from './images.js';
import { writeSandboxEtcFiles } from './sandbox-files.js';
import type { ContainerRecord, SandboxRecord, StateStore } from './state.js';

export const RUNTIME_NAME = 'skiff';
export const RUNTIME_VERSION = '0.1.0';

export interface ServiceOptions {
  store: StateStore;
  images: ImageRuntime;
  backend: Backend;
  /** Pod networking; undefined when every pod uses the host network (host-process mode). */
  network: { bridge: string; ipMasq: boolean } | undefined;
  /** Why containers are not isolated, when the backend is the host-process one. */
  degradedReason?: string;
  /** Registers an interactive exec and returns its streaming URL. */
  registerExec: (containerId: string, cmd: string[], tty: boolean, stdin: boolean) => string;
  log: Logger;
}

const notFound = (what: string, id: string): RpcError => new RpcError(grpc.status.NOT_FOUND, `${what} ${JSON.stringify(id)} not found`);
const invalid = (message: string): RpcError => new RpcError(grpc.status.INVALID_ARGUMENT, message);

const nowNs = (): number => Date.now() * 1e6;
const newId = (): string => randomBytes(16).toString('hex');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** '' is the default (images, runc), "runc" its explicit name, "host" the host's filesystem. */
const RUNTIME_HANDLERS = ['', 'runc', 'host'];

/** The image id a container reports: its image's config digest, or a name hash on the host's filesystem. */
const imageRef = (rec: ContainerRecord): string => rec.image?.id ?? imageId(rec.config.image?.image ?? '');

function matchLabels(labels: Record<string, string>, selector: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

export class RuntimeService {
  constructor(private readonly opts: ServiceOptions) {}

  private get store(): StateStore {
    return this.opts.store;
  }

  private networkOptions(): NetworkOptions | undefined {
    const net = this.opts.network;
    const podCidr = this.store.settings.podCidr;
    if (!net || !podCidr) return undefined;
    return { bridge: net.bridge, podCidr, ipMasq: net.ipMasq, dataDir: this.store.layout.cniData };
  }

  // ---- container state, from the files conmon (or the shim) leaves ----

  exitCode(id: string): number | undefined {
    try {
      const text = readFileSync(this.store.layout.exitFile(id), 'utf8').trim();
      return text === '' ? undefined : Number(text);
    } catch {
      return undefined;
    }
  }

  containerState(rec: ContainerRecord): ContainerState {
    if (this.exitCode(rec.id) !== undefined) return 'CONTAINER_EXITED';
    if (rec.startedAt === 0) return 'CONTAINER_CREATED';
    return this.opts.backend.supervisorAlive(rec) ? 'CONTAINER_RUNNING' : 'CONTAINER_UNKNOWN';
  }

  private status(rec: ContainerRecord): Input<ContainerStatus> {
    const state = this.containerState(rec);
    const base: Input<ContainerStatus> = {
      id: rec.id,
      metadata: rec.config.metadata,
      state,
      createdAt: rec.createdAt,
      startedAt: rec.startedAt,
      image: rec.config.image,
      imageRef: imageRef(rec),
      imageId: imageRef(rec),
      labels: rec.config.labels,
      annotations: rec.config.annotations,
      mounts: rec.config.mounts,
      logPath: rec.logPath,
      resources: { linux: rec.config.linux?.resources ?? null },
    };
    if (state === 'CONTAINER_UNKNOWN') return { ...base, reason: 'Unknown', message: 'the container monitor is gone and left no exit status' };
    if (state !== 'CONTAINER_EXITED') return base;
    const exitCode = this.exitCode(rec.id) ?? -1;
    const finishedAt = Math.round(statSync(this.store.layout.exitFile(rec.id)).mtimeMs * 1e6);
    const oom = existsSync(join(this.store.layout.persist(rec.id), 'oom'));
    const reason = oom ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error';
    return { ...base, exitCode, finishedAt: Math.max(finishedAt, rec.startedAt), reason };
  }

  private container(id: string): ContainerRecord {
    const rec = this.store.containers.get(id);
    if (!rec) throw notFound('container', id);
    return rec;
  }

  private sandbox(id: string): SandboxRecord {
    const rec = this.store.sandboxes.get(id);
    if (!rec) throw notFound('pod sandbox', id);
    return rec;
  }

  private async waitExited(id: string, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exitCode(id) !== undefined) return true;
      if (Date.now() >= deadline) return false;
      await sleep(25);
    }
  }

  /** SIGTERM, then SIGKILL after `timeoutSec`; resolves once the exit code is recorded. */
  async stopContainer(rec: ContainerRecord, timeoutSec: number): Promise<void> {
    const state = this.containerState(rec);
    if (state === 'CONTAINER_EXITED') return;
    if (state === 'CONTAINER_CREATED' || state === 'CONTAINER_UNKNOWN') {
      // Never started (or nobody left to report): there is no exit to wait for.
      await this.opts.backend.kill(rec, 'KILL').catch(() => {});
      return;
    }
    if (timeoutSec > 0) {
      await this.opts.backend.kill(rec, 'TERM');
      if (await this.waitExited(rec.id, timeoutSec * 1000)) return;
    }
    await this.opts.backend.kill(rec, 'KILL');
    if (!(await this.waitExited(rec.id, 10_000))) throw new Error(`container ${rec.id} did not exit 10s after SIGKILL`);
  }

  private async removeContainer(rec: ContainerRecord): Promise<void> {
    await this.stopContainer(rec, 0);
    await this.opts.backend.remove(rec);
    this.store.dropContainer(rec.id);
  }

  private async stopSandbox(rec: SandboxRecord): Promise<void> {
    for (const c of [...this.store.containers.values()].filter((c) => c.sandboxId === rec.id)) await this.stopContainer(c, 0);
    const net = this.networkOptions();
    if (rec.netns && net) await tearDownPodNetwork(rec.id, net, rec.config.portMappings);
    if (rec.state !== 'SANDBOX_NOTREADY') this.store.saveSandbox({ ...rec, state: 'SANDBOX_NOTREADY' });
  }

  handlers(): RuntimeHandlers {
    return {
      Version: async () => ({ version: '0.1.0', runtimeName: RUNTIME_NAME, runtimeVersion: RUNTIME_VERSION, runtimeApiVersion: 'v1' }),

      Status: async () => {
        const isolated = this.opts.backend.mode === 'runc';
        const podCidr = this.store.settings.podCidr;
        const conditions = [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          isolated
            ? podCidr
              ? { type: 'NetworkReady', status: true, reason: '', message: `pods get IPs from ${podCidr} on bridge ${this.opts.network?.bridge}` }
              : { type: 'NetworkReady', status: false, reason: 'NoPodCIDR', message: 'no pod CIDR yet: waiting for UpdateRuntimeConfig' }
            : { type: 'NetworkReady', status: true, reason: 'HostNetwork', message: 'pods use the host network' },
          isolated
            ? { type: 'ContainersIsolated', status: true, reason: 'Runc', message: 'containers run under runc and conmon' }
            : { type: 'ContainersIsolated', status: false, reason: 'HostProcesses', message: `containers run as plain host processes on the host network: ${this.opts.degradedReason ?? 'runc unavailable'}` },
        ];
        return { status: { conditions } };
      },

      UpdateRuntimeConfig: async (req) => {
        const cidr = req.runtimeConfig?.networkConfig?.podCidr ?? '';
        if (!cidr) return {};
        if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) throw invalid(`runtimeConfig.networkConfig.podCidr: not an IPv4 CIDR: ${cidr}`);
        if (this.store.settings.podCidr !== cidr) {
          this.opts.log.info({ podCidr: cidr, previous: this.store.settings.podCidr }, 'pod CIDR set');
          this.store.settings = { ...this.store.settings, podCidr: cidr };
          this.store.saveSettings();
        }
        return {};
      },

      RunPodSandbox: async (req) => {
        const config = req.config;
        const meta = config?.metadata;
        if (!config || !meta?.name || !meta.namespace || !meta.uid) throw invalid('config.metadata: name, namespace and uid are required');
        // Idempotent for a retried call: the same pod and attempt gives the same sandbox.
        for (const s of this.store.sandboxes.values()) {
          const m = s.config.metadata;
          if (m?.uid === meta.uid && m.attempt === meta.attempt && s.state === 'SANDBOX_READY') return { podSandboxId: s.id };
        }
        if (!RUNTIME_HANDLERS.includes(req.runtimeHandler)) throw invalid(`runtimeHandler: unknown handler ${JSON.stringify(req.runtimeHandler)} (this runtime has "runc" and "host")`);
        const id = newId();
        const hostNetwork = config.linux?.securityContext?.namespaceOptions?.network === 'NODE' || this.opts.backend.mode === 'host';
        const ownCgroup = !config.linux?.cgroupParent;
        const rec: SandboxRecord = {
          id,
          config,
          createdAt: nowNs(),
          state: 'SANDBOX_READY',
          hostNetwork,
          cgroupParent: config.linux?.cgroupParent || `/skiff-pod-${id}`,
          ...(req.runtimeHandler ? { runtimeHandler: req.runtimeHandler } : {}),
        };
        this.store.saveSandbox(rec);
        try {
          if (!hostNetwork) {
            const net = this.networkOptions();
            if (!net) throw new RpcError(grpc.status.FAILED_PRECONDITION, 'no pod CIDR configured yet (UpdateRuntimeConfig); only host-network pods can run');
            const { netns, ip } = await setUpPodNetwork(id, net, config.portMappings);
            rec.netns = netns;
            rec.ip = ip;
          }
          const hostname = config.hostname || meta.name;
          writeSandboxEtcFiles(this.store.layout, id, hostname, rec.ip, config.dnsConfig);
          this.store.saveSandbox(rec);
        } catch (err) {
          await this.stopSandbox(rec).catch((stopErr: unknown) => this.opts.log.error({ err: stopErr, sandbox: id }, 'network cleanup after failed RunPodSandbox'));
          await this.removeSandboxRecord(rec, ownCgroup).catch((cleanupErr: unknown) => this.opts.log.error({ err: cleanupErr, sandbox: id }, 'cleanup after failed RunPodSandbox'));
          throw err;
        }
        this.opts.log.info({ sandbox: id, pod: `${meta.namespace}/${meta.name}`, ip: rec.ip }, 'sandbox ready');
        return { podSandboxId: id };
      },

      StopPodSandbox: async (req) => {
        const rec = this.store.sandboxes.get(req.podSandboxId);
        if (rec) await this.stopSandbox(rec);
        return {};
      },

      RemovePodSandbox: async (req) => {
        const rec = this.store.sandboxes.get(req.podSandboxId);
        if (!rec) return {};
        for (const c of [...this.store.containers.values()].filter((c) => c.sandboxId === rec.id)) await this.removeContainer(c);
        // A network that cannot be torn down (namespace removed behind our back, plugin gone)
        // must not keep the sandbox around forever: log it and remove the rest.
        await this.stopSandbox(rec).catch((err: unknown) => this.opts.log.warn({ err, sandbox: rec.id }, 'network teardown failed while removing the sandbox'));
        await this.removeSandboxRecord(rec, rec.cgroupParent.startsWith('/skiff-pod-'));
        return {};
      },

      PodSandboxStatus: async (req) => {
        const rec = this.sandbox(req.podSandboxId);
        return {
          status: {
            id: rec.id,
            metadata: rec.config.metadata,
            state: rec.state,
            createdAt: rec.createdAt,
            network: rec.ip ? { ip: rec.ip } : null,
            linux: { namespaces: { options: { network: rec.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', ipc: 'CONTAINER' } } },
            labels: rec.config.labels,
            annotations: rec.config.annotations,
          },
          info: req.verbose ? { info: JSON.stringify({ netns: rec.netns, cgroupParent: rec.cgroupParent }) } : {},
        };
      },

      ListPodSandbox: async (req) => {
        const f = req.filter;
        const items = [...this.store.sandboxes.values()]
          .filter((s) => (!f?.id || s.id === f.id) && (!f?.state || s.state === f.state.state) && matchLabels(s.config.labels, f?.labelSelector ?? {}))
          .map((s) => ({ id: s.id, metadata: s.config.metadata, state: s.state, createdAt: s.createdAt, labels: s.config.labels, annotations: s.config.annotations }));
        return { items };
      },

      CreateContainer: async (req) => {
        const sandbox = this.sandbox(req.podSandboxId);
        if (sandbox.state !== 'SANDBOX_READY') throw new RpcError(grpc.status.FAILED_PRECONDITION, `pod sandbox ${sandbox.id} is not ready`);
        const config = req.config;
        const name = config?.metadata?.name;
        if (!config || !name) throw invalid('config.metadata.name: required');
        config.mounts.forEach((m, i) => {
          if (!isAbsolute(m.containerPath)) throw invalid(`config.mounts[${i}].containerPath: must be absolute, got ${JSON.stringify(m.containerPath)}`);
          if (!existsSync(m.hostPath)) throw invalid(`config.mounts[${i}].hostPath: ${m.hostPath} does not exist`);
        });
        for (const c of this.store.containers.values()) {
          if (c.sandboxId === sandbox.id && c.config.metadata?.name === name && c.config.metadata.attempt === config.metadata?.attempt) {
            throw new RpcError(grpc.status.ALREADY_EXISTS, `container ${name} attempt ${config.metadata.attempt} already exists in sandbox ${sandbox.id} (${c.id})`);
          }
        }
        // Only the runtime handler "host" (and the unisolated host-process mode) runs without an image.
        const hostRoot = sandbox.runtimeHandler === 'host' || this.opts.backend.mode === 'host';
        const image = hostRoot ? undefined : await this.opts.images.forContainer(config);
        if (!image) {
          const ref = config.image?.image ?? '';
          if (!hostRoot) {
            if (!ref.trim()) throw invalid('config.image.image: required');
            throw new RpcError(grpc.status.NOT_FOUND, `image ${JSON.stringify(ref)} not found: pull it first (PullImage), or run the pod with the runtime handler "host" (RuntimeClass host) to use the host's filesystem`);
          }
          if (config.command.length + config.args.length === 0) throw invalid("config.command: required for a container on the host's filesystem");
        }
        const id = newId();
        const logDir = sandbox.config.logDirectory;
        const logPath = config.logPath ? (isAbsolute(config.logPath) ? config.logPath : join(logDir || this.store.layout.containerDir(id), config.logPath)) : join(this.store.layout.containerDir(id), 'container.log');
        mkdirSync(dirname(logPath), { recursive: true });
        const rec: ContainerRecord = {
          id,
          sandboxId: sandbox.id,
          config,
          createdAt: nowNs(),
          startedAt: 0,
          logPath,
          cgroupPath: `${sandbox.cgroupParent}/${id}`,
          mode: this.opts.backend.mode,
          ...(image ? { image: { id: image.id, chainIds: image.chainIds }, process: image.process } : {}),
        };
        this.store.saveContainer(rec);
        try {
          await this.opts.backend.create(rec, sandbox);
        } catch (err) {
          await this.opts.backend.remove(rec).catch(() => {});
          this.store.dropContainer(id);
          throw err;
        }
        return { containerId: id };
      },

      StartContainer: async (req) => {
        const rec = this.container(req.containerId);
        const state = this.containerState(rec);
        if (state !== 'CONTAINER_CREATED') throw new RpcError(grpc.status.FAILED_PRECONDITION, `container ${rec.id} is ${state}, not CONTAINER_CREATED`);
        const startedAt = nowNs();
        await this.opts.backend.start(rec);
        this.store.saveContainer({ ...rec, startedAt });
        return {};
      },

      StopContainer: async (req) => {
        const rec = this.store.containers.get(req.containerId);
        if (rec) await this.stopContainer(rec, req.timeout);
        return {};
      },

      RemoveContainer: async (req) => {
        const rec = this.store.containers.get(req.containerId);
        if (rec) await this.removeContainer(rec);
        return {};
      },

      ListContainers: async (req) => {
        const f = req.filter;
        const containers = [...this.store.containers.values()]
          .filter((c) => (!f?.id || c.id === f.id) && (!f?.podSandboxId || c.sandboxId === f.podSandboxId) && matchLabels(c.config.labels, f?.labelSelector ?? {}))
          .map((c) => ({ rec: c, state: this.containerState(c) }))
          .filter(({ state }) => !f?.state || state === f.state.state)
          .map(({ rec, state }) => ({
            id: rec.id,
            podSandboxId: rec.sandboxId,
            metadata: rec.config.metadata,
            image: rec.config.image,
            imageRef: imageRef(rec),
            imageId: imageRef(rec),
            state,
            createdAt: rec.createdAt,
            labels: rec.config.labels,
            annotations: rec.config.annotations,
          }));
        return { containers };
      },

      ContainerStatus: async (req) => {
        const rec = this.container(req.containerId);
        return { status: this.status(rec), info: req.verbose ? { info: JSON.stringify({ mode: rec.mode, cgroupPath: rec.cgroupPath }) } : {} };
      },

      ReopenContainerLog: async (req) => {
        const rec = this.container(req.containerId);
        if (this.containerState(rec) !== 'CONTAINER_RUNNING') throw new RpcError(grpc.status.FAILED_PRECONDITION, `container ${rec.id} is not running`);
        await this.opts.backend.reopenLog(rec);
        return {};
      },

      ExecSync: async (req) => {
        const rec = this.container(req.containerId);
        if (req.cmd.length === 0) throw invalid('cmd: required');
        if (this.containerState(rec) !== 'CONTAINER_RUNNING') throw new RpcError(grpc.status.FAILED_PRECONDITION, `container ${rec.id} is not running`);
        const r = await this.opts.backend.execSync(rec, req.cmd, req.timeout * 1000);
        if (r.timedOut) throw new RpcError(grpc.status.DEADLINE_EXCEEDED, `command ${JSON.stringify(req.cmd)} timed out after ${req.timeout}s`);
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
      },

      Exec: async (req) => {
        const rec = this.container(req.containerId);
        if (req.cmd.length === 0) throw invalid('cmd: required');
        if (!req.stdin && !req.stdout && !req.stderr) throw invalid('one of stdin, stdout, stderr must be true');
        if (this.containerState(rec) !== 'CONTAINER_RUNNING') throw new RpcError(grpc.status.FAILED_PRECONDITION, `container ${rec.id} is not running`);
        return { url: this.opts.registerExec(rec.id, req.cmd, req.tty, req.stdin) };
      },

      ContainerStats: async (req) => {
        const rec = this.container(req.containerId);
        const usage = rec.mode === 'runc' ? readUsage(rec.cgroupPath) : {};
        const ts = nowNs();
        const u64 = (v: number | undefined): { value: number } | null => (v === undefined ? null : { value: v });
        return {
          stats: {
            attributes: { id: rec.id, metadata: rec.config.metadata, labels: rec.config.labels, annotations: rec.config.annotations },
            cpu: { timestamp: ts, usageCoreNanoSeconds: u64(usage.cpuNanos) },
            memory: {
              timestamp: ts,
              workingSetBytes: u64(usage.workingSetBytes),
              usageBytes: u64(usage.memoryBytes),
              rssBytes: u64(usage.rssBytes),
              availableBytes: u64(usage.memoryLimit !== undefined && usage.workingSetBytes !== undefined ? Math.max(0, usage.memoryLimit - usage.workingSetBytes) : undefined),
            },
          },
        };
      },
    };
  }

  private async removeSandboxRecord(rec: SandboxRecord, ownCgroup: boolean): Promise<void> {
    // The network is already down: stopSandbox tore it down, or setUpPodNetwork undid itself.
    if (ownCgroup && this.opts.backend.mode === 'runc') {
      const failures = removeCgroup(rec.cgroupParent);
      if (failures.length > 0) this.opts.log.warn({ sandbox: rec.id, failures }, 'pod cgroup not fully removed');
    }
    this.store.dropSandbox(rec.id);
  }
}
