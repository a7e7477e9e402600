// Helpers for the api/ tests: manifest loading, leaf-by-leaf containment, decode+default+validate.
import { parseAllDocuments } from 'yaml';
import { decodeObject } from '../decode.js';
import { findByKind } from '../registry.js';
import type { KubeObject, ResourceType } from '../resource.js';

export function loadYaml(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>).filter((d) => d !== null);
}

export function resourceFor(obj: Record<string, unknown>): ResourceType {
  const rt = findByKind(String(obj.apiVersion), String(obj.kind));
  if (!rt) throw new Error(`no resource for ${String(obj.apiVersion)} ${String(obj.kind)}`);
  return rt;
}

/**
 * Every non-null leaf of `expected` appears with the same value at the same path in `actual`.
 * Returns the paths that are missing or different (empty when `actual` contains `expected`).
 */
export function missingLeaves(expected: unknown, actual: unknown, path = ''): string[] {
  if (expected === null || expected === undefined) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [path || '<root>'];
    if (expected.length === 0 && actual.length !== 0) return [path];
    return expected.flatMap((v, i) => missingLeaves(v, actual[i], `${path}[${i}]`));
  }
  if (typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return [path || '<root>'];
    const entries = Object.entries(expected as Record<string, unknown>);
    const out: string[] = [];
    for (const [k, v] of entries) {
      const a = (actual as Record<string, unknown>)[k];
      const p = path ? `${path}.${k}` : k;
      // An empty object/array in the input must survive as a present member.
      if (v !== null && a === undefined) { out.push(p); continue; }
      out.push(...missingLeaves(v, a, p));
    }
    return out;
  }
  return Object.is(expected, actual) ? [] : [path];
}

export interface Processed {
  rt: ResourceType;
  value?: KubeObject;
  decodeErrors: string[];
  unknownFields: string[];
  errors: string[];
}

/** decode → setDefaults → validate, the way the apiserver handles a create (or an update when `old` is given). */
export function processObject(input: Record<string, unknown>, old?: KubeObject, rt = resourceFor(input)): Processed {
  const res = decodeObject(rt, structuredClone(input));
  const decodeErrors = res.errors.map((e) => `${e.field}: ${e.message}`);
  if (!res.value) return { rt, decodeErrors, unknownFields: res.unknownFields, errors: decodeErrors };
  rt.setDefaults(res.value, old);
  const errors = rt.validate(res.value, old).map((e) => `${e.field}: ${e.message}`);
  return { rt, value: res.value, decodeErrors, unknownFields: res.unknownFields, errors };
}

/**
 * Asserts that `actual` errors (`field: message`) match `expected` one to one, in order; an expected
 * entry matches an actual one that starts with it, so long regex explanations may be cut short.
 */
export function errorsMatch(actual: string[], expected: string[]): boolean {
  return actual.length === expected.length && expected.every((e, i) => actual[i]?.startsWith(e) === true);
}
