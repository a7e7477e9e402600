// An in-process container runtime for hollow nodes and fast tests: the same typed interface as
// the gRPC client, with containers that "run" at once and never do anything. Tests steer it:
// `exit(id, code)` ends a container, `onStart` decides what a container does when started,
// `execHandler` answers ExecSync (exec probes), `netProbe` answers httpGet/tcpSocket probes.
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  RpcError, type Container, type ContainerConfig, type ContainerState, type ContainerStatus, type Input,
  type PodSandboxConfig, type PodSandboxState, type ImageStatusRequest, type ImageStatusResponse, type PullImageRequest, type PullImageResponse, type ListImagesResponse, type ImageFsInfoResponse,
} from '../proto/index.js';
import { rpcStatus, type Runtime } from './runtime.js';

interface FakeSandbox {
  id: string;
  config: Input<PodSandboxConfig>;
  state: PodSandboxState;
  createdAt: number;
  ip: string;
}

interface FakeContainer {
  id: string;
  sandboxId: string;
  config: Input<ContainerConfig>;
  logPath: string;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  reason: string;
  timer?: NodeJS.Timeout | undefined;
}

/** What a started container does: keep running (undefined), or exit after `afterMs` with `code`. */
export type FakeBehaviour = { exitAfterMs: number; code: number; reason?: string } | undefined;

const nowNs = (): number => Date.now() * 1e6;
const notFound = (what: string, id: string) => new RpcError(rpcStatus.NOT_FOUND, `${what} ${id} not found`);

export class FakeRuntime {
  readonly sandboxes = new Map<string, FakeSandbox>();
  readonly containers = new Map<string, FakeContainer>();
  onStart: (config: Input<ContainerConfig>) => FakeBehaviour = () => undefined;
  execHandler: (containerId: string, cmd: string[]) => { exitCode: number; stdout?: string; stderr?: string } = () => ({ exitCode: 0 });
  netProbe: (ip: string, port: number, path?: string) => boolean = () => true;
  /** Counts calls per method, so tests can assert that nothing was restarted. */
  readonly calls = new Map<string, number>();
  /** When set, every new sandbox gets this address (tests that must reach a "pod" on loopback). */
  fixedIp: string | undefined;
  private podCidr = '';
  private nextIp = 2;
  private nextId = 1;

  /** Hollow nodes have every image: ImageStatus finds it, PullImage succeeds at once. */
  async imageStatus(req: Input<ImageStatusRequest>): Promise<ImageStatusResponse> {
    this.count('imageStatus');
    const name = req.image?.image ?? '';
    return { image: { id: `sha256:fake-${name}`, repoTags: [name], repoDigests: [], size: 1, uid: null, username: '', spec: null, pinned: false }, info: {} };
  }

  async pullImage(req: Input<PullImageRequest>): Promise<PullImageResponse> {
    this.count('pullImage');
    return { imageRef: `sha256:fake-${req.image?.image ?? ''}` };
  }

  /** Nothing to list: hollow nodes keep their status small. */
  async listImages(): Promise<ListImagesResponse> {
    this.count('listImages');
    return { images: [] };
  }

  async removeImage(): Promise<Record<string, never>> {
    this.count('removeImage');
    return {};
  }

  async imageFsInfo(): Promise<ImageFsInfoResponse> {
    this.count('imageFsInfo');
    return { imageFilesystems: [], containerFilesystems: [] };
  }

  private count(method: string): void {
    this.calls.set(method, (this.calls.get(method) ?? 0) + 1);
  }

  private newId(): string {
    return (this.nextId++).toString(16).padStart(12, '0') + Math.random().toString(16).slice(2, 14);
  }

  private allocateIp(): string {
    if (this.fixedIp) return this.fixedIp;
    // Fake addresses from the node's podCIDR: nothing ever connects to them (netProbe answers).
    const base = /^(\d+)\.(\d+)\.(\d+)\.\d+\/\d+$/.exec(this.podCidr);
    const n = this.nextIp++;
    return base ? `${base[1]}.${base[2]}.${Number(base[3]) + Math.floor(n / 254)}.${n % 254 || 1}` : `10.88.${Math.floor(n / 254)}.${n % 254 || 1}`;
  }

  private sandbox(id: string): FakeSandbox {
    const s = this.sandboxes.get(id);
    if (!s) throw notFound('pod sandbox', id);
    return s;
  }

  private container(id: string): FakeContainer {
    const c = this.containers.get(id);
    if (!c) throw notFound('container', id);
    return c;
  }

