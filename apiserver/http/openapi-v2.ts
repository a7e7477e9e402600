// GET /openapi/v2: the Swagger 2.0 document of every served kind, built from the same component
// schemas as /openapi/v3. kubectl validates a `List` (what `kubectl get -o yaml` prints for several
// objects) item by item against these definitions, found through `x-kubernetes-group-version-kind`,
// and reads the document only as protobuf (the gnostic `Document`, openapi-v2-proto.ts).
import type { Request, Response } from 'express';
import type { ResourceType } from '../../api/resource.js';
import type { OpenApiSchemas } from './openapi-schemas.js';
import { encodeSwaggerDocument } from './openapi-v2-proto.js';

type Json = Record<string, unknown>;

/**
 * kubectl asks for `…spec.v2@v1.0+protobuf`; like Kubernetes, answer with the dotted spelling,
 * because Go's mime parser (client-go reads the response type) rejects the `@`.
 */
export const openapiV2ProtobufType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const v3Ref = '#/components/schemas/';
const v2Ref = '#/definitions/';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * One v3 schema in Swagger 2.0 form: refs point into `definitions`, and the `allOf: [{$ref}]`
 * wrapper v3 needs for a described reference becomes a plain `$ref` with siblings, as in
 * Kubernetes' own v2 document (kubectl's parser ignores `allOf`).
 */
export function toV2Schema(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(toV2Schema);
  if (!isObject(s)) return s;
  const out: Json = {};
  for (const [k, v] of Object.entries(s)) {
    if (k === '$ref' && typeof v === 'string') out.$ref = v.replace(v3Ref, v2Ref);
    else if (k === 'allOf' && Array.isArray(v) && v.length === 1 && isObject(v[0]) && typeof v[0].$ref === 'string') out.$ref = v[0].$ref.replace(v3Ref, v2Ref);
    else if (k === 'properties' && isObject(v)) out.properties = Object.fromEntries(Object.entries(v).map(([name, p]) => [name, toV2Schema(p)]));
    else if (k === 'items' || k === 'additionalProperties') out[k] = toV2Schema(v);
    else out[k] = v;
  }
  return out;
}

/** The paths kubectl's fallback field-validation check looks for: each kind's item operations. */
function pathsOf(resources: ResourceType[]): Json {
  const paths: Json = {};
  const query = (name: string) => ({ name, in: 'query', type: 'string', uniqueItems: true });
  const ok = { '200': { description: 'OK' } };
  for (const r of resources) {
    const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
    const path = r.namespaced ? `${base}/namespaces/{namespace}/${r.plural}/{name}` : `${base}/${r.plural}/{name}`;
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const op = (action: string, id: string, params: string[]) => ({
      operationId: `${id}${r.kind}`,
      ...(params.length ? { parameters: params.map(query) } : {}),
      responses: ok,
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    paths[path] = {
      get: op('get', 'read', []),
      put: op('put', 'replace', ['dryRun', 'fieldManager', 'fieldValidation']),
      delete: op('delete', 'delete', ['dryRun']),
      patch: op('patch', 'patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force']),
      parameters: [
        { name: 'name', in: 'path', required: true, type: 'string', uniqueItems: true },
        ...(r.namespaced ? [{ name: 'namespace', in: 'path', required: true, type: 'string', uniqueItems: true }] : []),
      ],
    };
  }
  return paths;
}

export function swaggerDocument(resources: ResourceType[], schemas: OpenApiSchemas): Json {
  const definitions = Object.fromEntries(Object.entries(schemas.schemas).map(([id, s]) => [id, toV2Schema(s)]));
  return { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: pathsOf(resources), definitions };
}

/** Serves the document as JSON, or as gnostic protobuf to a client that asks for it (kubectl). */
export class OpenApiV2 {
  private json?: string;
  private proto?: Buffer;

  constructor(private readonly resources: ResourceType[], private readonly schemas: OpenApiSchemas) {}

  private doc(): Json {
    return swaggerDocument(this.resources, this.schemas);
  }

  jsonText(): string {
    return (this.json ??= JSON.stringify(this.doc()));
  }

  protobuf(): Buffer {
    return (this.proto ??= encodeSwaggerDocument(this.doc()));
  }

  handle = (req: Request, res: Response): void => {
    const accept = req.get('accept') ?? '';
    if (accept.includes('application/com.github.proto-openapi.spec.v2')) {
      res.type(openapiV2ProtobufType).send(this.protobuf());
    } else {
      res.type('application/json').send(this.jsonText());
    }
  };
}
