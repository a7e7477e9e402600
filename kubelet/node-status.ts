// The node's presence in the API: registration, the Lease heartbeat in kube-node-lease, and the
// node status (conditions, capacity, addresses, versions), computed every period but posted only
// when it changed or the report period passed (Kubernetes' nodeStatusUpdateFrequency and
// nodeStatusReportFrequency: the Lease is the heartbeat). Also hands the node's spec.podCIDR to
// the runtime once a controller has assigned it.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import type { Lease, Node, NodeCondition } from '../api/index.js';
import { isAlreadyExists, isNotFound, type Clientset, type Logger } from '../client/index.js';
import type { Runtime } from './runtime.js';

export const kubeletVersion = 'v1.32.0-skiff';

export interface NodeAgentOptions {
  clientset: Clientset;
  nodeName: string;
  runtime: Runtime;
  address: string;
  port: number;
  rootDir: string;
  leaseIntervalMs: number;
  /** How often the status is computed and compared with the Node's. */
  statusIntervalMs: number;
  /** How often an unchanged status is posted anyway (Kubernetes: 5 minutes). */
  statusReportIntervalMs: number;
  /** The Node as last seen by a watch, if the caller keeps one (saves a GET per period). */
  currentNode?: () => Node | undefined;
  /** Hollow nodes advertise fixed, modest resources instead of the host's. */
  hollow: boolean;
  log: Logger;
  /** Called with spec.podCIDR whenever it changes. */
  onPodCidr(cidr: string): Promise<void>;
}

const rfc3339 = (d = new Date()): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function arch(): string {
  const a = os.arch();
  return a === 'x64' ? 'amd64' : a === 'arm64' ? 'arm64' : a;
}

