// The generic registry (after kube-apiserver's genericregistry.Store): create, get, list,
// update, delete for any kind, with metadata rules and CAS storage. Each write runs mutating
// admission → validation → validating admission → the kind's strategy; no kind is named here.
import { randomBytes, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { alreadyExists, ApiError, badRequest, conflict, gone, invalid, notFound } from '../errors.js';
import { StorageError, type Store } from '../storage/store.js';
import { noAdmission, type AdmissionChain, type AdmissionRequest } from '../admission/chain.js';
import { apiserverUser, type UserInfo } from '../auth/user.js';
import { admitObject, nowRfc3339, type FieldValidation } from './admit.js';
import type { Predicate } from './predicate.js';
import type { Allocator, Strategy, StrategyTable } from './strategy.js';

export interface WriteOptions {
  dryRun?: boolean;
  validation?: FieldValidation;
  /** Who writes (admission plugins judge by it); the apiserver itself when absent. */
  user?: UserInfo;
}

export interface DeleteOptions {
  user?: UserInfo;
  dryRun?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface ListOptions {
  predicate: Predicate;
  limit?: number;
  continueToken?: string;
  /** Read at exactly this revision (resourceVersionMatch=Exact). */
  revision?: number;
  /** Where to read a list that needs neither a revision nor a continue token (the watch cache); default etcd. */
  source?: Pick<Store, 'list'>;
}

export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continueToken?: string;
  remainingItemCount?: number;
}

export interface WriteResult {
  obj: KubeObject;
  warnings: string[];
}

/** Whether anything outside metadata and status changed: that bumps metadata.generation. */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const { metadata: _am, status: _as, ...restA } = a;
  const { metadata: _bm, status: _bs, ...restB } = b;
  return !isDeepStrictEqual(restA, restB);
}

function rv(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n <= 0) throw badRequest(`invalid resourceVersion "${s}": must be a positive integer`);
  return n;
}

export class Registry {
  private leaseCache?: { id: string; at: number };

  constructor(
    private readonly store: Store,
    readonly prefix: string,
    private readonly strategies: StrategyTable,
    private readonly admission: AdmissionChain = noAdmission,
  ) {}

  collectionPrefix(rt: ResourceType, namespace?: string): string {
    return rt.namespaced && namespace ? `${this.prefix}/${rt.plural}/${namespace}/` : `${this.prefix}/${rt.plural}/`;
  }

  key(rt: ResourceType, namespace: string | undefined, name: string): string {
    return rt.namespaced ? `${this.prefix}/${rt.plural}/${namespace}/${name}` : `${this.prefix}/${rt.plural}/${name}`;
  }

  private mapStorageError(err: unknown, rt: ResourceType, name: string): never {
    if (err instanceof StorageError) {
      if (err.kind === 'NotFound') throw notFound(rt, name);
      if (err.kind === 'AlreadyExists') throw alreadyExists(rt, name);
      if (err.kind === 'Conflict') throw conflict(rt, name);
      if (err.kind === 'FutureRevision') {
        throw new ApiError(504, 'Timeout', `${err.message}, current: ${'unknown'}`, { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 });
      }
      if (err.kind === 'Compacted') throw gone(`The provided continue parameter is too old to display a consistent list result. ${err.message}`);
    }
    throw err;
  }

  /** Lease shared by objects created within the same minute, so Events expire without a lease each. */
  private async leaseFor(ttl: number): Promise<string> {
    const now = Date.now();
    if (!this.leaseCache || now - this.leaseCache.at > 60_000) {
      this.leaseCache = { id: await this.store.grantLease(ttl + 60), at: now };
    }
    return this.leaseCache.id;
  }

