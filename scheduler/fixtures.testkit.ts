// Builders for nodes and pods in the scheduler's unit tests and benchmark.
import type { Affinity, Container, Node, Pod, Taint, Toleration, TopologySpreadConstraint } from '../api/index.js';
import { SchedulerCache } from './cache.js';
import { CycleState, isSuccess, SUCCESS, type FilterPlugin, type PreFilterPlugin, type PreScorePlugin, type ScorePlugin } from './framework.js';
import { newPodInfo } from './pod-info.js';

export interface NodeSpecLite {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  ready?: boolean;
  other?: Record<string, string>;
}

export function makeNode(n: NodeSpecLite): Node {
  const allocatable = { cpu: n.cpu ?? '4', memory: n.memory ?? '16Gi', pods: n.pods ?? '110', ...n.other };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, labels: { 'kubernetes.io/hostname': n.name, ...n.labels } },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: n.ready === false ? 'False' : 'True' }],
    },
  };
}

export interface PodSpecLite {
  name: string;
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  hostPorts?: number[];
  priority?: number;
  spread?: TopologySpreadConstraint[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  other?: Record<string, string>;
  uid?: string;
  createdMs?: number;
}

export function makePod(p: PodSpecLite): Pod {
  const requests: Record<string, string> = { ...(p.cpu ? { cpu: p.cpu } : {}), ...(p.memory ? { memory: p.memory } : {}), ...p.other };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace ?? 'default',
      uid: p.uid ?? `uid-${p.name}`,
      creationTimestamp: new Date(p.createdMs ?? 0).toISOString(),
      ...(p.labels ? { labels: p.labels } : {}),
    },
    spec: {
      containers: [
        {
          name: 'c',
          image: 'busybox',
          resources: Object.keys(requests).length > 0 ? { requests } : {},
          ...(p.hostPorts ? { ports: p.hostPorts.map((hostPort) => ({ containerPort: hostPort, hostPort, protocol: 'TCP' })) } : {}),
        },
      ],
      ...(p.initContainers ? { initContainers: p.initContainers } : {}),
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.affinity ? { affinity: p.affinity } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.priority !== undefined ? { priority: p.priority } : {}),
      ...(p.spread ? { topologySpreadConstraints: p.spread } : {}),
      ...(p.overhead ? { overhead: p.overhead } : {}),
      schedulerName: 'default-scheduler',
    },
  };
}

/** A cache holding `nodes` and the already-bound `pods` (each pod's nodeName set). */
export function makeCache(nodes: Node[], pods: Pod[] = []): SchedulerCache {
  const c = new SchedulerCache();
  for (const n of nodes) c.setNode(n);
  for (const p of pods) c.setPod(p);
  return c;
}

/** Runs one filter plugin (with its preFilter, if any) for `pod` on every node: node name → reasons, or 'ok'. */
export function filterResults(plugin: FilterPlugin & Partial<PreFilterPlugin>, pod: Pod, nodes: Node[], pods: Pod[] = []): Record<string, string> {
  const cache = makeCache(nodes, pods);
  const state = new CycleState();
  const info = newPodInfo(pod);
  const pre = plugin.preFilter?.(state, info, cache);
  const out: Record<string, string> = {};
  for (const n of cache.nodes) {
    const s = pre?.code === 'Skip' ? SUCCESS : plugin.filter(state, info, n);
    out[n.name] = isSuccess(s) ? 'ok' : s.reasons.join(', ');
  }
  return out;
}

/** Runs one score plugin (preScore, score, normalize) over every node: node name → score. */
export function scoreResults(plugin: ScorePlugin & Partial<PreScorePlugin>, pod: Pod, nodes: Node[], pods: Pod[] = []): Record<string, number> {
  const cache = makeCache(nodes, pods);
  const state = new CycleState();
  const info = newPodInfo(pod);
  const pre = plugin.preScore?.(state, info, cache.nodes, cache);
  const scores = new Float64Array(cache.nodes.length);
  if (pre?.code !== 'Skip') {
    cache.nodes.forEach((n, i) => (scores[i] = plugin.score(state, info, n)));
    plugin.normalize?.(state, info, cache.nodes, scores);
  }
  return Object.fromEntries(cache.nodes.map((n, i) => [n.name, scores[i]!]));
}
