// One pod's reconcile: make the runtime match the spec (sandbox, volumes, init containers in
// order, then containers, restarts with CrashLoopBackOff), or tear everything down when the pod
// is being deleted or is gone, then write the status if it changed. Keyed by namespace/name; the
// runtime's labels say which pod (uid) each sandbox and container belongs to.
import { rmSync } from 'node:fs';
import type { Container, LifecycleHandler, Pod } from '../api/index.js';
import { done, isNotFound, requeueAfter, splitKey, type Clientset, type EventRecorder, type Logger, type Outcome } from '../client/index.js';
import type { ContainerStatus as CriStatus, PodSandbox } from '../proto/index.js';
import { CrashBackoff, type BackoffLimits } from './backoff.js';
import { ImageManager } from './image-pull.js';
import { containerConfig, logDirectory, sandboxConfig, type DnsSettings } from './container-spec.js';
import { buildEnv, ConfigError, expand, type EnvContext, type NodeAllocatable, type SourceLookup } from './env.js';
import { computeStatus, stableJson, type Waiting } from './pod-status.js';
import { ProbeManager, type NetProber } from './probes.js';
import { labels, type Runtime } from './runtime.js';
import { containerMounts, setUpVolumes, tearDownVolumes } from './volumes.js';

export interface PodSyncOptions {
  clientset: Clientset;
  runtime: Runtime;
  nodeName: string;
  rootDir: string;
  dns: DnsSettings;
  hostIP: string;
  /** Root on a real node: tmpfs emptyDirs are mounted. */
  canMount: boolean;
  backoff: BackoffLimits;
  net: NetProber;
  node: NodeAllocatable;
  recorder: EventRecorder;
  log: Logger;
  /** The cached pod for a key. */
  getPod(key: string): Pod | undefined;
  /** Wakes a pod's worker. */
  enqueue(key: string, afterMs?: number): void;
  /** Re-sync period of a healthy pod (volumes refreshed, status checked). */
  resyncMs: number;
}

interface RuntimePod {
  sandboxes: PodSandbox[];
  containers: CriStatus[];
}

const nsToMs = (ns: number): number => Math.floor(ns / 1e6);
const podRef = (pod: Pod) => ({ apiVersion: 'v1', kind: 'Pod', metadata: pod.metadata });

export class PodSyncer {
  readonly probes: ProbeManager;
  readonly backoff: CrashBackoff;
  private readonly images: ImageManager;
  readonly stats = { syncs: 0, statusWrites: 0, containersStarted: 0 };
  private readonly lastWritten = new Map<string, string>();
  private readonly statusCache = new Map<string, CriStatus>();
  /** Per pod uid: why each container is not running right now (recomputed every sync). */
  private readonly waiting = new Map<string, Map<string, Waiting>>();
  /** Why a container last failed to be created or started, by `uid/name`: retried with back-off. */
  private readonly startFailures = new Map<string, Waiting & { at: number }>();

  constructor(private readonly o: PodSyncOptions) {
    this.backoff = new CrashBackoff(o.backoff);
    this.images = new ImageManager(o.runtime, (ns, name) => this.lookup().secret(ns, name), o.backoff);
    this.probes = new ProbeManager(o.runtime, o.net, {
      changed: (key) => o.enqueue(key),
      unhealthy: (key, container, kind, message) => {
        const pod = o.getPod(key);
        if (pod) o.recorder.event(podRef(pod), 'Warning', 'Unhealthy', `${kind[0]!.toUpperCase()}${kind.slice(1)} probe failed: ${message}`);
      },
      failed: (key, container, containerId, kind) => void this.restartUnhealthy(key, container, containerId, kind),
    });
  }

  private async restartUnhealthy(key: string, container: string, containerId: string, kind: string): Promise<void> {
    const pod = this.o.getPod(key);
    this.probes.stop(containerId);
    if (pod) this.o.recorder.event(podRef(pod), 'Normal', 'Killing', `Container ${container} failed ${kind} probe, will be restarted`);
    try {
      await this.o.runtime.stopContainer({ containerId, timeout: pod?.spec?.terminationGracePeriodSeconds ?? 30 });
    } catch (err) {
      this.o.log.warn({ pod: key, container, err: (err as Error).message }, 'could not stop an unhealthy container');
    }
    this.o.enqueue(key);
  }

