// JSON merge patch (RFC 7386) and JSON patch (RFC 6902); strategic merge patch is in
// strategic-merge.ts (it needs the schema's merge keys). Bad patches are the client's fault: 422/400, never 500.
import { ApiError, badRequest } from '../errors.js';
import type { BodyKind } from './body.js';
import { kindMeta } from './patch-meta.js';
import { strategicMergePatch } from './strategic-merge.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, parts: string[], path: string): { parent: Record<string, unknown> | unknown[]; last: string } {
  let cur: unknown = doc;
  for (const p of parts.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else cur = undefined;
    if (cur === undefined) throw new Error(`path "${path}" does not exist`);
  }
  if (!Array.isArray(cur) && !isObject(cur)) throw new Error(`path "${path}" does not exist`);
  return { parent: cur, last: parts[parts.length - 1]! };
}

function get(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const p of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isObject(cur) ? cur[p] : undefined;
    if (cur === undefined) throw new Error(`path "${path}" does not exist`);
  }
  return cur;
}

function index(arr: unknown[], s: string, forAdd: boolean, path: string): number {
  if (forAdd && s === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw new Error(`invalid array index "${s}" in "${path}"`);
  const i = Number(s);
  if (i > arr.length || (!forAdd && i === arr.length)) throw new Error(`array index ${i} out of range in "${path}"`);
  return i;
}

function add(doc: unknown, path: string, value: unknown): unknown {
  const parts = pointer(path);
  if (parts.length === 0) return value;
  const { parent, last } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(index(parent, last, true, path), 0, value);
  else parent[last] = value;
  return doc;
}

function remove(doc: unknown, path: string): unknown {
  const parts = pointer(path);
  if (parts.length === 0) throw new Error('cannot remove the whole document');
  const { parent, last } = parentOf(doc, parts, path);
  if (Array.isArray(parent)) parent.splice(index(parent, last, false, path), 1);
  else if (last in parent) delete parent[last];
  else throw new Error(`path "${path}" does not exist`);
  return doc;
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw badRequest('a JSON patch must be an array of operations');
  let doc = structuredClone(target);
  for (const [i, raw] of ops.entries()) {
    const op = raw as Op;
    try {
      if (!isObject(op) || typeof op.path !== 'string') throw new Error('each operation needs "op" and "path"');
      switch (op.op) {
        case 'add':
          doc = add(doc, op.path, structuredClone(op.value));
          break;
        case 'remove':
          doc = remove(doc, op.path);
          break;
        case 'replace':
          get(doc, op.path);
          doc = add(remove(doc, op.path), op.path, structuredClone(op.value));
          break;
        case 'move': {
          const v = get(doc, op.from ?? '');
          doc = add(remove(doc, op.from ?? ''), op.path, v);
          break;
        }
        case 'copy':
          doc = add(doc, op.path, structuredClone(get(doc, op.from ?? '')));
          break;
        case 'test':
          if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value)) throw new Error(`test failed at "${op.path}"`);
          break;
        default:
          throw new Error(`unknown op "${String(op.op)}"`);
      }
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(422, 'Invalid', `the JSON patch could not be applied: operation ${i}: ${(err as Error).message}`);
    }
  }
  return doc;
}

/** `objKind` selects the strategic-merge metadata; kinds without any get merge-patch semantics. */
export function applyPatch(kind: BodyKind, current: unknown, patch: unknown, objKind?: string): unknown {
  if (kind === 'strategic-merge-patch') {
    if (!isObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
    return strategicMergePatch(current, patch, (objKind !== undefined ? kindMeta(objKind) : undefined) ?? {});
  }
  if (kind === 'merge-patch') {
    if (!isObject(patch)) throw badRequest('a merge patch must be a JSON object');
    return mergePatch(current, patch);
  }
  if (kind === 'json-patch') return jsonPatch(current, patch);
  throw new ApiError(415, 'UnsupportedMediaType', `patch type ${kind} is not supported`);
}
