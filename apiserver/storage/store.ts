// The storage contract (after kube-apiserver's storage.Interface): create, get, list,
// guaranteedUpdate and delete on etcd, with resourceVersion = etcd mod revision.
// Knows nothing about kinds; strategies live in apiserver/registry.
import { isDeepStrictEqual } from 'node:util';
import { Etcd3 } from 'etcd3';
import type { IKeyValue, IRequestOp } from 'etcd3';
import type { KubeObject } from '../../api/resource.js';

export class StorageError extends Error {
  constructor(
    readonly kind: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Compacted' | 'FutureRevision' | 'ClaimTaken',
    readonly key: string,
    message?: string,
  ) {
    super(message ?? `${kind}: ${key}`);
  }
}

export interface Stored {
  obj: KubeObject;
  rev: number;
}

export interface ListResult {
  items: KubeObject[];
  /** The revision the whole list was read at. */
  revision: number;
  /** Key to resume from (exclusive of everything before it), when more remain. */
  nextKey?: string;
  remaining?: number;
}

const enc = (s: string) => Buffer.from(s);

/** The key just after every key with this prefix (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): Buffer {
  const b = Buffer.from(prefix);
  for (let i = b.length - 1; i >= 0; i--) {
    if (b[i]! < 0xff) {
      b[i] = b[i]! + 1;
      return b.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

export function decodeKv(kv: IKeyValue): KubeObject {
  return decodeValue(kv.value, kv.mod_revision);
}

function decodeValue(value: Buffer, rev: number | string): KubeObject {
  const obj = JSON.parse(value.toString()) as KubeObject;
  obj.metadata.resourceVersion = String(rev);
  return obj;
}

/**
 * Serialised form: kind, apiVersion and metadata first (the order Kubernetes writes), and no
 * resourceVersion (that is the etcd revision). The fixed start lets a watch event be written
 * from the stored bytes without parsing them (jsonWithRv).
 */
export function encodeObject(obj: KubeObject): Buffer {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  const { kind, apiVersion, metadata: _m, ...rest } = obj;
  return enc(JSON.stringify({ kind, apiVersion, metadata, ...rest }));
}