  /** Ends a running container as if its process exited. */
  exit(id: string, code: number, reason = code === 0 ? 'Completed' : 'Error'): void {
    const c = this.containers.get(id);
    if (!c || c.state !== 'CONTAINER_RUNNING') return;
    clearTimeout(c.timer);
    c.state = 'CONTAINER_EXITED';
    c.exitCode = code;
    c.reason = reason;
    c.finishedAt = nowNs();
  }

  /** Running containers whose name label is `name`. */
  running(name: string): string[] {
    return [...this.containers.values()]
      .filter((c) => c.state === 'CONTAINER_RUNNING' && c.config.metadata?.name === name)
      .map((c) => c.id);
  }

  private statusOf(c: FakeContainer): ContainerStatus {
    return {
      id: c.id,
      metadata: { name: c.config.metadata?.name ?? '', attempt: c.config.metadata?.attempt ?? 0 },
      state: c.state,
      createdAt: c.createdAt,
      startedAt: c.startedAt,
      finishedAt: c.finishedAt,
      exitCode: c.exitCode,
      image: { image: c.config.image?.image ?? '', annotations: {}, userSpecifiedImage: '' },
      imageRef: c.config.image?.image ?? '',
      reason: c.reason,
      message: '',
      labels: { ...(c.config.labels ?? {}) } as Record<string, string>,
      annotations: { ...(c.config.annotations ?? {}) } as Record<string, string>,
      mounts: [],
      logPath: c.logPath,
      resources: null,
      imageId: `sha256:fake-${c.config.image?.image ?? ''}`,
    };
  }

  private listed(c: FakeContainer): Container {
    const s = this.statusOf(c);
    return {
      id: s.id, podSandboxId: c.sandboxId, metadata: s.metadata, image: s.image, imageRef: s.imageRef, state: s.state,
      createdAt: s.createdAt, labels: s.labels, annotations: s.annotations, imageId: s.imageId,
    };
  }

  // ---- the Runtime interface ----
  close(): void {
    for (const c of this.containers.values()) clearTimeout(c.timer);
  }

  async version() {
    this.count('version');
    return { version: '0.1.0', runtimeName: 'skiff-fake', runtimeVersion: '0.1.0', runtimeApiVersion: 'v1' };
  }

  async status() {
    this.count('status');
    return {
      status: {
        conditions: [
          { type: 'RuntimeReady', status: true, reason: '', message: '' },
          { type: 'NetworkReady', status: true, reason: '', message: '' },
        ],
      },
      info: {},
    };
  }

  async updateRuntimeConfig(req: Input<{ runtimeConfig: { networkConfig: { podCidr: string } } }>) {
    this.count('updateRuntimeConfig');
    this.podCidr = req.runtimeConfig?.networkConfig?.podCidr ?? '';
    return {};
  }

  async runPodSandbox(req: Input<{ config: PodSandboxConfig }>) {
    this.count('runPodSandbox');
    const id = this.newId();
    this.sandboxes.set(id, { id, config: req.config ?? {}, state: 'SANDBOX_READY', createdAt: nowNs(), ip: this.allocateIp() });
    return { podSandboxId: id };
  }

  async stopPodSandbox(req: { podSandboxId?: string | null }) {
    this.count('stopPodSandbox');
    const s = this.sandboxes.get(req.podSandboxId ?? '');
    if (!s) return {};
    for (const c of this.containers.values()) if (c.sandboxId === s.id) this.exit(c.id, 137, 'Error');
    s.state = 'SANDBOX_NOTREADY';
    return {};
  }

  async removePodSandbox(req: { podSandboxId?: string | null }) {
    this.count('removePodSandbox');
    const id = req.podSandboxId ?? '';
    for (const c of [...this.containers.values()]) if (c.sandboxId === id) this.containers.delete(c.id);
    this.sandboxes.delete(id);
    return {};
  }

  private sandboxMeta(s: FakeSandbox) {
    const m = s.config.metadata;
    return { name: m?.name ?? '', uid: m?.uid ?? '', namespace: m?.namespace ?? '', attempt: m?.attempt ?? 0 };
  }

  async podSandboxStatus(req: { podSandboxId?: string | null }) {
    this.count('podSandboxStatus');
    const s = this.sandbox(req.podSandboxId ?? '');
    return {
      status: {
        id: s.id, metadata: this.sandboxMeta(s), state: s.state, createdAt: s.createdAt,
        network: { ip: s.ip, additionalIps: [] }, linux: null,
        labels: { ...(s.config.labels ?? {}) } as Record<string, string>,
        annotations: { ...(s.config.annotations ?? {}) } as Record<string, string>, runtimeHandler: '',
      },
      info: {}, containersStatuses: [], timestamp: nowNs(),
    };
  }

