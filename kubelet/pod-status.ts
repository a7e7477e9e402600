// The pod's status as Kubernetes shapes it, computed from the runtime's containers, the probe
// results and what the worker is waiting on; plus the comparison that decides whether to write.
import type { Container, ContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from '../api/index.js';
import type { ContainerStatus as CriStatus } from '../proto/index.js';

export const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const nsToMs = (ns: number): number => Math.floor(ns / 1e6);

/** The runtime's instances of one container name, newest attempt first. */
export type Instances = CriStatus[];

export interface Waiting {
  reason: string;
  message?: string;
}

export interface StatusInputs {
  pod: Pod;
  /** container name → instances (init and regular share the map: names are unique in a pod). */
  instances: Map<string, Instances>;
  /** container name → why it is not running, set by the worker. */
  waiting: Map<string, Waiting>;
  ready(containerId: string): boolean;
  started(containerId: string): boolean;
  sandboxReady: boolean;
  podIP: string;
  hostIP: string;
  now: number;
}

function terminated(s: CriStatus): NonNullable<ContainerState['terminated']> {
  const reason = s.reason && s.reason !== 'Completed' && s.reason !== 'Error' ? s.reason : s.exitCode === 0 ? 'Completed' : 'Error';
  return {
    exitCode: s.exitCode,
    reason,
    ...(s.message ? { message: s.message } : {}),
    ...(s.startedAt ? { startedAt: rfc3339(nsToMs(s.startedAt)) } : {}),
    ...(s.finishedAt ? { finishedAt: rfc3339(nsToMs(s.finishedAt)) } : {}),
    containerID: `skiff://${s.id}`,
  };
}

function containerStatus(c: Container, inputs: StatusInputs, defaultWaiting: string): ContainerStatus {
  const list = inputs.instances.get(c.name) ?? [];
  const latest = list[0];
  const previous = list[1];
  const waiting = inputs.waiting.get(c.name);
  const base = { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false, state: {}, lastState: {} } as ContainerStatus;
  if (!latest) {
    base.state = { waiting: { reason: waiting?.reason ?? defaultWaiting, ...(waiting?.message ? { message: waiting.message } : {}) } };
    return base;
  }
  base.restartCount = latest.metadata?.attempt ?? 0;
  base.imageID = latest.imageRef || latest.imageId || '';
  base.containerID = `skiff://${latest.id}`;
  if (latest.state === 'CONTAINER_RUNNING') {
    base.state = { running: { startedAt: rfc3339(nsToMs(latest.startedAt)) } };
    base.ready = inputs.ready(latest.id);
    base.started = inputs.started(latest.id);
    if (previous && previous.state === 'CONTAINER_EXITED') base.lastState = { terminated: terminated(previous) };
  } else if (latest.state === 'CONTAINER_EXITED') {
    if (waiting) {
      // Waiting to restart (CrashLoopBackOff): the exited instance is the last state.
      base.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
      base.lastState = { terminated: terminated(latest) };
    } else {
      base.state = { terminated: terminated(latest) };
      if (previous && previous.state === 'CONTAINER_EXITED') base.lastState = { terminated: terminated(previous) };
    }
  } else {
    base.state = { waiting: { reason: waiting?.reason ?? 'ContainerCreating' } };
  }
  return base;
}

/** Kubernetes' getPhase for the regular containers, plus init container failure. */
function phaseOf(pod: Pod, init: ContainerStatus[], regular: ContainerStatus[]): NonNullable<PodStatus['phase']> {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const initFailed = init.some((s) => s.state?.terminated && s.state.terminated.exitCode !== 0) && policy === 'Never';
  if (initFailed) return 'Failed';
  const initDone = init.every((s) => s.state?.terminated?.exitCode === 0);
  if (!initDone) return 'Pending';
  let running = 0, waiting = 0, stopped = 0, succeeded = 0;
  for (const s of regular) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting) {
      if (s.lastState?.terminated) stopped++;
      else waiting++;
    }
  }
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

const ownedConditions = new Set(['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']);

export function computeStatus(inputs: StatusInputs): PodStatus {
  const { pod } = inputs;
  const initSpecs = pod.spec?.initContainers ?? [];
  const init = initSpecs.map((c) => containerStatus(c, inputs, 'PodInitializing'));
  const initDone = init.every((s) => s.state?.terminated?.exitCode === 0);
  const regular = (pod.spec?.containers ?? []).map((c) => containerStatus(c, inputs, initDone ? 'ContainerCreating' : 'PodInitializing'));
  const phase = phaseOf(pod, init, regular);
  const containersReady = regular.every((s) => s.ready);
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const prev = pod.status ?? {};
  const now = rfc3339(inputs.now);
  const cond = (type: string, ok: boolean, reason?: string): PodCondition => {
    const old = prev.conditions?.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    return {
      type, status,
      lastTransitionTime: old && old.status === status && old.lastTransitionTime ? old.lastTransitionTime : now,
      ...(reason && !ok ? { reason } : {}),
    } as PodCondition;
  };
  const conditions: PodCondition[] = [
    cond('PodReadyToStartContainers', inputs.sandboxReady),
    cond('Initialized', initDone, 'ContainersNotInitialized'),
    cond('Ready', containersReady && !terminal, terminal ? 'PodCompleted' : 'ContainersNotReady'),
    cond('ContainersReady', containersReady && !terminal, terminal ? 'PodCompleted' : 'ContainersNotReady'),
  ];
  const foreign = (prev.conditions ?? []).filter((c) => !ownedConditions.has(c.type));
  if (!foreign.some((c) => c.type === 'PodScheduled')) foreign.unshift(cond('PodScheduled', true));
  const podIP = inputs.podIP || prev.podIP || '';
  const status: PodStatus = {
    ...prev,
    phase,
    conditions: [...foreign, ...conditions],
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    startTime: prev.startTime ?? now,
    containerStatuses: regular,
  };
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (initSpecs.length > 0) status.initContainerStatuses = init;
  return status;
}

/** JSON with sorted keys: two statuses that differ only in key order compare equal. */
export function stableJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.entries(val as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : val,
  );
}
