// Server-side apply (`PATCH` with `application/apply-patch+yaml`), a faithful but smaller version
// of Kubernetes' structured-merge-diff: each Apply manager owns the set of field paths of the
// config it last applied (recorded in metadata.managedFields as FieldsV1). Re-applying merges
// the config into the live object with the strategic-merge rules (merge keys from
// patch-meta.ts), removes the fields this manager applied before and omits now (unless another
// manager owns them), and refuses to change a value another Apply manager owns (409 with one
// FieldManagerConflict cause per field) unless forced, which moves the field to the applier.
// Not modelled: ownership by Update managers (plain PUT/PATCH writers) and conflicts with them.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../../api/resource.js';
import { ApiError } from '../errors.js';
import { nowRfc3339 } from '../registry/admit.js';
import { fieldMeta, typeMeta, type TypeMeta } from './patch-meta.js';
import { strategicMergePatch } from './strategic-merge.js';

type Obj = Record<string, unknown>;

/** One step of a field path: `f:name` (a field), `k:{"name":"app"}` (a keyed list item), `v:"x"` (a set member). */
type Segment = string;
/** A field path as a set member: the JSON text of its segments. */
type PathKey = string;

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Obj;
  subresource?: string;
}

export interface ApplyRequest {
  manager: string;
  force: boolean;
  /** apiVersion of the endpoint, recorded with the ownership. */
  apiVersion: string;
  /** Strategic-merge metadata of the kind ({} for kinds without lists that merge). */
  meta: TypeMeta;
}

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields nobody owns: identity, server-set metadata and status. */
const ignoredTop = new Set(['apiVersion', 'kind', 'status']);
const ignoredMeta = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields', 'selfLink']);

/** The set of field paths an applied configuration sets. */
export function fieldSet(config: Obj, meta: TypeMeta): Set<PathKey> {
  const out = new Set<PathKey>();
  const walk = (obj: Obj, m: TypeMeta, prefix: Segment[]): void => {
    for (const [k, v] of Object.entries(obj)) {
      if (prefix.length === 0 && ignoredTop.has(k)) continue;
      if (prefix.length === 1 && prefix[0] === 'f:metadata' && ignoredMeta.has(k)) continue;
      const path = [...prefix, `f:${k}`];
      const fm = fieldMeta(m, k);
      if (isObject(v) && Object.keys(v).length > 0) {
        walk(v, typeMeta(fm.type), path);
      } else if (Array.isArray(v) && fm.key !== undefined && v.every(isObject)) {
        for (const item of v) {
          const itemPath = [...path, itemSegment(fm.key, item)];
          out.add(JSON.stringify(itemPath));
          walk(item, typeMeta(fm.type), itemPath);
        }
      } else if (Array.isArray(v) && (fm.strategy ?? '').includes('merge') && !v.some(isObject)) {
        for (const x of v) out.add(JSON.stringify([...path, `v:${JSON.stringify(x)}`]));
      } else {
        out.add(JSON.stringify(path));
      }
    }
  };
  walk(config, meta, []);
  return out;
}

function itemSegment(key: string, item: Obj): Segment {
  return `k:${JSON.stringify({ [key]: item[key] })}`;
}

/** FieldsV1: the path set as nested `f:`/`k:`/`v:` objects, `.` marking a list item itself. */
export function toFieldsV1(paths: Iterable<PathKey>): Obj {
  const root: Obj = {};
  for (const key of paths) {
    const segs = JSON.parse(key) as Segment[];
    let node = root;
    for (const s of segs) node = (node[s] ??= {}) as Obj;
    if (segs[segs.length - 1]?.startsWith('k:')) node['.'] = {};
  }
  return root;
}

export function fromFieldsV1(fields: unknown): Set<PathKey> {
  const out = new Set<PathKey>();
  const walk = (node: Obj, prefix: Segment[]): void => {
    const children = Object.entries(node).filter(([k]) => k !== '.');
    if (prefix.length > 0 && ('.' in node || children.length === 0)) out.add(JSON.stringify(prefix));
    for (const [k, v] of children) if (isObject(v)) walk(v, [...prefix, k]);
  };
  if (isObject(fields)) walk(fields, []);
  return out;
}