  async listPodSandbox(req: Input<{ filter: { id: string; labelSelector: Record<string, string> } }> = {}) {
    this.count('listPodSandbox');
    const f = req.filter;
    const items = [...this.sandboxes.values()]
      .filter((s) => (!f?.id || s.id === f.id) && matches(s.config.labels, f?.labelSelector))
      .map((s) => ({
        id: s.id, metadata: this.sandboxMeta(s), state: s.state, createdAt: s.createdAt,
        labels: { ...(s.config.labels ?? {}) } as Record<string, string>,
        annotations: { ...(s.config.annotations ?? {}) } as Record<string, string>, runtimeHandler: '',
      }));
    return { items };
  }

  async createContainer(req: Input<{ podSandboxId: string; config: ContainerConfig; sandboxConfig: PodSandboxConfig }>) {
    this.count('createContainer');
    const s = this.sandbox(req.podSandboxId ?? '');
    const config = req.config ?? {};
    const id = this.newId();
    const logPath = s.config.logDirectory && config.logPath ? join(s.config.logDirectory, config.logPath) : '';
    this.containers.set(id, {
      id, sandboxId: s.id, config, logPath, state: 'CONTAINER_CREATED', createdAt: nowNs(), startedAt: 0, finishedAt: 0, exitCode: 0, reason: '',
    });
    return { containerId: id };
  }

  async startContainer(req: { containerId?: string | null }) {
    this.count('startContainer');
    const c = this.container(req.containerId ?? '');
    if (c.state !== 'CONTAINER_CREATED') throw new RpcError(rpcStatus.FAILED_PRECONDITION, `container ${c.id} is not in created state`);
    c.state = 'CONTAINER_RUNNING';
    c.startedAt = nowNs();
    if (c.logPath) {
      // One CRI log line, so log reading can be tested against hollow nodes too.
      mkdirSync(dirname(c.logPath), { recursive: true });
      appendFileSync(c.logPath, `${new Date().toISOString()} stdout F started ${c.config.metadata?.name ?? ''}\n`);
    }
    const b = this.onStart(c.config);
    if (b) c.timer = setTimeout(() => this.exit(c.id, b.code, b.reason), b.exitAfterMs);
    return {};
  }

  async stopContainer(req: { containerId?: string | null; timeout?: number | null }) {
    this.count('stopContainer');
    const c = this.container(req.containerId ?? '');
    if (c.state === 'CONTAINER_CREATED') {
      c.state = 'CONTAINER_EXITED';
      c.finishedAt = nowNs();
    }
    this.exit(c.id, 137, 'Error');
    return {};
  }

  async removeContainer(req: { containerId?: string | null }) {
    this.count('removeContainer');
    const c = this.containers.get(req.containerId ?? '');
    if (c) clearTimeout(c.timer);
    this.containers.delete(req.containerId ?? '');
    return {};
  }

  async listContainers(req: Input<{ filter: { id: string; podSandboxId: string; labelSelector: Record<string, string> } }> = {}) {
    this.count('listContainers');
    const f = req.filter;
    const containers = [...this.containers.values()]
      .filter((c) => (!f?.id || c.id === f.id) && (!f?.podSandboxId || c.sandboxId === f.podSandboxId) && matches(c.config.labels, f?.labelSelector))
      .map((c) => this.listed(c));
    return { containers };
  }

  async containerStatus(req: { containerId?: string | null }) {
    this.count('containerStatus');
    return { status: this.statusOf(this.container(req.containerId ?? '')), info: {} };
  }

  async reopenContainerLog() {
    return {};
  }

  async execSync(req: { containerId?: string | null; cmd?: string[] | null }) {
    this.count('execSync');
    const c = this.container(req.containerId ?? '');
    if (c.state !== 'CONTAINER_RUNNING') throw new RpcError(rpcStatus.FAILED_PRECONDITION, `container ${c.id} is not running`);
    const r = this.execHandler(c.id, req.cmd ?? []);
    return { stdout: Buffer.from(r.stdout ?? ''), stderr: Buffer.from(r.stderr ?? ''), exitCode: r.exitCode };
  }

  async exec(): Promise<{ url: string }> {
    throw new RpcError(rpcStatus.UNIMPLEMENTED, 'the fake runtime has no streaming server');
  }

  async containerStats(): Promise<never> {
    throw new RpcError(rpcStatus.UNIMPLEMENTED, 'the fake runtime keeps no stats');
  }
}

function matches(have: Input<Record<string, string>> | null | undefined, want: Input<Record<string, string>> | null | undefined): boolean {
  for (const [k, v] of Object.entries(want ?? {})) if ((have as Record<string, string> | undefined)?.[k] !== v) return false;
  return true;
}

/** Type check: the fake is a Runtime. */
export const asRuntime = (fake: FakeRuntime): Runtime => fake;
