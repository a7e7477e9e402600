// The scheduler's view of the cluster: NodeInfos fed by the node and pod informers, plus
// assumed pods (placed by this scheduler, binding not yet observed). It is the Snapshot the
// algorithm reads; scheduling cycles are synchronous, so no copy is needed.
import type { labels, Node, Pod } from '../api/index.js';
import type { PodIndex, Snapshot, TermGroup, TermKind } from './framework.js';
import { NodeInfo } from './node-info.js';
import { newPodInfo, podKey, type AffinityTerm, type PodInfo } from './pod-info.js';

interface PodState {
  info: PodInfo;
  nodeName: string;
  node: NodeInfo;
  assumed: boolean;
}

interface Member {
  info: PodInfo;
  node: NodeInfo;
  n: number;
  w: number;
}

interface Group extends TermGroup {
  readonly members: Map<string, Member>;
}

const TERM_KINDS: readonly TermKind[] = ['requiredAffinity', 'requiredAntiAffinity', 'preferredAffinity', 'preferredAntiAffinity'];

function termsOf(p: PodInfo, kind: TermKind): readonly (AffinityTerm & { weight?: number })[] {
  switch (kind) {
    case 'requiredAffinity':
      return p.requiredAffinityTerms;
    case 'requiredAntiAffinity':
      return p.requiredAntiAffinityTerms;
    case 'preferredAffinity':
      return p.preferredAffinityTerms;
    case 'preferredAntiAffinity':
      return p.preferredAntiAffinityTerms;
  }
}

const labelPair = (key: string, value: string): string => `${key}\u0000${value}`;

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  if (a === b) return true;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (a[k] !== b[k] || !Object.hasOwn(b, k)) return false;
  return true;
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export class SchedulerCache implements Snapshot, PodIndex {
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
  /** Placed pods by label `key\0value` and by label key; with `podStates`, the label index. */
  private readonly byLabel = new Map<string, Set<PodState>>();
  private readonly byLabelKey = new Map<string, Set<PodState>>();
  /** Placed pods' affinity terms, grouped by kind then by term id. */
  private readonly groups = new Map<TermKind, Map<string, Group>>(TERM_KINDS.map((k) => [k, new Map()]));
  /** domainValues results; cleared whenever the listed nodes or their labels change. */
  private readonly domains = new Map<string, ReadonlySet<string>>();

  get podIndex(): PodIndex {
    return this;
  }

  isListed(node: NodeInfo): boolean {
    return this.index.has(node);
  }

  forEachCandidate(selector: labels.LabelSelector, fn: (pod: PodInfo, node: NodeInfo) => void): void {
    // The smallest set that every matching pod must be in: pods with key=v for some v of one
    // '='/'in' requirement, or pods with the key of an 'exists' requirement; else every pod.
    let best: Set<PodState>[] | undefined;
    let bestSize = Infinity;
    for (const r of selector.requirements) {
      let sets: Set<PodState>[];
      if (r.operator === '=' || r.operator === '==' || r.operator === 'in') {
        sets = [];
        for (const v of r.values) {
          const set = this.byLabel.get(labelPair(r.key, v));
          if (set) sets.push(set);
        }
      } else if (r.operator === 'exists' || r.operator === 'gt' || r.operator === 'lt') {
        const set = this.byLabelKey.get(r.key);
        sets = set ? [set] : [];
      } else continue;
      let size = 0;
      for (const set of sets) size += set.size;
      if (size < bestSize) {
        best = sets;
        bestSize = size;
      }
    }
    if (best) {
      for (const set of best) for (const st of set) if (this.index.has(st.node)) fn(st.info, st.node);
      return;
    }
    for (const st of this.podStates.values()) if (this.index.has(st.node)) fn(st.info, st.node);
  }

  termGroups(kind: TermKind): Iterable<TermGroup> {
    return this.groups.get(kind)!.values();
  }

  domainValues(keys: readonly string[], key: string): ReadonlySet<string> {
    const id = `${keys.join('\u0001')}\u0002${key}`;
    let values = this.domains.get(id);
    if (!values) {
      const out = new Set<string>();
      for (const node of this.list) {
        let all = true;
        for (const k of keys) if (node.labels[k] === undefined) all = false;
        const v = node.labels[key];
        if (all && v !== undefined) out.add(v);
      }
      this.domains.set(id, (values = out));
    }
    return values;
  }

  private indexPod(st: PodState): void {
    const l = st.info.labels;
    for (const k of Object.keys(l)) {
      const pk = labelPair(k, l[k]!);
      let set = this.byLabel.get(pk);
      if (!set) this.byLabel.set(pk, (set = new Set()));
      set.add(st);
      let keySet = this.byLabelKey.get(k);
      if (!keySet) this.byLabelKey.set(k, (keySet = new Set()));
      keySet.add(st);
    }
    for (const kind of TERM_KINDS) {
      const terms = termsOf(st.info, kind);
      if (terms.length === 0) continue;
      const byId = this.groups.get(kind)!;
      for (const t of terms) {
        let g = byId.get(t.id);
        if (!g) byId.set(t.id, (g = { term: t, members: new Map() }));
        let m = g.members.get(st.info.key);
        if (!m) g.members.set(st.info.key, (m = { info: st.info, node: st.node, n: 0, w: 0 }));
        m.n++;
        m.w += t.weight ?? 0;
      }
    }
  }

  private unindexPod(st: PodState): void {
    const l = st.info.labels;
    for (const k of Object.keys(l)) {
      const pk = labelPair(k, l[k]!);
      const set = this.byLabel.get(pk);
      if (set?.delete(st) && set.size === 0) this.byLabel.delete(pk);
      const keySet = this.byLabelKey.get(k);
      if (keySet?.delete(st) && keySet.size === 0) this.byLabelKey.delete(k);
    }
    for (const kind of TERM_KINDS) {
      const terms = termsOf(st.info, kind);
      if (terms.length === 0) continue;
      const byId = this.groups.get(kind)!;
      for (const t of terms) {
        const g = byId.get(t.id);
        if (!g) continue;
        g.members.delete(st.info.key);
        if (g.members.size === 0) byId.delete(t.id);
      }
    }
  }

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
    const oldLabels = info.labels;
    info.setNode(node);
    if (!this.index.has(info) || !sameLabels(oldLabels, info.labels)) this.domains.clear();
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
      this.domains.clear();
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
    const s = this.podStates.get(key);
    // The binding we assumed, now seen: its placement is already counted, so only confirm it
    // (every binding comes back this way; building the pod's info again cost more than the rest).
    if (s?.assumed && s.nodeName === nodeName && s.info.uid === (pod.metadata?.uid ?? '') && sameLabels(s.info.labels, pod.metadata?.labels ?? {})) {
      s.assumed = false;
      s.info.pod = pod;
      return;
    }
    this.place(newPodInfo(pod), nodeName, false);
  }

  removePod(key: string): void {
    this.clearNomination(key);
    const s = this.podStates.get(key);
    if (!s) return;
    this.podStates.delete(key);
    this.unindexPod(s);
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
    else if (old) this.unindexPod(old);
    const node = this.infoFor(nodeName);
    const st: PodState = { info, nodeName, node, assumed };
    this.podStates.set(info.key, st);
    this.indexPod(st);
    node.addPod(info);
    this.track(node);
  }
}