  private async snapshot(selector: Record<string, string>, withSandboxes = true): Promise<RuntimePod> {
    const [sb, cs] = await Promise.all([
      withSandboxes ? this.o.runtime.listPodSandbox({ filter: { labelSelector: selector } }) : { items: [] },
      this.o.runtime.listContainers({ filter: { labelSelector: selector } }),
    ]);
    // A container's status only changes with its state: ask the runtime again only then.
    const statuses = await Promise.all(
      cs.containers.map((c) => {
        const known = this.statusCache.get(c.id);
        if (known && known.state === c.state) return known;
        return this.o.runtime.containerStatus({ containerId: c.id }).then((r) => {
          if (r.status) this.statusCache.set(c.id, r.status);
          return r.status;
        }, () => null);
      }),
    );
    if (this.statusCache.size > 4 * (cs.containers.length + 256)) this.statusCache.clear();
    return {
      sandboxes: [...sb.items].sort((a, b) => b.createdAt - a.createdAt),
      containers: statuses.filter((s): s is CriStatus => s !== null),
    };
  }

  private lookup(): SourceLookup {
    const cache = new Map<string, Promise<unknown>>();
    const once = <T>(k: string, f: () => Promise<T>): Promise<T> => {
      let p = cache.get(k) as Promise<T> | undefined;
      if (!p) {
        p = f();
        cache.set(k, p);
      }
      return p;
    };
    const orUndefined = <T>(p: Promise<T>): Promise<T | undefined> => p.catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
    const c = this.o.clientset;
    return {
      configMap: (ns, name) => once(`cm/${ns}/${name}`, () => orUndefined(c.configMaps.get(ns, name))),
      secret: (ns, name) => once(`s/${ns}/${name}`, () => orUndefined(c.secrets.get(ns, name))),
      services: (ns) => once(`svc/${ns}`, () => c.services.list(ns).then((l) => l.items)),
    };
  }

  async reconcile(key: string): Promise<Outcome> {
    this.stats.syncs++;
    const { namespace, name } = splitKey(key);
    const pod = this.o.getPod(key);
    const all = await this.snapshot({ [labels.podNamespace]: namespace ?? '', [labels.podName]: name });
    const uid = pod?.metadata?.uid;
    // Sandboxes of another incarnation of this name, or of a pod removed from the API: kill them.
    const stale = new Set(all.sandboxes.map((s) => s.labels[labels.podUid] ?? '').filter((u) => u !== uid));
    for (const u of stale) await this.killPod(key, u, all, undefined, 2);
    if (!pod || !uid) return done;
    const mine: RuntimePod = {
      sandboxes: all.sandboxes.filter((s) => s.labels[labels.podUid] === uid),
      containers: all.containers.filter((c) => c.labels[labels.podUid] === uid),
    };
    if (pod.metadata?.deletionTimestamp) return this.terminate(key, pod, mine);
    return this.syncPod(key, pod, mine);
  }

