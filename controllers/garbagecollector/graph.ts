// The ownership graph, read from shared informers: every object of the watched kinds indexed by
// its uid and by the uids of its owners, so "who owns this" and "what does this own" are lookups.
import { findByKind, type OwnerReference } from '../../api/index.js';
import { keyOf, type Informer, type InformerFactory, type KubeObject } from '../../client/index.js';

/** Kinds that own or are owned in practice. Events are left out: they expire by TTL. */
export const watchedResources = [
  'pods', 'replicasets', 'deployments', 'services', 'endpoints', 'endpointslices',
  'configmaps', 'secrets', 'leases', 'poddisruptionbudgets', 'nodes',
];

export interface Node {
  plural: string;
  obj: KubeObject;
}

const byUid = 'uid';
const byOwner = 'ownerUid';

export class Graph {
  readonly informers = new Map<string, Informer<KubeObject>>();

  constructor(factory: InformerFactory, plurals = watchedResources) {
    for (const plural of plurals) {
      const inf = factory.informer<KubeObject>(plural);
      inf.addIndexer(byUid, (o) => (o.metadata?.uid ? [o.metadata.uid] : []));
      inf.addIndexer(byOwner, (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid));
      this.informers.set(plural, inf);
    }
  }

  static key(plural: string, obj: KubeObject): string {
    return `${plural}|${keyOf(obj)}`;
  }

  get(key: string): Node | undefined {
    const i = key.indexOf('|');
    const plural = key.slice(0, i);
    const obj = this.informers.get(plural)?.store.get(key.slice(i + 1));
    return obj ? { plural, obj } : undefined;
  }

  byUid(uid: string): Node | undefined {
    for (const [plural, inf] of this.informers) {
      const obj = inf.store.byIndex(byUid, uid)[0];
      if (obj) return { plural, obj };
    }
    return undefined;
  }

  dependents(uid: string): Node[] {
    const out: Node[] = [];
    for (const [plural, inf] of this.informers) for (const obj of inf.store.byIndex(byOwner, uid)) out.push({ plural, obj });
    return out;
  }

  /** The cached owner a reference points at, if it is the same object (same uid and name). */
  owner(ref: OwnerReference): Node | undefined {
    const n = this.byUid(ref.uid);
    return n && n.obj.metadata?.name === ref.name ? n : undefined;
  }
}

/** Where an owner reference's object lives: its plural and whether it is namespaced. */
export function ownerResource(ref: OwnerReference): { plural: string; namespaced: boolean } | undefined {
  const rt = findByKind(ref.apiVersion, ref.kind);
  return rt ? { plural: rt.plural, namespaced: rt.namespaced } : undefined;
}

export function hasFinalizer(obj: KubeObject, f: string): boolean {
  return (obj.metadata?.finalizers ?? []).includes(f);
}

/** An owner being deleted in the foreground, waiting for its dependents to go first. */
export function waitingForDependents(obj: KubeObject): boolean {
  return !!obj.metadata?.deletionTimestamp && hasFinalizer(obj, 'foregroundDeletion');
}
