// A node plus the pods placed on it (bound or assumed): what every filter and score reads.
// Derived numbers (allocatable, requested, host ports) are kept up to date incrementally.
import type { Node, Taint } from '../api/index.js';
import type { HostPort, PodInfo } from './pod-info.js';
import { hasAffinity } from './pod-info.js';
import { addInto, emptyResources, quantityValue, resourcesFromList, PODS, type Resources } from './resources.js';

export class NodeInfo {
  node!: Node;
  name = '';
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  ready = false;
  allocatable: Resources = emptyResources();
  allowedPods = 0;

  readonly pods = new Map<string, PodInfo>();
  requested: Resources = emptyResources();
  nonZeroRequested: Resources = emptyResources();
  usedPorts: HostPort[] = [];
  /** Pods here with any pod (anti-)affinity, and those with required anti-affinity. */
  podsWithAffinity = 0;
  podsWithRequiredAntiAffinity = 0;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  setNode(node: Node): void {
    this.node = node;
    this.name = node.metadata?.name ?? '';
    this.labels = node.metadata?.labels ?? {};
    this.taints = node.spec?.taints ?? [];
    this.unschedulable = node.spec?.unschedulable === true;
    this.ready = (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
    this.allocatable = resourcesFromList(node.status?.allocatable);
    this.allowedPods = quantityValue(PODS, node.status?.allocatable?.[PODS]);
  }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    addInto(this.requested, p.requests);
    addInto(this.nonZeroRequested, p.nonZeroRequests);
    for (const hp of p.hostPorts) this.usedPorts.push(hp);
    if (hasAffinity(p)) this.podsWithAffinity++;
    if (p.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity++;
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    addInto(this.requested, p.requests, -1);
    addInto(this.nonZeroRequested, p.nonZeroRequests, -1);
    if (p.hostPorts.length > 0) this.usedPorts = [...this.pods.values()].flatMap((q) => q.hostPorts);
    if (hasAffinity(p)) this.podsWithAffinity--;
    if (p.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity--;
    return p;
  }

  /** An independent copy (pods shared, sums copied), for what-if checks such as preemption. */
  clone(): NodeInfo {
    const c = new NodeInfo(this.node);
    for (const p of this.pods.values()) c.addPod(p);
    return c;
  }
}
