// Turning a request body into a valid, defaulted object: type and version checks, schema
// decode (strict or not), defaulting and semantic validation. No storage here.
import { decodeObject } from '../../api/decode.js';
import { apiVersionOf, type FieldError, type KubeObject, type ResourceType } from '../../api/resource.js';
import { badRequest, invalid } from '../errors.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Admitted {
  obj: KubeObject;
  warnings: string[];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Check apiVersion/kind against the endpoint, decode against the schema, default and validate.
 * `name` is what the request addresses (for messages); `old` is the stored object on update.
 */
export function admitObject(
  rt: ResourceType,
  body: unknown,
  opts: { validation: FieldValidation; name: string; old?: KubeObject; skipValidate?: boolean },
): Admitted {
  if (!isPlainObject(body)) throw badRequest('the request body must be a JSON or YAML object');
  const want = apiVersionOf(rt);
  if (body.apiVersion !== undefined && body.apiVersion !== want) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${want})`);
  }
  if (body.kind !== undefined && body.kind !== rt.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${rt.kind})`);
  }
  if (body.metadata !== undefined && !isPlainObject(body.metadata)) {
    throw invalid(rt, opts.name, [{ field: 'metadata', reason: 'FieldValueTypeInvalid', message: 'Invalid value: must be an object' }]);
  }
  const input = { ...body, apiVersion: want, kind: rt.kind, metadata: body.metadata ?? {} };
  const decoded = decodeObject(rt, input);
  if (decoded.unknownFields.length > 0 && opts.validation === 'Strict') {
    throw badRequest(`strict decoding error: ${decoded.unknownFields.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  if (decoded.errors.length > 0 || !decoded.value) throw invalid(rt, opts.name, decoded.errors);
  const obj = decoded.value;
  const warnings = opts.validation === 'Warn' ? decoded.unknownFields.map((f) => `unknown field "${f}"`) : [];
  rt.setDefaults(obj, opts.old);
  if (!opts.skipValidate) {
    const errors: FieldError[] = rt.validate(obj, opts.old);
    if (errors.length > 0) throw invalid(rt, obj.metadata.name ?? opts.name, errors);
  }
  return { obj, warnings };
}

export function nowRfc3339(ms = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