  /** Stops containers (preStop hooks first, with the grace period), removes sandboxes, volumes and logs. */
  private async killPod(key: string, uid: string, rt: RuntimePod, pod: Pod | undefined, graceSeconds: number): Promise<void> {
    const running = rt.containers.filter((c) => c.labels[labels.podUid] === uid && c.state === 'CONTAINER_RUNNING');
    const specs = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])];
    await Promise.all(
      running.map(async (c) => {
        const name = c.metadata?.name ?? '';
        const spec = specs.find((s) => s.name === name);
        this.probes.stop(c.id);
        if (spec?.lifecycle?.preStop) await this.runHook(c.id, spec, spec.lifecycle.preStop, pod?.status?.podIP ?? '', graceSeconds);
        if (pod) this.o.recorder.event(podRef(pod), 'Normal', 'Killing', `Stopping container ${name}`);
        await this.o.runtime.stopContainer({ containerId: c.id, timeout: graceSeconds }).catch((err: unknown) => {
          this.o.log.warn({ pod: key, container: name, err: (err as Error).message }, 'stop container failed');
        });
      }),
    );
    for (const s of rt.sandboxes.filter((s) => s.labels[labels.podUid] === uid)) {
      await this.o.runtime.stopPodSandbox({ podSandboxId: s.id });
      await this.o.runtime.removePodSandbox({ podSandboxId: s.id });
    }
    // Only this uid's probes: a stale incarnation's cleanup must not touch the live pod's.
    for (const c of rt.containers) if (c.labels[labels.podUid] === uid) this.probes.stop(c.id);
    this.backoff.forgetPrefix(`${uid}/`);
    this.images.forget(uid);
    for (const k of this.startFailures.keys()) if (k.startsWith(`${uid}/`)) this.startFailures.delete(k);
    this.waiting.delete(uid);
    this.lastWritten.delete(uid);
    await tearDownVolumes(this.o.rootDir, uid, this.o.canMount);
    const { namespace, name } = splitKey(key);
    rmSync(logDirectory(this.o.rootDir, { metadata: { namespace, name, uid } } as Pod), { recursive: true, force: true });
  }

  private async runHook(containerId: string, c: Container, hook: LifecycleHandler, podIP: string, graceSeconds: number): Promise<void> {
    try {
      if (hook.exec) await this.o.runtime.execSync({ containerId, cmd: hook.exec.command ?? [], timeout: graceSeconds }, { timeoutMs: graceSeconds * 1000 + 1000 });
      else if (hook.httpGet) {
        const port = typeof hook.httpGet.port === 'number' ? hook.httpGet.port : (c.ports ?? []).find((p) => p.name === hook.httpGet?.port)?.containerPort ?? 0;
        await this.o.net({ host: hook.httpGet.host || podIP, port, path: hook.httpGet.path ?? '/', scheme: hook.httpGet.scheme ?? 'HTTP' }, graceSeconds * 1000);
      } else if (hook.sleep) await new Promise((r) => setTimeout(r, Math.min(hook.sleep!.seconds, graceSeconds) * 1000));
    } catch (err) {
      this.o.log.warn({ container: c.name, err: (err as Error).message }, 'preStop hook failed');
    }
  }

  private async terminate(key: string, pod: Pod, rt: RuntimePod): Promise<Outcome> {
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
    await this.killPod(key, pod.metadata?.uid ?? '', rt, pod, grace);
    const { namespace, name } = splitKey(key);
    try {
      await this.o.clientset.pods.delete(namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid ?? '' } });
    } catch (err) {
      if (!isNotFound(err) && (err as { code?: number }).code !== 409) throw err;
    }
    return done;
  }

  private group(containers: CriStatus[]): Map<string, CriStatus[]> {
    const m = new Map<string, CriStatus[]>();
    for (const c of containers) {
      const n = c.metadata?.name ?? '';
      m.set(n, [...(m.get(n) ?? []), c]);
    }
    for (const list of m.values()) list.sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0) || b.createdAt - a.createdAt);
    return m;
  }

  private ctx(podIP: string): EnvContext {
    return { lookup: this.lookup(), addr: { podIP, hostIP: this.o.hostIP }, node: this.o.node };
  }

  private async syncPod(key: string, pod: Pod, rt: RuntimePod): Promise<Outcome> {
    const uid = pod.metadata?.uid ?? '';
    const waiting = new Map<string, Waiting>();
    this.waiting.set(uid, waiting);
    const phase = pod.status?.phase;
    let instances = this.group(rt.containers);
    let sandbox = rt.sandboxes.find((s) => s.state === 'SANDBOX_READY');
    if (phase === 'Succeeded' || phase === 'Failed') {
      // Finished pods never run again; make sure nothing of them is left running.
      if (sandbox) await this.o.runtime.stopPodSandbox({ podSandboxId: sandbox.id });
      this.probes.prune(key, new Set());
      return done;
    }
    let requeue = this.o.resyncMs;
    let changed = false;
    const settle = async (podIP: string, sandboxReady: boolean): Promise<Outcome> => {
      // Re-read the runtime only when this sync started or restarted something.
      const now = changed ? this.group((await this.snapshot({ [labels.podUid]: uid }, false)).containers) : instances;
      await this.writeStatus(pod, now, waiting, sandboxReady, podIP);
      return requeueAfter(requeue);
    };
    if (!sandbox) {
      if (rt.containers.length > 0) {
        // The sandbox died under containers that ran: if the pod is finished, only report it.
        const status = computeStatus(this.statusInputs(pod, instances, waiting, false, ''));
        if (status.phase === 'Succeeded' || status.phase === 'Failed') return settle('', false);
      }
      for (const old of rt.sandboxes) {
        await this.o.runtime.stopPodSandbox({ podSandboxId: old.id });
        await this.o.runtime.removePodSandbox({ podSandboxId: old.id });
      }
      instances = new Map();
      changed = true;
      const attempt = rt.sandboxes.length;
      try {
        await setUpVolumes(pod, this.ctx(''), { root: this.o.rootDir, canMount: this.o.canMount });
        const { podSandboxId } = await this.o.runtime.runPodSandbox({ config: sandboxConfig(pod, this.o.rootDir, this.o.dns, attempt), runtimeHandler: pod.spec?.runtimeClassName ?? '' });
        sandbox = { id: podSandboxId } as PodSandbox;
      } catch (err) {
        const reason = err instanceof ConfigError ? 'CreateContainerConfigError' : 'CreatePodSandboxError';
        this.o.log.warn({ pod: key, reason, err: (err as Error).message }, 'pod sandbox not created');
        for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) waiting.set(c.name, { reason, message: (err as Error).message });
        this.o.recorder.event(podRef(pod), 'Warning', err instanceof ConfigError ? 'FailedMount' : 'FailedCreatePodSandBox', (err as Error).message);
        requeue = 5000;
        return settle('', false);
      }
    }
    const sbStatus = await this.o.runtime.podSandboxStatus({ podSandboxId: sandbox.id });
    const podIP = pod.spec?.hostNetwork ? this.o.hostIP : sbStatus.status?.network?.ip || this.o.hostIP;
    const ctx = this.ctx(podIP);
    let volumes: Map<string, string>;
    try {
      volumes = await setUpVolumes(pod, ctx, { root: this.o.rootDir, canMount: this.o.canMount });
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
        if (!instances.get(c.name)?.length) waiting.set(c.name, { reason: 'CreateContainerConfigError', message: err.message });
      }
      requeue = 5000;
      return settle(podIP, true);
    }
    const policy = pod.spec?.restartPolicy ?? 'Always';
    const sandboxId = sandbox.id;
    const start = async (c: Container, type: 'init' | 'regular', attempt: number): Promise<void> => {
      // A container that failed to be created or started is retried with the crash back-off,
      // not on every sync (each failure changes the status, which would trigger the next sync).
      const fkey = `${uid}/${c.name}/start`;
      const failed = this.startFailures.get(fkey);
      const left = failed ? this.backoff.remaining(fkey, failed.at) : 0;
      if (failed && left > 0) {
        waiting.set(c.name, { reason: failed.reason, ...(failed.message ? { message: failed.message } : {}) });
        requeue = Math.min(requeue, left + 20);
        return;
      }
      changed = true;
      const ok = await this.startContainer(pod, sandboxId, c, type, attempt, ctx, volumes, waiting);
      if (typeof ok === 'object') {
        // The image is not there yet: the image manager keeps its own back-off.
        requeue = Math.min(requeue, ok.retryMs + 20);
        return;
      }
      if (!ok) {
        const at = Date.now();
        this.startFailures.set(fkey, { ...(waiting.get(c.name) ?? { reason: 'CreateContainerError' }), at });
        requeue = Math.min(requeue, this.backoff.next(fkey, at) + 20);
      } else this.startFailures.delete(fkey);
      // Keep the latest exited instance (lastState, logs --previous); older ones go.
      for (const old of (instances.get(c.name) ?? []).slice(1)) await this.o.runtime.removeContainer({ containerId: old.id }).catch(() => undefined);
    };
    /** Restart after back-off, or say how long is left. */
    const restart = async (c: Container, type: 'init' | 'regular', latest: CriStatus): Promise<void> => {
      const bkey = `${uid}/${c.name}`;
      const finished = nsToMs(latest.finishedAt) || Date.now();
      const left = this.backoff.remaining(bkey, finished);
      if (left > 0) {
        const secs = Math.round(this.backoff.delay(bkey) / 1000);
        const message = `back-off ${secs < 60 ? `${secs}s` : `${Math.round(secs / 60)}m0s`} restarting failed container=${c.name} pod=${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`;
        waiting.set(c.name, { reason: 'CrashLoopBackOff', message });
        this.o.recorder.event(podRef(pod), 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata?.name}_${pod.metadata?.namespace}(${uid})`);
        requeue = Math.min(requeue, left + 20);
        return;
      }
      this.backoff.next(bkey, finished);
      await start(c, type, (latest.metadata?.attempt ?? 0) + 1);
    };

    let initDone = true;
    for (const c of pod.spec?.initContainers ?? []) {
      const latest = instances.get(c.name)?.[0];
      if (latest?.state === 'CONTAINER_EXITED' && latest.exitCode === 0) continue;
      initDone = false;
      if (!latest) await start(c, 'init', 0);
      else if (latest.state === 'CONTAINER_CREATED') {
        changed = true;
        await this.o.runtime.startContainer({ containerId: latest.id }).catch(() => undefined);
      } else if (latest.state === 'CONTAINER_EXITED' && policy !== 'Never') await restart(c, 'init', latest);
      break;
    }
    const keep = new Set<string>();
    if (initDone) {
      for (const c of pod.spec?.containers ?? []) {
        const latest = instances.get(c.name)?.[0];
        if (!latest) await start(c, 'regular', 0);
        else if (latest.state === 'CONTAINER_RUNNING') {
          keep.add(latest.id);
          const reported = pod.status?.containerStatuses?.find((x) => x.containerID === `skiff://${latest.id}`);
          this.probes.ensure(key, c, latest.id, podIP, nsToMs(latest.startedAt), reported ? { ready: reported.ready ?? false, started: reported.started ?? false } : undefined);
        } else if (latest.state === 'CONTAINER_CREATED') await this.o.runtime.startContainer({ containerId: latest.id }).catch(() => undefined);
        else if (latest.state === 'CONTAINER_EXITED' && (policy === 'Always' || (policy === 'OnFailure' && latest.exitCode !== 0))) {
          await restart(c, 'regular', latest);
        }
      }
    }
    this.probes.prune(key, keep);
    return settle(podIP, true);
  }

  private async startContainer(
    pod: Pod, sandboxId: string, c: Container, type: 'init' | 'regular', attempt: number, ctx: EnvContext, volumes: Map<string, string>, waiting: Map<string, Waiting>,
  ): Promise<boolean | { retryMs: number }> {
    const ref = podRef(pod);
    // RuntimeClass "host" runs on the host's filesystem: the image is only a name there.
    if (pod.spec?.runtimeClassName !== 'host') {
      const pulled = await this.images.ensure(pod, c, (type, reason, message) => this.o.recorder.event(ref, type, reason, message));
      if (!pulled.ok) {
        waiting.set(c.name, pulled.waiting);
        return { retryMs: pulled.retryMs };
      }
    } else if (attempt === 0) this.o.recorder.event(ref, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    let step = 'CreateContainerConfigError';
    try {
      const env = await buildEnv(pod, c, ctx);
      const vars = new Map(env.map((e) => [e.key, e.value] as [string, string]));
      const config = containerConfig(pod, c, type, attempt, env, containerMounts(c, volumes), (s) => expand(s, vars));
      step = 'CreateContainerError';
      const sandboxConfigForCreate = sandboxConfig(pod, this.o.rootDir, this.o.dns, 0);
      const { containerId } = await this.o.runtime.createContainer({ podSandboxId: sandboxId, config, sandboxConfig: sandboxConfigForCreate });
      this.o.recorder.event(ref, 'Normal', 'Created', `Created container ${c.name}`);
      step = 'RunContainerError';
      await this.o.runtime.startContainer({ containerId });
      this.o.recorder.event(ref, 'Normal', 'Started', `Started container ${c.name}`);
      this.stats.containersStarted++;
      return true;
    } catch (err) {
      const message = (err as Error).message;
      waiting.set(c.name, { reason: step, message });
      this.o.recorder.event(ref, 'Warning', 'Failed', `Error: ${message}`);
      this.o.log.warn({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, container: c.name, reason: step, err: message }, 'container did not start');
      return false;
    }
  }

  private statusInputs(pod: Pod, instances: Map<string, CriStatus[]>, waiting: Map<string, Waiting>, sandboxReady: boolean, podIP: string) {
    return {
      pod, instances, waiting, sandboxReady, podIP, hostIP: this.o.hostIP, now: Date.now(),
      ready: (id: string) => this.probes.ready(id),
      started: (id: string) => this.probes.started(id),
    };
  }

  private async writeStatus(pod: Pod, instances: Map<string, CriStatus[]>, waiting: Map<string, Waiting>, sandboxReady: boolean, podIP: string): Promise<void> {
    const status = computeStatus(this.statusInputs(pod, instances, waiting, sandboxReady, podIP));
    const uid = pod.metadata?.uid ?? '';
    const json = stableJson(status);
    if (json === stableJson(pod.status ?? {}) || json === this.lastWritten.get(uid)) return;
    await this.o.clientset.pods.patchStatus(pod.metadata?.namespace, pod.metadata?.name ?? '', [{ op: 'add', path: '/status', value: status }], 'json');
    this.lastWritten.set(uid, json);
    this.stats.statusWrites++;
  }

  stop(): void {
    this.probes.stopAll();
  }
}
