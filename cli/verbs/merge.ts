// Client-side apply's three-way merge, as a JSON merge patch: fields dropped from the config since
// the last apply become null, fields the config sets differently from the live object are set.
// Lists are sent whole when they changed (the server's merge-patch then replaces them), which is
// correct for every kind where strategic merge by key would be cleverer but riskier to mimic.

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The patch taking `current` to `modified`, deleting what `original` (the last applied config)
 * had and `modified` no longer has. An empty object means nothing to do.
 */
export function threeWayMergePatch(original: JsonObject | undefined, modified: JsonObject, current: JsonObject): JsonObject {
  const patch: JsonObject = {};
  if (original) {
    for (const k of Object.keys(original)) if (!(k in modified)) patch[k] = null;
  }
  for (const [k, m] of Object.entries(modified)) {
    const c = current[k];
    const o = original?.[k];
    if (m === null) {
      if (c !== undefined && c !== null) patch[k] = null;
    } else if (isObject(m) && isObject(c)) {
      const sub = threeWayMergePatch(isObject(o) ? o : undefined, m, c);
      if (Object.keys(sub).length > 0) patch[k] = sub;
    } else if (Array.isArray(m)) {
      if (!covers(c, m) || (o !== undefined && !deepEqual(o, m))) patch[k] = m;
    } else if (!covers(c, m)) {
      patch[k] = m;
    }
  }
  return patch;
}

/** True when `live` already has everything `want` sets (live may hold more: defaults, status). */
export function covers(live: Json | undefined, want: Json): boolean {
  if (Array.isArray(want)) {
    return Array.isArray(live) && live.length === want.length && want.every((w, i) => covers(live[i], w));
  }
  if (isObject(want)) {
    return isObject(live) && Object.entries(want).every(([k, w]) => (w === null ? live[k] === undefined || live[k] === null : covers(live[k], w)));
  }
  return live === want;
}

export function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** JSON with object keys sorted, so the annotation of an unchanged config is byte-identical. */
export function canonicalJson(v: Json): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k]!)]));
  return v;
}
