// The little every API object has, and the keys controllers use to name them.
import type { ObjectMeta } from '../api/index.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

export interface List<T> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** `namespace/name`, or `name` for cluster-scoped objects — client-go's MetaNamespaceKeyFunc. */
export function keyOf(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name ?? ''}` : (m.name ?? '');
}

export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: undefined, name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** The owner reference with controller=true, if any. */
export function controllerOf(obj: KubeObject): { kind: string; name: string; uid: string; apiVersion: string } | undefined {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller === true);
  return ref ? { kind: ref.kind, name: ref.name, uid: ref.uid, apiVersion: ref.apiVersion } : undefined;
}

/** Deep copy for objects from a cache, which must never be mutated in place. */
export function clone<T>(obj: T): T {
  return structuredClone(obj);
}