/** `.spec.template.spec.containers[name="app"].image`, as Kubernetes prints a field path. */
export function printPath(key: PathKey): string {
  return (JSON.parse(key) as Segment[])
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      if (s.startsWith('k:')) return `[${Object.entries(JSON.parse(s.slice(2)) as Obj).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
      return `[=${s.slice(2)}]`;
    })
    .join('');
}

/** The value at a path, or undefined when it is not there. Set members and items resolve to themselves. */
function resolve(obj: unknown, key: PathKey): unknown {
  let cur: unknown = obj;
  for (const s of JSON.parse(key) as Segment[]) {
    if (s.startsWith('f:')) cur = isObject(cur) ? cur[s.slice(2)] : undefined;
    else if (s.startsWith('k:')) cur = Array.isArray(cur) ? cur.find((e) => matchesItem(e, s)) : undefined;
    else cur = Array.isArray(cur) && cur.some((e) => isDeepStrictEqual(e, JSON.parse(s.slice(2)))) ? JSON.parse(s.slice(2)) : undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

const lastSegment = (key: PathKey): Segment => (JSON.parse(key) as Segment[]).at(-1) ?? '';

/** Whether the path is a merge-key field of a list item (`…[name="app"].name`). */
function isItemKey(key: PathKey): boolean {
  const segs = JSON.parse(key) as Segment[];
  const item = segs.at(-2);
  return !!item?.startsWith('k:') && Object.hasOwn(JSON.parse(item.slice(2)) as Obj, (segs.at(-1) ?? '').slice(2));
}

function matchesItem(e: unknown, seg: Segment): boolean {
  return isObject(e) && Object.entries(JSON.parse(seg.slice(2)) as Obj).every(([k, v]) => isDeepStrictEqual(e[k], v));
}

/** Removes the field, item or set member at `key` from `obj` (in place). */
function removePath(obj: Obj, key: PathKey): void {
  const segs = JSON.parse(key) as Segment[];
  const last = segs.pop()!;
  if (last.startsWith('f:')) {
    const holder = resolve(obj, JSON.stringify(segs));
    if (isObject(holder)) delete holder[last.slice(2)];
    return;
  }
  // Items and set members live in the list that the previous segment names.
  const listSeg = segs.pop();
  const holder = resolve(obj, JSON.stringify(segs));
  if (!listSeg?.startsWith('f:') || !isObject(holder)) return;
  const list = holder[listSeg.slice(2)];
  if (!Array.isArray(list)) return;
  const keep = last.startsWith('k:') ? (e: unknown) => !matchesItem(e, last) : (e: unknown) => !isDeepStrictEqual(e, JSON.parse(last.slice(2)));
  holder[listSeg.slice(2)] = list.filter(keep);
}

function entriesOf(obj: KubeObject): ManagedFieldsEntry[] {
  return Array.isArray(obj.metadata.managedFields) ? (obj.metadata.managedFields as ManagedFieldsEntry[]) : [];
}

function applyEntry(req: ApplyRequest, paths: Set<PathKey>): ManagedFieldsEntry {
  return { manager: req.manager, operation: 'Apply', apiVersion: req.apiVersion, time: nowRfc3339(), fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(paths) };
}

/** The config without what the server owns, ready to merge or create from. */
function applicable(config: Obj): Obj {
  const { status: _s, ...rest } = config;
  const meta = isObject(rest.metadata) ? { ...rest.metadata } : {};
  delete meta.managedFields;
  return { ...rest, metadata: meta };
}

/** The object to create when nothing is there yet: the config, owned by the applier. */
export function applyCreate(config: Obj, req: ApplyRequest): KubeObject {
  const obj = applicable(config) as KubeObject;
  obj.metadata.managedFields = [applyEntry(req, fieldSet(config, req.meta))];
  return obj;
}

/** The live object after applying `config`; throws 409 with the conflicting fields. */
export function applyToLive(live: KubeObject, config: Obj, req: ApplyRequest): KubeObject {
  const applied = fieldSet(config, req.meta);
  const entries = entriesOf(live);
  const mine = entries.find((e) => e.manager === req.manager && e.operation === 'Apply' && !e.subresource);
  const previous = mine ? fromFieldsV1(mine.fieldsV1) : new Set<PathKey>();
  const others = entries.filter((e) => e !== mine).map((e) => ({ entry: e, paths: fromFieldsV1(e.fieldsV1) }));

  const conflicts: Array<{ manager: string; path: PathKey }> = [];
  for (const o of others) {
    if (o.entry.operation !== 'Apply') continue;
    for (const p of applied) {
      if (!o.paths.has(p) || !lastSegment(p).startsWith('f:')) continue;
      if (!isDeepStrictEqual(resolve(live, p), resolve(config, p))) conflicts.push({ manager: o.entry.manager ?? '', path: p });
    }
  }
  if (conflicts.length > 0 && !req.force) throw conflictError(conflicts, req.apiVersion, live);
  // Forced: the applier takes the fields over.
  for (const c of conflicts) others.find((o) => o.entry.manager === c.manager && o.entry.operation === 'Apply')?.paths.delete(c.path);

  // Fields this manager applied before and leaves out now go, unless someone else still owns them.
  const owned = new Set([...applied, ...others.flatMap((o) => [...o.paths])]);
  // The path keys of a field's descendants start with its own key less the closing bracket.
  const ownsInside = (p: PathKey): boolean => [...owned].some((q) => q !== p && q.startsWith(p.slice(0, -1)));
  const out = structuredClone(live) as Obj;
  // Outer paths first: once an item is gone, the fields inside it need nothing more.
  const dropped = [...previous].filter((p) => !owned.has(p)).sort((a, b) => a.length - b.length);
  for (const p of dropped) {
    // A list item goes only when no field inside it is still owned; its key fields go with it.
    if (lastSegment(p).startsWith('k:') ? ownsInside(p) : isItemKey(p)) continue;
    removePath(out, p);
  }

  const merged = strategicMergePatch(out, applicable(config), req.meta) as KubeObject;
  merged.metadata.managedFields = [
    ...others.filter((o) => o.paths.size > 0).map((o) => (o.entry.fieldsType === 'FieldsV1' ? { ...o.entry, fieldsV1: toFieldsV1(o.paths) } : o.entry)),
    applyEntry(req, applied),
  ];
  return merged;
}

function conflictError(conflicts: Array<{ manager: string; path: PathKey }>, apiVersion: string, live: KubeObject): ApiError {
  const n = conflicts.length;
  const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${apiVersion}: ${printPath(c.path)}`);
  const message = `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${lines.join('\n')}`;
  return new ApiError(409, 'Conflict', message, {
    ...(live.metadata.name ? { name: live.metadata.name } : {}),
    ...(live.kind ? { kind: live.kind } : {}),
    causes: conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${apiVersion}`, field: printPath(c.path) })),
  });
}
