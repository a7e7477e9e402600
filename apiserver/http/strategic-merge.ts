// Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch): like a JSON merge patch,
// except that lists with a merge key merge element by element, `merge` lists of primitives are
// unions, and the directives `$patch`, `$retainKeys`, `$setElementOrder/<list>` and
// `$deleteFromPrimitiveList/<list>` steer the merge. Metadata per kind lives in patch-meta.ts.
import { ApiError } from '../errors.js';
import { fieldMeta, typeMeta, type FieldMeta, type TypeMeta } from './patch-meta.js';

type Obj = Record<string, unknown>;

const PATCH = '$patch';
const RETAIN = '$retainKeys';
const ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): ApiError {
  return new ApiError(422, 'Invalid', `the strategic merge patch could not be applied: ${message}`);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Applies `patch` to `original` (neither is modified); `meta` describes the top-level object. */
export function strategicMergePatch(original: unknown, patch: unknown, meta: TypeMeta): unknown {
  if (!isObject(patch)) throw bad('the patch must be a JSON object');
  return mergeMap(isObject(original) ? original : {}, patch, meta);
}

function mergeMap(original: Obj, patch: Obj, meta: TypeMeta): Obj {
  const directive = patch[PATCH];
  let out: Obj = { ...original };
  if (directive !== undefined) {
    if (directive === 'delete') return {};
    if (directive === 'replace') {
      const { [PATCH]: _d, ...rest } = patch;
      return mergeMap({}, rest, meta);
    }
    if (directive !== 'merge') throw bad(`unknown patch directive "${String(directive)}"`);
  }
  const retain = patch[RETAIN];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw bad(`${RETAIN} must be a list of field names`);
    const keep = new Set(retain.map(String));
    out = Object.fromEntries(Object.entries(out).filter(([k]) => keep.has(k)));
  }
  // Removals from primitive lists first, so that the same call can add values again.
  for (const [k, v] of Object.entries(patch)) {
    if (!k.startsWith(DELETE_PRIMITIVE)) continue;
    const list = k.slice(DELETE_PRIMITIVE.length);
    if (!Array.isArray(v)) throw bad(`${k} must be a list`);
    const cur = out[list];
    if (Array.isArray(cur)) out[list] = cur.filter((x) => !v.some((d) => same(d, x)));
  }
  for (const [k, v] of Object.entries(patch)) {
    if (k === PATCH || k === RETAIN || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (k.startsWith(ORDER)) continue;
    const fm = fieldMeta(meta, k);
    if (v === null) {
      delete out[k];
      continue;
    }
    out[k] = mergeValue(out[k], v, fm);
  }
  // `$setElementOrder/<list>` reorders the merged list (also when the patch leaves the list alone).
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith(ORDER)) continue;
    const list = k.slice(ORDER.length);
    if (!Array.isArray(order)) throw bad(`${k} must be a list`);
    const merged = out[list];
    if (Array.isArray(merged)) out[list] = reorder(merged, order, Array.isArray(original[list]) ? original[list] : [], fieldMeta(meta, list).key);
  }
  return out;
}

function mergeValue(cur: unknown, patch: unknown, fm: FieldMeta): unknown {
  if (isObject(patch)) return mergeMap(isObject(cur) ? cur : {}, patch, typeMeta(fm.type));
  if (Array.isArray(patch)) return mergeList(Array.isArray(cur) ? cur : [], patch, fm);
  return patch;
}

function strategies(fm: FieldMeta): Set<string> {
  return new Set((fm.strategy ?? '').split(',').filter(Boolean));
}

function mergeList(original: unknown[], patch: unknown[], fm: FieldMeta): unknown[] {
  const elemMeta = typeMeta(fm.type);
  // A `{"$patch": "replace"}` element replaces the whole list with the other elements.
  const replaceAll = patch.some((e) => isObject(e) && e[PATCH] === 'replace' && Object.keys(e).length === 1);
  if (replaceAll) {
    return patch.filter((e) => !(isObject(e) && e[PATCH] === 'replace')).map((e) => clean(e, elemMeta));
  }
  if (!strategies(fm).has('merge')) return patch.map((e) => clean(e, elemMeta));
  const key = fm.key;
  if (key === undefined || !patch.concat(original).some(isObject)) {
    // A `merge` list of primitives: the union, in order of first appearance.
    const out: unknown[] = [];
    for (const e of [...original, ...patch]) if (!out.some((x) => same(x, e))) out.push(e);
    return out;
  }
  let out = original.map((e) => e);
  for (const elem of patch) {
    if (!isObject(elem)) throw bad(`a list merged by "${key}" must hold objects`);
    const directive = elem[PATCH];
    if (!(key in elem)) throw bad(`an element of a list merged by "${key}" has no "${key}"`);
    const at = out.findIndex((e) => isObject(e) && same(e[key], elem[key]));
    if (directive === 'delete') {
      out = out.filter((e) => !(isObject(e) && same(e[key], elem[key])));
      continue;
    }
    if (directive !== undefined && directive !== 'merge' && directive !== 'replace') throw bad(`unknown patch directive "${String(directive)}"`);
    if (at >= 0) out[at] = mergeMap(out[at] as Obj, elem, elemMeta);
    else out.push(clean(elem, elemMeta));
  }
  return out;
}

/** A value newly added by the patch: its directives are applied against nothing. */
function clean(v: unknown, meta: TypeMeta): unknown {
  if (isObject(v)) return mergeMap({}, v, meta);
  return v;
}

/**
 * Kubernetes' normalizeElementOrder: elements named in `order` come in that order; the others
 * (only on the server) keep their order from the original list and stay where they were
 * relative to the ordered ones.
 */
function reorder(merged: unknown[], order: unknown[], original: unknown[], key: string | undefined): unknown[] {
  const id = (e: unknown): string => JSON.stringify(key !== undefined && isObject(e) ? e[key] : e);
  const orderIds = order.map(id);
  const serverIds = original.map(id);
  const inOrder = merged.filter((e) => orderIds.includes(id(e)));
  const serverOnly = merged.filter((e) => !orderIds.includes(id(e)));
  inOrder.sort((a, b) => orderIds.indexOf(id(a)) - orderIds.indexOf(id(b)));
  serverOnly.sort((a, b) => serverIds.indexOf(id(a)) - serverIds.indexOf(id(b)));
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < inOrder.length || j < serverOnly.length) {
    if (i >= inOrder.length) out.push(serverOnly[j++]);
    else if (j >= serverOnly.length) out.push(inOrder[i++]);
    else {
      const li = serverIds.indexOf(id(inOrder[i]));
      const ri = serverIds.indexOf(id(serverOnly[j]));
      if (li >= 0 && ri >= 0 && li < ri) out.push(inOrder[i++]);
      else out.push(serverOnly[j++]);
    }
  }
  return out;
}
