// Discovery documents (/api, /apis, per group-version resource lists), /version, and the
// OpenAPI v3 index kubectl reads to learn that the server validates fields itself.
import { createHash } from 'node:crypto';
import type { ResourceType } from '../../api/resource.js';
import { OpenApiSchemas } from './openapi-schemas.js';
import { OpenApiV2 } from './openapi-v2.js';

const mainVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface SubresourceShape {
  kind: string;
  verbs: string[];
  group?: string;
  version?: string;
}

const subresourceShapes: Record<string, (rt: ResourceType) => SubresourceShape> = {
  status: (rt) => ({ kind: rt.kind, verbs: ['get', 'patch', 'update'] }),
  scale: () => ({ group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }),
  binding: () => ({ kind: 'Binding', verbs: ['create'] }),
  log: () => ({ kind: 'Pod', verbs: ['get'] }),
  exec: () => ({ kind: 'PodExecOptions', verbs: ['create', 'get'] }),
  portforward: () => ({ kind: 'PodPortForwardOptions', verbs: ['create', 'get'] }),
  finalize: (rt) => ({ kind: rt.kind, verbs: ['update'] }),
  eviction: () => ({ group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] }),
};

export const version = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-skiff',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-22T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'tsc',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

function groupVersions(resources: ResourceType[]): Map<string, ResourceType[]> {
  const out = new Map<string, ResourceType[]>();
  for (const r of resources) {
    const gv = r.group ? `${r.group}/${r.version}` : r.version;
    out.set(gv, [...(out.get(gv) ?? []), r]);
  }
  return out;
}

export class Discovery {
  private readonly byGv: Map<string, ResourceType[]>;
  private readonly openapiDocs = new Map<string, string>();
  /** /openapi/v2, from the same schemas as the v3 documents. */
  readonly openapiV2: OpenApiV2;

  constructor(private readonly resources: ResourceType[]) {
    this.byGv = groupVersions(resources);
    const schemas = new OpenApiSchemas(resources);
    this.openapiV2 = new OpenApiV2(resources, schemas);
    for (const [gv, rts] of this.byGv) this.openapiDocs.set(gv, JSON.stringify(openapiDoc(rts, schemas)));
  }

  apiVersions(serverAddress: string): unknown {
    return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
  }

  private groups(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const r of this.resources) {
      if (!r.group) continue;
      const versions = groups.get(r.group) ?? [];
      if (!versions.includes(r.version)) versions.push(r.version);
      groups.set(r.group, versions);
    }
    return groups;
  }

  private apiGroup(name: string, versions: string[]): unknown {
    const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: list, preferredVersion: list[0] };
  }

  apiGroupList(): unknown {
    const groups = [...this.groups()].map(([name, versions]) => this.apiGroup(name, versions));
    return { kind: 'APIGroupList', apiVersion: 'v1', groups };
  }

  apiGroupDoc(group: string): unknown | undefined {
    const versions = this.groups().get(group);
    return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...(this.apiGroup(group, versions) as object) } : undefined;
  }

  resourceList(groupVersion: string): unknown | undefined {
    const rts = this.byGv.get(groupVersion);
    if (!rts) return undefined;
    const resources: unknown[] = [];
    for (const r of rts) {
      resources.push({
        name: r.plural,
        singularName: r.singular,
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: r.verbs ?? mainVerbs,
        ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        ...(r.categories.length ? { categories: r.categories } : {}),
        storageVersionHash: createHash('sha256').update(`${groupVersion}/${r.kind}`).digest('base64').slice(0, 11),
      });
      for (const sub of r.subresources) {
        const shape = subresourceShapes[sub]?.(r) ?? { kind: r.kind, verbs: ['get'] };
        resources.push({ name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, ...shape });
      }
    }
    return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
  }

  openapiIndex(): unknown {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const [gv, doc] of this.openapiDocs) {
      const path = gv.includes('/') ? `apis/${gv}` : `api/${gv}`;
      const hash = createHash('sha512').update(doc).digest('hex').slice(0, 64).toUpperCase();
      paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
    }
    return { paths };
  }

  /** The stored JSON text of one group-version document. */
  openapiDocument(path: string): string | undefined {
    const gv = path.replace(/^apis?\//, '');
    return this.openapiDocs.get(gv);
  }
}

/**
 * Per group-version OpenAPI v3 document. kubectl looks for each kind's PATCH operation and
 * its `fieldValidation` parameter before it trusts the server to validate (`--validate=strict`);
 * `kubectl explain` reads the component schemas. The PATCH operations deliberately carry no
 * requestBody: then kubectl computes client-side apply patches from its compiled-in types
 * (exactly Kubernetes' merge keys) rather than from these generated schemas.
 */
function openapiDoc(rts: ResourceType[], schemas: OpenApiSchemas): unknown {
  const paths: Record<string, unknown> = {};
  const param = (name: string) => ({ name, in: 'query', schema: { type: 'string', uniqueItems: true } });
  for (const r of rts) {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const path = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}/{name}` : `${base}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    paths[path] = {
      parameters: [
        { name: 'name', in: 'path', required: true, schema: { type: 'string' } },
        ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, schema: { type: 'string' } }] : []),
      ],
      get: { operationId: `read${r.kind}`, 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
      put: { operationId: `replace${r.kind}`, 'x-kubernetes-action': 'put', 'x-kubernetes-group-version-kind': gvk, parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation')], responses: { '200': { description: 'OK' } } },
      patch: { operationId: `patch${r.kind}`, 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': gvk, parameters: [param('dryRun'), param('fieldManager'), param('fieldValidation'), param('force')], responses: { '200': { description: 'OK' } } },
      delete: { operationId: `delete${r.kind}`, 'x-kubernetes-action': 'delete', 'x-kubernetes-group-version-kind': gvk, responses: { '200': { description: 'OK' } } },
    };
  }
  const roots = rts.map((r) => schemas.idOf(r)).filter((id): id is string => id !== undefined);
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths, components: { schemas: schemas.closure(roots) } };
}
