// The watch cache's copy of every object at its revision, as stored bytes, so that lists at a
// resourceVersion the cache holds (resourceVersion=0, "not older than N") are served without
// etcd, as kube-apiserver's cacher serves them. Objects are parsed only when listed.
import type { Etcd3 } from 'etcd3';
import { decodeValue, prefixEnd, type ListResult } from './store.js';
import type { KubeObject } from '../../api/resource.js';

interface Entry {
  value: Buffer;
  rev: number;
}

/** One collection (`/registry/pods/`): its keys, and their sorted order once a list asks. */
interface Bucket {
  entries: Map<string, Entry>;
  sorted?: string[];
}

/** Keys are read from etcd this many at a time (one gRPC message stays well under 4 MiB). */
const loadPage = 500;

export class CacheState {
  private buckets = new Map<string, Bucket>();

  constructor(private readonly root: string) {}

  /** The collection a key or list prefix belongs to: the root and one more path segment. */
  private bucketOf(key: string): string | undefined {
    const end = key.indexOf('/', this.root.length);
    return end < 0 ? undefined : key.slice(0, end + 1);
  }

  /** Replaces everything with etcd's contents at `revision`, read in pages (lists meanwhile see the old state). */
  /** Loads the prefix at `revision`; `read` gives the plaintext of a stored value (encryption at rest). */
  async load(client: Etcd3, revision: number, read?: (key: string, value: Buffer) => Buffer): Promise<void> {
    const fresh = new Map<string, Bucket>();
    const end = prefixEnd(this.root);
    let start = Buffer.from(this.root);
    for (;;) {
      const res = await client.kv.range({ key: start, range_end: end, revision, limit: loadPage });
      for (const kv of res.kvs) {
        const key = kv.key.toString();
        this.put(key, read && kv.value.length > 0 ? read(key, kv.value) : kv.value, Number(kv.mod_revision), fresh);
      }
      if (!res.more || res.kvs.length === 0) break;
      start = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
    }
    this.buckets = fresh;
  }

  put(key: string, value: Buffer, rev: number, buckets = this.buckets): void {
    const name = this.bucketOf(key);
    if (name === undefined) return;
    let bucket = buckets.get(name);
    if (!bucket) buckets.set(name, (bucket = { entries: new Map() }));
    if (!bucket.entries.has(key)) bucket.sorted = undefined;
    bucket.entries.set(key, { value, rev });
  }

  delete(key: string): void {
    const bucket = this.buckets.get(this.bucketOf(key) ?? '');
    if (bucket?.entries.delete(key)) bucket.sorted = undefined;
  }

  /**
   * One page of `prefix` in key order, as Store.list reads it from etcd, at `revision` (the
   * cache's). `filter` applies before `limit`, so a page holds `limit` matching objects.
   */
  list(prefix: string, revision: number, opts: { startKey?: string; limit?: number; filter?: (o: KubeObject) => boolean } = {}): ListResult {
    const bucket = this.buckets.get(this.bucketOf(prefix) ?? '');
    if (!bucket) return { items: [], revision };
    bucket.sorted ??= [...bucket.entries.keys()].sort(byBytes);
    const keys = bucket.sorted;
    const from = opts.startKey !== undefined && opts.startKey > prefix ? opts.startKey : prefix;
    const want = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const items: KubeObject[] = [];
    for (let i = lowerBound(keys, from); i < keys.length; i++) {
      const key = keys[i]!;
      if (!key.startsWith(prefix)) break;
      const entry = bucket.entries.get(key)!;
      const obj = decodeValue(entry.value, entry.rev);
      if (opts.filter && !opts.filter(obj)) continue;
      items.push(obj);
      if (want && items.length >= want) {
        const more = i + 1 < keys.length && keys[i + 1]!.startsWith(prefix);
        if (!more) return { items, revision };
        let rest = 0;
        if (!opts.filter) for (let j = i + 1; j < keys.length && keys[j]!.startsWith(prefix); j++) rest++;
        return { items, revision, nextKey: key + '\0', ...(opts.filter ? {} : { remaining: rest }) };
      }
    }
    return { items, revision };
  }
}

/** etcd orders keys by their bytes; for the ASCII keys of the registry that is code-unit order. */
function byBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function lowerBound(sorted: string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