const encodedStart = /^\{"kind":"[A-Za-z0-9]+","apiVersion":"[A-Za-z0-9./-]+","metadata":\{"/;

/**
 * The object's JSON with its resourceVersion, spliced into stored bytes that start as
 * encodeObject writes them; undefined for anything else (the caller parses instead).
 */
export function jsonWithRv(value: Buffer, rev: number | string): string | undefined {
  const text = value.toString();
  const m = encodedStart.exec(text);
  if (!m) return undefined;
  const at = m[0].length - 1; // before the first metadata key's opening quote
  return `${text.slice(0, at)}"resourceVersion":"${rev}",${text.slice(at)}`;
}

/**
 * Whether an update changes nothing. Equal bytes say so at once; a no-op whose keys came in
 * another order (a client's PUT) has the same length, and only then are the values compared.
 */
function sameContent(next: Buffer, stored: Buffer): boolean {
  if (next.length !== stored.length) return false;
  return next.equals(stored) || isDeepStrictEqual(JSON.parse(next.toString()), JSON.parse(stored.toString()));
}

function isCompacted(err: unknown): boolean {
  return err instanceof Error && /compacted/i.test(err.message);
}

/** How many recently read or written objects guaranteedUpdate may start from without a read. */
const recentCapacity = 20_000;

export class Store {
  readonly client: Etcd3;
  /**
   * The last version of an object this apiserver read or wrote, by key. An update starts from it
   * instead of reading etcd first (one round trip instead of two); the compare-and-swap still
   * guards the write, and a stale start is retried from what the failed transaction returned —
   * as kube-apiserver's GuaranteedUpdate does with its cached object.
   */
  private readonly recent = new Map<string, { value: Buffer; rev: number }>();

  constructor(etcdServers: string[]) {
    // gRPC's default 4 MiB receive limit failed lists of a few thousand pods; kube-apiserver lifts it too.
    this.client = new Etcd3({ hosts: etcdServers, grpcOptions: { 'grpc.max_receive_message_length': -1 } });
  }

  close(): void {
    this.client.close();
  }

  async currentRevision(): Promise<number> {
    const res = await this.client.kv.range({ key: enc('\0'), limit: 1, count_only: true });
    return Number(res.header.revision);
  }

  async get(key: string): Promise<Stored | undefined> {
    const raw = await this.getRaw(key);
    return raw && { obj: decodeValue(raw.value, raw.rev), rev: raw.rev };
  }

  /** The stored bytes and revision of one key (remembered for the next update). */
  private async getRaw(key: string): Promise<{ value: Buffer; rev: number } | undefined> {
    const res = await this.client.kv.range({ key: enc(key) });
    const kv = res.kvs[0];
    const raw = kv ? { value: kv.value, rev: Number(kv.mod_revision) } : undefined;
    this.remember(key, raw);
    return raw;
  }

  /**
   * Keeps the stored bytes (never the caller's object, which it may mutate; bytes cost nothing
   * to keep and are decoded only when an update uses them), or forgets a deleted key.
   */
  private remember(key: string, stored: { value: Buffer; rev: number } | undefined): void {
    this.recent.delete(key);
    if (!stored) return;
    this.recent.set(key, stored);
    if (this.recent.size > recentCapacity) this.recent.delete(this.recent.keys().next().value as string);
  }

  /**
   * Create only if absent. `claims` are side keys (allocated IPs, ports) taken in the same
   * transaction; one already held fails the create with ClaimTaken naming it.
   */
  async create(key: string, obj: KubeObject, lease?: string, claims: string[] = []): Promise<KubeObject> {
    const value = encodeObject(obj);
    const res = await this.client.kv.txn({
      compare: [key, ...claims].map((k) => ({ key: enc(k), target: 'Create' as const, result: 'Equal' as const, create_revision: 0 })),
      success: [{ request_put: { key: enc(key), value, ...(lease ? { lease } : {}) } }, ...claims.map((c) => ({ request_put: { key: enc(c), value: enc(key) } }))],
      failure: [],
    });
    if (!res.succeeded) {
      if (await this.get(key)) throw new StorageError('AlreadyExists', key);
      throw new StorageError('ClaimTaken', (await this.firstPresent(claims)) ?? key);
    }
    const created = withRv(obj, res.header.revision);
    this.remember(key, { value, rev: Number(res.header.revision) });
    return created;
  }

  private async firstPresent(keys: string[]): Promise<string | undefined> {
    for (const k of keys) if ((await this.client.kv.range({ key: enc(k), count_only: true })).count !== '0') return k;
    return undefined;
  }

  /**
   * Read-modify-write with compare-and-swap on the mod revision, retried on races.
   * `update` returns the new object, or `null` to delete it, or the same reference to skip the write.
   * `expectRv` pins the first attempt to the caller's resourceVersion (409 if stale, never retried).
   */
  async guaranteedUpdate(
    key: string,
    update: (current: KubeObject) => KubeObject | null | Promise<KubeObject | null>,
    opts: { expectRv?: number; lease?: () => Promise<string | undefined>; holds?: (obj: KubeObject) => string[] } = {},
  ): Promise<{ obj: KubeObject; deleted: boolean; changed: boolean }> {
    const recent = this.recent.get(key);
    let hint = recent && (opts.expectRv === undefined || recent.rev === opts.expectRv) ? recent : undefined;
    for (let attempt = 0; ; attempt++) {
      const fromHint = hint !== undefined;
      const stored = hint ?? (await this.getRaw(key));
      hint = undefined;
      if (!stored) throw new StorageError('NotFound', key);
      if (opts.expectRv !== undefined && stored.rev !== opts.expectRv) throw new StorageError('Conflict', key);
      // `update` gets its own decoded copy and may change it in place; the stored bytes stay the
      // reference for "did anything change", so no clone is needed.
      const cur = decodeValue(stored.value, stored.rev);
      const held = opts.holds?.(cur) ?? [];
      let next: KubeObject | null;
      try {
        next = await update(cur);
      } catch (err) {
        if (fromHint) continue; // judged on a possibly stale copy: judge again on a fresh read
        throw err;
      }
      if (next === null) {
        const ok = await this.casOp(key, stored.rev, { request_delete_range: { key: enc(key) } }, { claim: [], release: held });
        if (ok !== undefined) {
          this.remember(key, undefined);
          return { obj: decodeValue(stored.value, ok), deleted: true, changed: true };
        }
      } else {
        const value = encodeObject(next);
        if (sameContent(value, stored.value)) {
          if (fromHint) continue; // "nothing to do" must be true of the stored object
          return { obj: withRv(next, stored.rev), deleted: false, changed: false };
        }
        const lease = await opts.lease?.();
        const now = opts.holds?.(next) ?? [];
        const side = { claim: now.filter((k) => !held.includes(k)), release: held.filter((k) => !now.includes(k)) };
        const ok = await this.casOp(key, stored.rev, { request_put: { key: enc(key), value, ...(lease ? { lease } : {}) } }, side);
        if (ok !== undefined) {
          const written = withRv(next, ok);
          this.remember(key, { value, rev: Number(ok) });
          return { obj: written, deleted: false, changed: true };
        }
      }
      if (opts.expectRv !== undefined) throw new StorageError('Conflict', key);
      if (attempt > 50) throw new StorageError('Conflict', key, `too many concurrent writers on ${key}`);
    }
  }

  /** Delete if the stored revision is still `rev` (releasing its side keys); returns the deletion revision or throws Conflict. */
  async deleteAt(key: string, rev: number, release: string[] = []): Promise<number> {
    const ok = await this.casOp(key, rev, { request_delete_range: { key: enc(key) } }, { claim: [], release });
    if (ok === undefined) throw new StorageError('Conflict', key);
    this.remember(key, undefined);
    return Number(ok);
  }

  /** One write if `key` is still at `rev`; side keys claimed (must be free) and released with it. */
  private async casOp(key: string, rev: number, op: IRequestOp, side: { claim: string[]; release: string[] } = { claim: [], release: [] }): Promise<string | undefined> {
    const res = await this.client.kv.txn({
      compare: [
        { key: enc(key), target: 'Mod', result: 'Equal', mod_revision: rev },
        ...side.claim.map((k) => ({ key: enc(k), target: 'Create' as const, result: 'Equal' as const, create_revision: 0 })),
      ],
      success: [
        op,
        ...side.claim.map((c) => ({ request_put: { key: enc(c), value: enc(key) } })),
        ...side.release.map((r) => ({ request_delete_range: { key: enc(r) } })),
      ],
      failure: [],
    });
    if (res.succeeded) return res.header.revision;
    if (side.claim.length > 0 && (await this.get(key))?.rev === rev) {
      throw new StorageError('ClaimTaken', (await this.firstPresent(side.claim)) ?? key);
    }
    return undefined;
  }

  /**
   * One page of a prefix, read at one revision. `filter` is applied here so that `limit`
   * counts matching objects, as Kubernetes does.
   */
  async list(
    prefix: string,
    opts: { revision?: number; startKey?: string; limit?: number; filter?: (o: KubeObject) => boolean } = {},
  ): Promise<ListResult> {
    const end = prefixEnd(prefix);
    let start = enc(opts.startKey ?? prefix);
    let revision = opts.revision;
    const items: KubeObject[] = [];
    const want = opts.limit && opts.limit > 0 ? opts.limit : 0;
    const chunk = want ? Math.max(want, 50) : 0;
    for (;;) {
      let res;
      try {
        res = await this.client.kv.range({ key: start, range_end: end, ...(revision ? { revision } : {}), ...(chunk ? { limit: chunk } : {}) });
      } catch (err) {
        if (isCompacted(err)) throw new StorageError('Compacted', prefix, `revision ${revision} has been compacted`);
        if (err instanceof Error && /future revision/i.test(err.message)) throw new StorageError('FutureRevision', prefix, `Too large resource version: ${revision}`);
        throw err;
      }
      revision ??= Number(res.header.revision);
      for (let i = 0; i < res.kvs.length; i++) {
        const kv = res.kvs[i]!;
        const obj = decodeKv(kv);
        if (opts.filter && !opts.filter(obj)) continue;
        items.push(obj);
        if (want && items.length >= want) {
          const more = i < res.kvs.length - 1 || res.more;
          if (!more) return { items, revision };
          const nextKey = kv.key.toString() + '\0';
          const remaining = opts.filter ? undefined : Number(res.count) - (i + 1);
          return { items, revision, nextKey, ...(remaining !== undefined ? { remaining } : {}) };
        }
      }
      if (!want || !res.more || res.kvs.length === 0) return { items, revision };
      start = Buffer.concat([res.kvs[res.kvs.length - 1]!.key, Buffer.from([0])]);
    }
  }

  async compact(revision: number): Promise<void> {
    try {
      await this.client.kv.compact({ revision, physical: false });
    } catch (err) {
      if (!isCompacted(err)) throw err;
    }
  }

  /** A lease for objects that expire (Events); callers share one per time window. */
  async grantLease(ttlSeconds: number): Promise<string> {
    const res = await this.client.leaseClient.leaseGrant({ TTL: ttlSeconds });
    return res.ID;
  }
}

function withRv(obj: KubeObject, rev: string | number): KubeObject {
  obj.metadata.resourceVersion = String(rev);
  return obj;
}