  async create(rt: ResourceType, namespace: string | undefined, body: unknown, opts: WriteOptions = {}): Promise<WriteResult> {
    const meta = (body as { metadata?: { namespace?: unknown; name?: unknown; generateName?: unknown } } | null)?.metadata;
    if (rt.namespaced && meta?.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const display = typeof meta?.name === 'string' ? meta.name : '';
    const { obj, warnings } = admitObject(rt, body, { validation: opts.validation ?? 'Warn', name: display, skipValidate: true });
    const m = obj.metadata;
    if (rt.namespaced) m.namespace = namespace;
    else delete m.namespace;
    const generated = !m.name && !!m.generateName;
    if (generated) m.name = m.generateName + randomSuffix();
    const review: AdmissionRequest = { operation: 'CREATE', rt, name: m.name ?? '', object: obj, user: opts.user ?? apiserverUser, dryRun: !!opts.dryRun, ...(rt.namespaced ? { namespace: namespace! } : {}) };
    await this.admission.mutate(review);
    // Set before validation: some kinds derive fields from it (prepareForCreate).
    m.uid = randomUUID();
    rt.prepareForCreate?.(obj);
    const errors = rt.validate(obj);
    if (!m.name && !errors.some((e) => e.field === 'metadata.name')) {
      errors.unshift({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
    }
    if (errors.length > 0) throw invalid(rt, m.name ?? '', errors);
    await this.admission.validate(review);

    m.creationTimestamp = nowRfc3339();
    const strategy = this.strategies(rt);
    if (tracksGeneration(rt, strategy.tracksGeneration)) m.generation = 1;
    else delete m.generation;
    delete m.resourceVersion;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    if (strategy.initialStatus) obj.status = strategy.initialStatus(obj);
    const alloc = strategy.allocate;
    const requested = alloc ? new Set(alloc.held(obj)) : new Set<string>();
    const template = alloc ? structuredClone(obj.spec) : undefined;
    let claims = alloc ? alloc.assign(obj, undefined).claim : [];
    if (opts.dryRun) return { obj, warnings };
    const lease = strategy.ttlSeconds ? await this.leaseFor(strategy.ttlSeconds) : undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return { obj: await this.store.create(this.key(rt, namespace, m.name!), obj, lease, claims), warnings };
      } catch (err) {
        // A generated name that collided gets another suffix, as Kubernetes retries.
        if (generated && err instanceof StorageError && err.kind === 'AlreadyExists' && attempt < 8) {
          m.name = m.generateName + randomSuffix();
          continue;
        }
        if (alloc && err instanceof StorageError && err.kind === 'ClaimTaken') {
          // An address we picked was taken meanwhile: pick again. One the user asked for: 422.
          if (requested.has(err.key) || attempt >= 8) throw alloc.takenError(obj, err.key);
          obj.spec = structuredClone(template);
          claims = alloc.assign(obj, undefined).claim;
          continue;
        }
        this.mapStorageError(err, rt, m.name!);
      }
    }
  }

  /** The kind's strategy (for subresources a kind serves itself). */
  strategy(rt: ResourceType): Strategy {
    return this.strategies(rt);
  }

  private allocatorFor(rt: ResourceType): Allocator | undefined {
    return this.strategies(rt).allocate;
  }

  /** Side keys an object holds in storage (a Service's IPs and ports). */
  private holdsFor(rt: ResourceType): ((obj: KubeObject) => string[]) | undefined {
    const alloc = this.allocatorFor(rt);
    return alloc ? (obj) => alloc.held(obj) : undefined;
  }

  /** An object being deleted whose last finalizer was just removed goes away (null = delete). */
  finalizeIfDone(rt: ResourceType, obj: KubeObject): KubeObject | null {
    const m = obj.metadata;
    if (m.deletionTimestamp && (m.finalizers ?? []).length === 0 && (m.deletionGracePeriodSeconds ?? 0) === 0) {
      if (!this.strategies(rt).holdsDeletion?.(obj)) return null;
    }
    return obj;
  }

  async get(rt: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    const got = await this.store.get(this.key(rt, namespace, name));
    if (!got) throw notFound(rt, name);
    return got.obj;
  }

  async list(rt: ResourceType, namespace: string | undefined, opts: ListOptions): Promise<ListPage> {
    let prefix = this.collectionPrefix(rt, namespace);
    let startKey: string | undefined;
    let revision = opts.revision;
    if (opts.continueToken) {
      const tok = decodeContinue(opts.continueToken);
      if (!tok.key.startsWith(prefix)) throw badRequest('invalid continue token: it belongs to another collection');
      startKey = tok.key;
      revision = tok.rev;
    }
    // A name selector reads one key's range instead of the collection.
    if (opts.predicate.name !== undefined && rt.namespaced === !!namespace) prefix = this.key(rt, namespace, opts.predicate.name);
    try {
      const source = revision === undefined && startKey === undefined ? (opts.source ?? this.store) : this.store;
      const res = await source.list(prefix, {
        ...(revision !== undefined ? { revision } : {}),
        ...(startKey !== undefined ? { startKey } : {}),
        ...(opts.limit ? { limit: opts.limit } : {}),
        ...(opts.predicate.everything ? {} : { filter: opts.predicate.matches }),
      });
      // An exact-name prefix also matches longer names (`web` vs `web-1`): keep exact hits only.
      const items = opts.predicate.name !== undefined ? res.items.filter((o) => o.metadata.name === opts.predicate.name) : res.items;
      return {
        items,
        resourceVersion: String(res.revision),
        ...(res.nextKey ? { continueToken: encodeContinue(res.nextKey, res.revision) } : {}),
        ...(res.remaining !== undefined ? { remainingItemCount: res.remaining } : {}),
      };
    } catch (err) {
      this.mapStorageError(err, rt, '');
    }
  }

  /** PUT of the main resource (status kept) or, with `subresource: 'status'`, of status only. */
  async update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    opts: WriteOptions & { subresource?: 'status' } = {},
  ): Promise<WriteResult> {
    const bodyMeta = (body as { metadata?: { name?: unknown; resourceVersion?: unknown; namespace?: unknown } } | null)?.metadata;
    if (bodyMeta?.name !== undefined && bodyMeta.name !== name) {
      throw badRequest(`the name of the object (${String(bodyMeta.name)}) does not match the name on the URL (${name})`);
    }
    if (rt.namespaced && bodyMeta?.namespace !== undefined && bodyMeta.namespace !== '' && bodyMeta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    const expectRv = rv(typeof bodyMeta?.resourceVersion === 'string' ? bodyMeta.resourceVersion : undefined);
    const hasStatus = rt.subresources.includes('status');
    const strategy = this.strategies(rt);
    let warnings: string[] = [];
    const apply = async (old: KubeObject): Promise<KubeObject | null> => {
      const admitted = admitObject(rt, body, { validation: opts.validation ?? 'Warn', name, old, skipValidate: true });
      warnings = admitted.warnings;
      const status = opts.subresource === 'status';
      // Only status changes through /status: admission sees the stored object with the new status.
      const next = status ? { ...old, status: admitted.obj.status } : admitted.obj;
      const review: AdmissionRequest = {
        operation: 'UPDATE', rt, name, object: next, oldObject: old, user: opts.user ?? apiserverUser, dryRun: !!opts.dryRun,
        ...(namespace !== undefined ? { namespace } : {}), ...(status ? { subresource: 'status' } : {}),
      };
      await this.admission.mutate(review);
      // What the client sent is validated against the stored object (a changed uid is refused, not overwritten).
      const errors = rt.validate(admitted.obj, old);
      if (errors.length > 0) throw invalid(rt, admitted.obj.metadata.name ?? name, errors);
      await this.admission.validate(review);
      if (status) return next;
      next.metadata = { ...next.metadata, ...pickSystemMeta(old) };
      // Writers that do not send managedFields keep the recorded field ownership (as Kubernetes does).
      if (next.metadata.managedFields === undefined && old.metadata.managedFields !== undefined) next.metadata.managedFields = old.metadata.managedFields;
      if (hasStatus) next.status = old.status;
      strategy.allocate?.assign(next, old);
      if (tracksGeneration(rt, strategy.tracksGeneration)) next.metadata.generation = (old.metadata.generation ?? 1) + (specChanged(next, old) ? 1 : 0);
      else delete next.metadata.generation;
      return this.finalizeIfDone(rt, next);
    };
    const alloc = strategy.allocate;
    for (let attempt = 0; ; attempt++) {
      try {
        const obj = await this.guaranteedUpdate(rt, namespace, name, apply, { ...opts, ...(expectRv ? { expectRv } : {}) });
        return { obj, warnings };
      } catch (err) {
        if (!(alloc && err instanceof StorageError && err.kind === 'ClaimTaken')) throw err;
        // A NodePort picked for a type change was taken meanwhile: pick again, unless it was asked for.
        const asked = alloc.held({ metadata: {}, ...(body as object) } as KubeObject);
        if (asked.includes(err.key) || attempt >= 8) throw alloc.takenError({ metadata: { name }, ...(body as object) } as KubeObject, err.key);
      }
    }
  }

  /** Read-modify-write used by update, binding and the namespace finalizer. */
  async guaranteedUpdate(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    fn: (old: KubeObject) => KubeObject | null | Promise<KubeObject | null>,
    opts: { dryRun?: boolean; expectRv?: number } = {},
  ): Promise<KubeObject> {
    const key = this.key(rt, namespace, name);
    const strategy = this.strategies(rt);
    try {
      if (opts.dryRun) {
        const cur = await this.store.get(key);
        if (!cur) throw notFound(rt, name);
        if (opts.expectRv !== undefined && cur.rev !== opts.expectRv) throw conflict(rt, name);
        return (await fn(structuredClone(cur.obj))) ?? cur.obj;
      }
      const holds = this.holdsFor(rt);
      const res = await this.store.guaranteedUpdate(key, fn, {
        ...(holds ? { holds } : {}),
        ...(opts.expectRv !== undefined ? { expectRv: opts.expectRv } : {}),
        ...(strategy.ttlSeconds ? { lease: () => this.leaseFor(strategy.ttlSeconds!) } : {}),
      });
      return res.obj;
    } catch (err) {
      if (err instanceof StorageError && err.kind === 'ClaimTaken') throw err;
      this.mapStorageError(err, rt, name);
    }
  }

  async delete(rt: ResourceType, namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<{ obj: KubeObject; removed: boolean }> {
    const key = this.key(rt, namespace, name);
    const strategy = this.strategies(rt);
    for (let attempt = 0; attempt < 20; attempt++) {
      const cur = await this.store.get(key);
      if (!cur) throw notFound(rt, name);
      const obj = cur.obj;
      const review: AdmissionRequest = {
        operation: 'DELETE', rt, name, oldObject: obj, user: opts.user ?? apiserverUser, dryRun: !!opts.dryRun,
        ...(namespace !== undefined ? { namespace } : {}),
      };
      await this.admission.mutate(review);
      await this.admission.validate(review);
      const pre = opts.preconditions;
      if (pre?.uid && pre.uid !== obj.metadata.uid) {
        throw conflict(rt, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid}`);
      }
      if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
        throw conflict(rt, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
      }
      const next = structuredClone(obj);
      const m = next.metadata;
      const finalizers = [...(m.finalizers ?? [])];
      if (opts.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
      if (opts.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
      let remove: boolean;
      // The kind's plan sets the grace period even when finalizers hold the object: a pod keeps
      // its time for preStop hooks; finalizers only keep it from being removed yet.
      const plan = strategy.planDelete?.(next, opts.gracePeriodSeconds) ?? { kind: 'remove' as const };
      if (finalizers.length > 0 && plan.kind === 'remove') {
        m.finalizers = finalizers;
        // Nothing to wait for but the finalizers (a grace-0 delete shortens an earlier grace).
        if (!m.deletionTimestamp || Date.parse(m.deletionTimestamp) > Date.now()) m.deletionTimestamp = nowRfc3339();
        m.deletionGracePeriodSeconds = 0;
        remove = false;
      } else {
        if (finalizers.length > 0) m.finalizers = finalizers;
        if (plan.kind === 'mark') {
          const deadline = Date.now() + plan.graceSeconds * 1000;
          // A second delete may shorten the grace period, never lengthen it.
          if (!m.deletionTimestamp || Date.parse(m.deletionTimestamp) > deadline) {
            m.deletionTimestamp = nowRfc3339(deadline);
            m.deletionGracePeriodSeconds = plan.graceSeconds;
          }
          if (strategy.markedStatus) next.status = strategy.markedStatus(next);
          remove = false;
        } else {
          remove = true;
        }
      }
      if (opts.dryRun) return { obj: next, removed: remove };
      try {
        if (remove) {
          const at = await this.store.deleteAt(key, cur.rev, this.holdsFor(rt)?.(obj) ?? []);
          obj.metadata.resourceVersion = String(at);
          return { obj, removed: true };
        }
        const res = await this.store.guaranteedUpdate(key, () => next, { expectRv: cur.rev });
        return { obj: res.obj, removed: false };
      } catch (err) {
        if (err instanceof StorageError && (err.kind === 'Conflict' || err.kind === 'NotFound')) continue;
        throw err;
      }
    }
    throw conflict(rt, name, 'too many concurrent changes during delete');
  }
}

/** Kinds whose controllers report status.observedGeneration carry metadata.generation. */
function tracksGeneration(rt: ResourceType, declared: boolean | undefined): boolean {
  return declared ?? rt.subresources.includes('status');
}

/** Fields a client can never set through an update. */
function pickSystemMeta(old: KubeObject): Partial<KubeObject['metadata']> {
  const m = old.metadata;
  const out: Partial<KubeObject['metadata']> = { uid: m.uid, creationTimestamp: m.creationTimestamp };
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (m.deletionTimestamp !== undefined) out.deletionTimestamp = m.deletionTimestamp;
  if (m.deletionGracePeriodSeconds !== undefined) out.deletionGracePeriodSeconds = m.deletionGracePeriodSeconds;
  return out;
}

function randomSuffix(): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const bytes = randomBytes(5);
  return [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
}

function encodeContinue(key: string, rev: number): string {
  return Buffer.from(JSON.stringify({ v: 1, rv: rev, start: key })).toString('base64url');
}

function decodeContinue(token: string): { key: string; rev: number } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString()) as { rv?: unknown; start?: unknown };
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { key: t.start, rev: t.rv };
  } catch {
    /* fall through */
  }
  throw new ApiError(400, 'BadRequest', 'invalid continue token');
}
