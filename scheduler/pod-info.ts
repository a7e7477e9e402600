// A pod as the scheduler sees it: the object plus everything derived from it once (requests,
// host ports, parsed affinity terms), so per-node checks never re-parse the spec.
import { labels, type Pod, type PodAffinityTerm, type Toleration, type WeightedPodAffinityTerm } from '../api/index.js';
import { podRequests, type Resources } from './resources.js';

export interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

/** A pod (anti-)affinity term with its selectors compiled. */
export interface AffinityTerm {
  /** Equal for terms that select the same pods over the same topology (the cache groups them by it). */
  id: string;
  topologyKey: string;
  selector: labels.LabelSelector;
  /** Namespaces named explicitly (or the pod's own when neither namespaces nor a selector is given). */
  namespaces: ReadonlySet<string>;
  /** Matches namespaces by their labels; `nothing()` when absent. */
  namespaceSelector: labels.LabelSelector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

export interface PodInfo {
  pod: Pod;
  /** `namespace/name`. */
  key: string;
  uid: string;
  namespace: string;
  labels: Record<string, string>;
  priority: number;
  /** Effective requests (for fit) and with non-zero defaults (for scoring). */
  requests: Resources;
  nonZeroRequests: Resources;
  hostPorts: HostPort[];
  tolerations: Toleration[];
  requiredAffinityTerms: AffinityTerm[];
  requiredAntiAffinityTerms: AffinityTerm[];
  preferredAffinityTerms: WeightedAffinityTerm[];
  preferredAntiAffinityTerms: WeightedAffinityTerm[];
  /** Milliseconds since the epoch when the pod was created (queue order, preemption tie-breaks). */
  createdMs: number;
}

/** Looks up a namespace's labels (for namespaceSelector); undefined when unknown. */
export type NamespaceLabels = (namespace: string) => Record<string, string> | undefined;

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function compileTerm(t: PodAffinityTerm, podNamespace: string): AffinityTerm {
  const names = t.namespaces ?? [];
  const implicitNs = names.length === 0 && t.namespaceSelector === undefined;
  return {
    id: JSON.stringify([t.topologyKey, t.labelSelector ?? null, names, t.namespaceSelector ?? null, implicitNs ? podNamespace : null]),
    topologyKey: t.topologyKey,
    selector: labels.selectorFromLabelSelector(t.labelSelector),
    namespaces: new Set(implicitNs ? [podNamespace] : names),
    namespaceSelector: labels.selectorFromLabelSelector(t.namespaceSelector),
  };
}

function compileWeighted(ts: WeightedPodAffinityTerm[] | undefined, ns: string): WeightedAffinityTerm[] {
  return (ts ?? []).map((w) => ({ ...compileTerm(w.podAffinityTerm, ns), weight: w.weight }));
}

function hostPortsOf(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort && p.hostPort > 0) out.push({ ip: p.hostIP || '0.0.0.0', protocol: p.protocol || 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export function newPodInfo(pod: Pod): PodInfo {
  const ns = pod.metadata?.namespace ?? '';
  const aff = pod.spec?.affinity;
  const created = pod.metadata?.creationTimestamp;
  return {
    pod,
    key: podKey(pod),
    uid: pod.metadata?.uid ?? '',
    namespace: ns,
    labels: pod.metadata?.labels ?? {},
    priority: pod.spec?.priority ?? 0,
    requests: podRequests(pod),
    nonZeroRequests: podRequests(pod, true),
    hostPorts: hostPortsOf(pod),
    tolerations: pod.spec?.tolerations ?? [],
    requiredAffinityTerms: (aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns)),
    requiredAntiAffinityTerms: (aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileTerm(t, ns)),
    preferredAffinityTerms: compileWeighted(aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution, ns),
    preferredAntiAffinityTerms: compileWeighted(aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution, ns),
    createdMs: created ? Date.parse(created) : 0,
  };
}

/** Whether `term` (declared by some pod) selects `target`: namespace, then labels. */
export function termMatches(term: AffinityTerm, target: PodInfo, nsLabels: NamespaceLabels): boolean {
  if (!term.namespaces.has(target.namespace)) {
    if (!term.namespaceSelector.matches(nsLabels(target.namespace) ?? {})) return false;
  }
  return term.selector.matches(target.labels);
}

export function matchesAllTerms(terms: AffinityTerm[], target: PodInfo, nsLabels: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, target, nsLabels)) return false;
  return true;
}

export function hasAffinity(p: PodInfo): boolean {
  return (
    p.requiredAffinityTerms.length > 0 ||
    p.requiredAntiAffinityTerms.length > 0 ||
    p.preferredAffinityTerms.length > 0 ||
    p.preferredAntiAffinityTerms.length > 0
  );
}
