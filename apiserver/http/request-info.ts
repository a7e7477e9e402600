// What a request addresses, parsed from its path, as kube-apiserver's RequestInfo.
import type { ResourceType } from '../../api/resource.js';
import { badRequest } from '../errors.js';

export interface RequestInfo {
  group: string;
  version: string;
  /** Plural resource name. */
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** Parses `/api/v1/...` and `/apis/<group>/<version>/...`; undefined when it addresses no resource. */
export function parseResourcePath(path: string, namespacedSubresources: Set<string>): RequestInfo | undefined {
  let parts: string[];
  try {
    parts = path.split('/').filter((p) => p !== '').map(decodeURIComponent);
  } catch {
    throw badRequest(`the request path ${JSON.stringify(path)} is not valid percent-encoding`);
  }
  let group: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(1);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(2);
  } else {
    return undefined;
  }
  const version = rest[0]!;
  const segs = rest.slice(1);
  // namespaces/{ns}/{resource}/... unless the third segment is a namespace subresource (status, finalize).
  if (segs[0] === 'namespaces' && segs.length >= 3 && !(segs.length === 3 && namespacedSubresources.has(segs[2]!))) {
    const [, namespace, resource, name, subresource, ...extra] = segs;
    if (extra.length > 0) return undefined;
    return { group, version, resource: resource!, namespace: namespace!, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
  }
  const [resource, name, subresource, ...extra] = segs;
  if (!resource || extra.length > 0) return undefined;
  return { group, version, resource, ...(name ? { name } : {}), ...(subresource ? { subresource } : {}) };
}

export function resourceLookup(resources: ResourceType[]): (group: string, version: string, plural: string) => ResourceType | undefined {
  const byKey = new Map(resources.map((r) => [`${r.group}/${r.version}/${r.plural}`, r]));
  return (group, version, plural) => byKey.get(`${group}/${version}/${plural}`);
}

/** Subresources reached by a WebSocket GET that start something: authorized as `create` (as Kubernetes does). */
const connectSubresources = new Set(['exec', 'attach', 'portforward']);

/** The Kubernetes verb of a resource request. */
export function resourceVerb(method: string, info: RequestInfo, query: Record<string, unknown>): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (info.subresource && connectSubresources.has(info.subresource)) return 'create';
      if (query.watch === 'true' || query.watch === '1') return 'watch';
      return info.name ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return info.name ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}
