// The scheduler's view of the cluster: NodeInfos fed by the node and pod informers, plus
// assumed pods (placed by this scheduler, binding not yet observed). It is the Snapshot the
// algorithm reads; scheduling cycles are synchronous, so no copy is needed.
import type { Node, Pod } from '../api/index.js';
import type { Snapshot } from './framework.js';
import { NodeInfo } from './node-info.js';
import { newPodInfo, podKey, type PodInfo } from './pod-info.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  assumed: boolean;
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SchedulerCache implements Snapshot {
  private readonly list: NodeInfo[] = [];
  private readonly index = new Map<NodeInfo, number>();
  /** Every NodeInfo, including placeholders for pods bound to nodes not (or no longer) known. */
  private readonly infos = new Map<string, NodeInfo>();
  private readonly podStates = new Map<string, PodState>();
  private readonly namespaces = new Map<string, Record<string, string>>();
  private readonly nominated = new Map<string, { nodeName: string; info: PodInfo }>();
  private readonly nominatedByNode = new Map<string, Map<string, PodInfo>>();
  private readonly withAffinity = new Set<NodeInfo>();
  private readonly withRequiredAnti = new Set<NodeInfo>();

  get nodes(): readonly NodeInfo[] {
    return this.list;
  }

  get(nodeName: string): NodeInfo | undefined {
    const n = this.infos.get(nodeName);
    return n && this.index.has(n) ? n : undefined;
  }

  readonly namespaceLabels = (ns: string): Record<string, string> | undefined => this.namespaces.get(ns);

  setNamespace(name: string, labels: Record<string, string> | undefined): void {
    if (labels === undefined) this.namespaces.delete(name);
    else this.namespaces.set(name, labels);
  }

  private infoFor(nodeName: string): NodeInfo {
    let n = this.infos.get(nodeName);
    if (!n) {
      n = new NodeInfo();
      n.name = nodeName;
      this.infos.set(nodeName, n);
    }
    return n;
  }

  get hasNominatedPods(): boolean {
    return this.nominated.size > 0;
  }

  nodesWithAffinityPods(): Iterable<NodeInfo> {
    return [...this.withAffinity].filter((n) => this.index.has(n));
  }

  nodesWithRequiredAntiAffinityPods(): Iterable<NodeInfo> {
    return [...this.withRequiredAnti].filter((n) => this.index.has(n));
  }

  private track(info: NodeInfo): void {
    if (info.podsWithAffinity > 0) this.withAffinity.add(info);
    else this.withAffinity.delete(info);
    if (info.podsWithRequiredAntiAffinity > 0) this.withRequiredAnti.add(info);
    else this.withRequiredAnti.delete(info);
  }

  nominatedPods(nodeName: string): readonly PodInfo[] | undefined {
    const m = this.nominatedByNode.get(nodeName);
    return m ? [...m.values()] : undefined;
  }

  /** A preemptor waits for its victims to leave `nodeName`. */
  nominate(info: PodInfo, nodeName: string): void {
    this.clearNomination(info.key);
    this.nominated.set(info.key, { nodeName, info });
    let m = this.nominatedByNode.get(nodeName);
    if (!m) this.nominatedByNode.set(nodeName, (m = new Map()));
    m.set(info.key, info);
  }

  clearNomination(key: string): void {
    const n = this.nominated.get(key);
    if (!n) return;
    this.nominated.delete(key);
    const m = this.nominatedByNode.get(n.nodeName);
    m?.delete(key);
    if (m?.size === 0) this.nominatedByNode.delete(n.nodeName);
  }

  /** Adds or updates a node. */
  setNode(node: Node): void {
    const info = this.infoFor(node.metadata?.name ?? '');
    info.setNode(node);
    if (!this.index.has(info)) {
      this.index.set(info, this.list.length);
      this.list.push(info);
    }
  }

  removeNode(name: string): void {
    const info = this.infos.get(name);
    if (!info) return;
    const i = this.index.get(info);
    if (i !== undefined) {
      const last = this.list.pop()!;
      if (last !== info) {
        this.list[i] = last;
        this.index.set(last, i);
      }
      this.index.delete(info);
    }
    if (info.pods.size === 0) this.infos.delete(name);
  }

  /** An assigned pod as the informer reports it (add or update); confirms an assumption. */
  setPod(pod: Pod): void {
    const key = podKey(pod);
    const nodeName = pod.spec?.nodeName;
    if (!nodeName || isTerminal(pod)) {
      // Unassigned pods are not placed; terminal ones no longer use their node.
      const s = this.podStates.get(key);
      if (s && !s.assumed) this.removePod(key);
      return;
    }
    this.place(newPodInfo(pod), nodeName, false);
  }

  removePod(key: string): void {
    this.clearNomination(key);
    const s = this.podStates.get(key);
    if (!s) return;
    this.podStates.delete(key);
    const info = this.infos.get(s.nodeName);
    if (!info) return;
    info.removePod(key);
    this.track(info);
    if (info.pods.size === 0 && !this.index.has(info)) this.infos.delete(s.nodeName);
  }

  /** The next scheduling cycle sees `pod` on `nodeName` until the binding is observed or forgotten. */
  assume(pod: PodInfo, nodeName: string): void {
    this.place(pod, nodeName, true);
  }

  /** Rolls back an assumption (bind failed). A pod the informer already confirmed stays. */
  forget(key: string): void {
    if (this.podStates.get(key)?.assumed) this.removePod(key);
  }

  isAssumed(key: string): boolean {
    return this.podStates.get(key)?.assumed === true;
  }

  /** The node a pod is placed on (bound or assumed), if any. */
  nodeOf(key: string): string | undefined {
    return this.podStates.get(key)?.nodeName;
  }

  private place(info: PodInfo, nodeName: string, assumed: boolean): void {
    this.clearNomination(info.key);
    const old = this.podStates.get(info.key);
    if (old && old.nodeName !== nodeName) this.removePod(info.key);
    this.podStates.set(info.key, { info, nodeName, assumed });
    const node = this.infoFor(nodeName);
    node.addPod(info);
    this.track(node);
  }
}
