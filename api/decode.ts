// Decoding untyped JSON into a kind's object, reporting problems as Kubernetes FieldErrors.
import type { z } from 'zod';
import type { FieldError, KubeObject, ResourceType } from './resource.js';
import { invalidError, requiredError, typeInvalidError } from './validation.js';

export interface DecodeResult {
  /** The parsed object, unknown fields stripped; absent when `errors` is not empty. */
  value?: KubeObject;
  errors: FieldError[];
  /** Dotted paths of fields the schema does not know (`spec.foo`, `spec.containers[0].bar`). */
  unknownFields: string[];
}

/**
 * Parses `input` with the resource's schema. Unknown fields are not errors: they are listed in
 * `unknownFields` and dropped from `value` (strict field validation is the caller's choice).
 * `null` members are treated as absent, as Kubernetes' JSON decoding does.
 */
export function decodeObject(rt: Pick<ResourceType, 'schema'>, input: unknown): DecodeResult {
  return decodeWith(rt.schema, input);
}

/** Same as decodeObject for any schema (subresource bodies such as Scale or Binding). */
export function decodeWith(schema: z.ZodType, input: unknown): DecodeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { errors: [typeInvalidError('', input, 'must be an object')], unknownFields: [] };
  }
  const data = dropNulls(input);
  // Unknown fields with their position in the input, reported in document order.
  const unknown: { path: string; order: number[] }[] = [];
  const result = (value: KubeObject | undefined, errors: FieldError[]): DecodeResult => {
    const unknownFields = unknown.sort((a, b) => compareOrder(a.order, b.order)).map((u) => u.path);
    return value ? { value, errors, unknownFields } : { errors, unknownFields };
  };
  // Unknown keys are removed and the input parsed again; a few rounds cover keys hidden by other errors.
  for (let round = 0; round < 4; round++) {
    const res = schema.safeParse(data);
    if (res.success) {
      const value = res.data as KubeObject;
      if (value.metadata === undefined) value.metadata = {};
      return result(value, []);
    }
    const errors: FieldError[] = [];
    let stripped = false;
    for (const issue of res.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        const parent = at(data, issue.path);
        for (const key of issue.keys) {
          unknown.push({ path: joinPath(formatPath(schema, issue.path), key), order: positionOf(data, [...issue.path, key]) });
          if (parent && typeof parent === 'object') {
            delete (parent as Record<string, unknown>)[key];
            stripped = true;
          }
        }
      } else {
        errors.push(issueToError(schema, data, issue));
      }
    }
    if (errors.length > 0 || !stripped) return result(undefined, dedupe(errors));
  }
  return result(undefined, [typeInvalidError('', input, 'could not be decoded')]);
}

/** Index of each path segment among its siblings, so paths sort in the order they appear in the input. */
function positionOf(data: unknown, path: readonly PropertyKey[]): number[] {
  const out: number[] = [];
  let cur: unknown = data;
  for (const seg of path) {
    if (Array.isArray(cur)) out.push(Number(seg));
    else if (cur !== null && typeof cur === 'object') out.push(Object.keys(cur).indexOf(String(seg)));
    else out.push(0);
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<PropertyKey, unknown>)[seg] : undefined;
  }
  return out;
}

function compareOrder(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function joinPath(base: string, key: string): string {
  const seg = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${key}]`;
  if (base === '') return seg.startsWith('[') ? seg : key;
  return seg.startsWith('[') ? base + seg : `${base}.${seg}`;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.field}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function issueToError(schema: z.ZodType, data: unknown, issue: z.core.$ZodIssue): FieldError {
  const field = formatPath(schema, issue.path);
  const value = at(data, issue.path);
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
    return requiredError(field);
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = issue.expected === 'number' && isInt(schemaAt(schema, issue.path)) ? 'int' : String(issue.expected);
      return typeInvalidError(field, value, `must be ${describeExpected(expected)}, not ${jsonType(value)}`);
    }
    case 'invalid_union':
      return typeInvalidError(field, value, `must be ${describeUnion(schemaAt(schema, issue.path))}, not ${jsonType(value)}`);
    case 'custom':
      return invalidError(field, value, issue.message);
    default:
      return typeInvalidError(field, value, issue.message);
  }
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'int': return 'an integer';
    case 'number': return 'a number';
    case 'string': return 'a string';
    case 'boolean': return 'a boolean';
    case 'array': return 'an array';
    case 'object':
    case 'record': return 'an object';
    default: return `of type ${expected}`;
  }
}

function describeUnion(s: z.ZodType | undefined): string {
  const opts = (def(s)?.options as z.ZodType[] | undefined) ?? [];
  const kinds = opts.map((o) => {
    const d = def(o);
    return isInt(o) ? 'an integer' : describeExpected(String(d?.type));
  });
  return kinds.length ? kinds.join(' or ') : 'valid';
}

function isInt(s: z.ZodType | undefined): boolean {
  const d = def(s);
  return d?.type === 'number' && ((d.checks as unknown[] | undefined)?.length ?? 0) > 0;
}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'an array';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string': return 'a string';
    case 'number': return Number.isInteger(v) ? 'an integer' : 'a number';
    case 'boolean': return 'a boolean';
    case 'object': return 'an object';
    default: return typeof v;
  }
}

// ---- paths ----

type Def = Record<string, unknown> & { type?: string };

function def(s: z.ZodType | undefined): Def | undefined {
  return (s as unknown as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Unwraps optional/nullable/default/lazy wrappers. */
function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  for (let i = 0; i < 20 && cur; i++) {
    const d = def(cur);
    if (!d) return cur;
    if (d.type === 'optional' || d.type === 'nullable' || d.type === 'default' || d.type === 'prefault' || d.type === 'readonly') {
      cur = d.innerType as z.ZodType;
    } else if (d.type === 'lazy') {
      cur = (d.getter as () => z.ZodType)();
    } else if (d.type === 'pipe') {
      cur = d.in as z.ZodType;
    } else {
      return cur;
    }
  }
  return cur;
}

type Seg = PropertyKey;

/** The schema node at a path, or undefined if it cannot be followed. */
function schemaAt(schema: z.ZodType, path: readonly Seg[]): z.ZodType | undefined {
  let cur: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    const d = def(cur);
    if (!d) return undefined;
    if (d.type === 'object') cur = (d.shape as Record<string, z.ZodType>)[String(seg)];
    else if (d.type === 'record') cur = d.valueType as z.ZodType;
    else if (d.type === 'array') cur = d.element as z.ZodType;
    else return undefined;
    cur = unwrap(cur);
  }
  return cur;
}

/**
 * Formats a zod path the way Kubernetes prints field paths: struct fields joined by dots,
 * list indexes and map keys in brackets (`spec.containers[0].image`, `data[tls.crt]`).
 */
export function formatPath(schema: z.ZodType, path: readonly Seg[]): string {
  let out = '';
  let cur: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    const d = def(cur);
    const type = d?.type;
    if (type === 'array' || typeof seg === 'number') {
      out += `[${String(seg)}]`;
      cur = d && type === 'array' ? unwrap(d.element as z.ZodType) : undefined;
    } else if (type === 'record') {
      out += `[${String(seg)}]`;
      cur = unwrap(d?.valueType as z.ZodType);
    } else {
      out += out === '' ? String(seg) : `.${String(seg)}`;
      cur = type === 'object' ? unwrap((d?.shape as Record<string, z.ZodType>)[String(seg)]) : undefined;
    }
  }
  return out;
}

function at(data: unknown, path: readonly Seg[]): unknown {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** Deep copy of JSON data with `null` object members removed. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
    return out;
  }
  return v;
}