function osImage(): string {
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(readFileSync('/etc/os-release', 'utf8'));
    return m?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

function readId(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The node's capacity: the host's for a real node, a modest fixed size for hollow ones. */
export function nodeCapacity(hollow: boolean, rootDir: string): { cpu: number; memory: number; ephemeralStorage: number; pods: number } {
  if (hollow) return { cpu: 4, memory: 16 * 2 ** 30, ephemeralStorage: 100 * 2 ** 30, pods: 110 };
  let storage = 0;
  try {
    const s = statfsSync(rootDir);
    storage = s.blocks * s.bsize;
  } catch {
    // Unknown: advertise none rather than guess.
  }
  return { cpu: os.cpus().length, memory: os.totalmem(), ephemeralStorage: storage, pods: 110 };
}

export class NodeAgent {
  private timers: NodeJS.Timeout[] = [];
  private podCidr = '';
  private lastConditions = '';
  private runtimeVersion = '';
  /** Heartbeats sent and late ones (more than one period after the previous), for /metrics and the bench. */
  readonly stats = { leaseRenewals: 0, leaseLate: 0, statusPosts: 0, lastLeaseAt: 0, lastStatusAt: 0 };
  private readonly bootId = randomUUID();
  private stopped = false;
  /** The kubelet port advertised in daemonEndpoints (known only once the server listens). */
  port: number;

  constructor(private readonly o: NodeAgentOptions) {
    this.port = o.port;
  }

  private get capacity(): Record<string, string> {
    const c = nodeCapacity(this.o.hollow, this.o.rootDir);
    return {
      cpu: String(c.cpu),
      memory: `${Math.floor(c.memory / 1024)}Ki`,
      pods: String(c.pods),
      'ephemeral-storage': `${Math.floor(c.ephemeralStorage / 1024)}Ki`,
    };
  }

  private async conditions(): Promise<NodeCondition[]> {
    const now = rfc3339();
    let ready = true;
    let message = 'kubelet is posting ready status';
    try {
      const st = await this.o.runtime.status({}, { timeoutMs: 5000 });
      const conds = st.status?.conditions ?? [];
      const runtimeReady = conds.find((c) => c.type === 'RuntimeReady');
      if (runtimeReady && !runtimeReady.status) {
        ready = false;
        message = `container runtime is not ready: ${runtimeReady.message || runtimeReady.reason}`;
      }
      const isolated = conds.find((c) => c.type === 'ContainersIsolated');
      if (ready && isolated && !isolated.status) message += `; WARNING: ${isolated.message || 'containers run without isolation'}`;
    } catch (err) {
      ready = false;
      message = `container runtime is down: ${(err as Error).message}`;
    }
    const cond = (type: string, status: string, reason: string, msg: string): NodeCondition => ({
      type, status, reason, message: msg, lastHeartbeatTime: now, lastTransitionTime: now,
    });
    return [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', ready ? 'True' : 'False', ready ? 'KubeletReady' : 'KubeletNotReady', message),
    ];
  }

  private async statusBody(existing: Node | undefined): Promise<NonNullable<Node['status']>> {
    const conditions = await this.conditions();
    // Keep lastTransitionTime while a condition's status stays the same.
    for (const c of conditions) {
      const prev = existing?.status?.conditions?.find((p) => p.type === c.type);
      if (prev && prev.status === c.status && prev.lastTransitionTime) c.lastTransitionTime = prev.lastTransitionTime;
    }
    const capacity = this.capacity;
    return {
      capacity,
      allocatable: capacity,
      conditions,
      addresses: [
        { type: 'InternalIP', address: this.o.address },
        { type: 'Hostname', address: this.o.nodeName },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: Math.max(0, this.port) } },
      images: await this.images(existing),
      nodeInfo: {
        machineID: readId('/etc/machine-id'),
        systemUUID: readId('/sys/class/dmi/id/product_uuid') || this.bootId,
        bootID: this.bootId,
        kernelVersion: os.release(),
        osImage: osImage(),
        containerRuntimeVersion: this.runtimeVersion,
        kubeletVersion,
        kubeProxyVersion: kubeletVersion,
        operatingSystem: 'linux',
        architecture: arch(),
      },
    };
  }

  /** node.status.images: the 50 largest images, digests and tags as names (as the kubelet reports them). */
  private async images(existing: Node | undefined): Promise<NonNullable<Node['status']>['images']> {
    try {
      const { images } = await this.o.runtime.listImages({}, { timeoutMs: 5000 });
      return [...images]
        .sort((a, b) => b.size - a.size)
        .slice(0, 50)
        .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.size }));
    } catch {
      return existing?.status?.images ?? [];
    }
  }

  /** Creates the Node (or takes over an existing one) and starts the heartbeats. */
  async start(): Promise<void> {
    const v = await this.o.runtime.version({ version: 'v1' }, { timeoutMs: 10_000 });
    this.runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
    const { clientset, nodeName } = this.o;
    const labels = {
      'kubernetes.io/hostname': nodeName,
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': arch(),
      'beta.kubernetes.io/os': 'linux',
      'beta.kubernetes.io/arch': arch(),
      ...(this.o.hollow ? { 'skiff.io/hollow': 'true' } : {}),
    };
    let node: Node;
    try {
      node = await clientset.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: nodeName, labels }, spec: {} });
      this.o.log.info({ node: nodeName }, 'registered node');
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      node = await clientset.nodes.patch(undefined, nodeName, { metadata: { labels } });
      this.o.log.info({ node: nodeName }, 'node already registered; taking it over');
    }
    await this.postStatus(node);
    await this.renewLease();
    const jitter = (ms: number) => ms * (0.9 + Math.random() * 0.2);
    this.every(jitter(this.o.leaseIntervalMs), () => this.renewLease());
    this.every(jitter(this.o.statusIntervalMs), () => this.syncStatus());
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const t = setInterval(() => {
      fn().catch((err: unknown) => {
        if (!this.stopped) this.o.log.warn({ err: (err as Error).message }, 'node heartbeat failed');
      });
    }, ms);
    this.timers.push(t);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  /** Posts the status if it differs from the Node's (heartbeat times aside) or the report period passed. */
  async syncStatus(): Promise<void> {
    if (this.stopped) return;
    const current = this.o.currentNode?.() ?? (await this.o.clientset.nodes.get(undefined, this.o.nodeName));
    const status = await this.statusBody(current);
    const due = Date.now() - this.stats.lastStatusAt >= this.o.statusReportIntervalMs;
    if (!due && current.status && isDeepStrictEqual(comparable(current.status, status), comparable(status, status))) return;
    await this.post(status);
  }

  /** Posts the node status now (also called when something changed). */
  async postStatus(existing?: Node): Promise<void> {
    if (this.stopped) return;
    const current = existing ?? (await this.o.clientset.nodes.get(undefined, this.o.nodeName));
    await this.post(await this.statusBody(current));
  }

  private async post(status: NonNullable<Node['status']>): Promise<void> {
    const node = await this.o.clientset.nodes.patchStatus(undefined, this.o.nodeName, { status });
    this.stats.statusPosts++;
    this.stats.lastStatusAt = Date.now();
    this.lastConditions = JSON.stringify(status.conditions?.map((c) => [c.type, c.status, c.message]));
    await this.setPodCidr(node.spec?.podCIDR ?? '');
  }

  /** Hands spec.podCIDR to the runtime when it is new. */
  async setPodCidr(cidr: string): Promise<void> {
    if (!cidr || cidr === this.podCidr) return;
    await this.o.onPodCidr(cidr);
    this.podCidr = cidr;
    this.o.log.info({ podCIDR: cidr }, 'pod CIDR handed to the runtime');
  }

  /** Whether the runtime's view changed since the last post (checked cheaply by the caller). */
  get conditionsFingerprint(): string {
    return this.lastConditions;
  }

  private async renewLease(): Promise<void> {
    if (this.stopped) return;
    const { clientset, nodeName } = this.o;
    const now = new Date().toISOString().replace('Z', '000Z');
    const ns = 'kube-node-lease';
    const period = this.o.leaseIntervalMs;
    if (this.stats.lastLeaseAt && Date.now() - this.stats.lastLeaseAt > period * 1.5) this.stats.leaseLate++;
    try {
      await clientset.leases.patch(ns, nodeName, { spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: now } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
      const lease: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: nodeName, namespace: ns, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: (await clientset.nodes.get(undefined, nodeName)).metadata?.uid ?? '' }] },
        spec: { holderIdentity: nodeName, leaseDurationSeconds: 40, renewTime: now },
      };
      await clientset.leases.create(ns, lease);
    }
    this.stats.leaseRenewals++;
    this.stats.lastLeaseAt = Date.now();
  }
}

/** The fields of `status` that `ours` sets, without heartbeat times: what "changed" compares. */
function comparable(status: NonNullable<Node['status']>, ours: NonNullable<Node['status']>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(ours) as Array<keyof typeof ours>) out[k] = status[k];
  out.conditions = status.conditions?.map(({ lastHeartbeatTime: _beat, ...rest }) => rest);
  return out;
}
