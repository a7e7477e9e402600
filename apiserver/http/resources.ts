// The resource endpoints: one handler that maps (method, path, query) to a registry verb.
import type { ServerResponse } from 'node:http';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { ApiError, badRequest, methodNotAllowed } from '../errors.js';
import { admitObject, type FieldValidation } from '../registry/admit.js';
import type { UserInfo } from '../auth/user.js';
import { bindPod } from '../registry/binding.js';
import { buildPredicate } from '../registry/predicate.js';
import type { DeleteOptions, Registry, WriteOptions } from '../registry/rest.js';
import { getScale, updateScale } from '../registry/scale.js';
import type { WatchCache } from '../storage/watch-cache.js';
import { objectTable, tableEventEncoder, tableRequest, toTable } from '../tables/table.js';
import { apiVersionOf } from '../../api/resource.js';
import { queryBool } from '../../api/meta/v1/query.js';
import type { ApiRequest } from './api-request.js';
import { bodyKind, readBody } from './body.js';
import { contextOf } from './pipeline.js';
import { negotiate, watchInProtobuf } from './codec.js';
import { applyPatch } from './patch.js';
import { kindMeta } from './patch-meta.js';
import { applyCreate, applyToLive, type ApplyRequest } from './server-side-apply.js';
import type { RequestInfo } from './request-info.js';
import { listFrom } from './list-from.js';
import { serveWatch } from './watch.js';

export interface Served {
  status: number;
  body?: unknown;
  warnings?: string[];
  /** Set when the handler already streamed its own response (watch). */
  streamed?: boolean;
}

type Query = Record<string, unknown>;

function str(q: Query, key: string): string | undefined {
  const v = q[key];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : undefined;
}

function int(q: Query, key: string): number | undefined {
  const s = str(q, key);
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${key}: Invalid value: "${s}": must be a non-negative integer`);
  return n;
}

function bool(q: Query, key: string): boolean {
  return queryBool(key, str(q, key), badRequest);
}

function validationOf(q: Query): FieldValidation {
  const v = str(q, 'fieldValidation');
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

function dryRunOf(q: Query): boolean {
  const v = str(q, 'dryRun');
  if (v === undefined || v === '') return false;
  if (v === 'All') return true;
  throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
}

/** dryRun, fieldValidation and the user, for the registry's writes. */
function writeOptions(req: ApiRequest): WriteOptions {
  const q = req.query as Query;
  return { dryRun: dryRunOf(q), validation: validationOf(q), user: contextOf(req).user };
}

function listOf(rt: ResourceType, items: KubeObject[], meta: Record<string, unknown>): unknown {
  return { kind: rt.listKind, apiVersion: rt.group ? `${rt.group}/${rt.version}` : rt.version, metadata: meta, items };
}

function deleteOptions(q: Query, body: unknown): DeleteOptions {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const opts: DeleteOptions = {};
  const grace = int(q, 'gracePeriodSeconds') ?? (typeof b.gracePeriodSeconds === 'number' ? b.gracePeriodSeconds : undefined);
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const policy = str(q, 'propagationPolicy') ?? (typeof b.propagationPolicy === 'string' ? b.propagationPolicy : undefined);
  if (policy !== undefined) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw badRequest(`propagationPolicy: Unsupported value: "${policy}": supported values: "Background", "Foreground", "Orphan"`);
    }
    opts.propagationPolicy = policy;
  }
  if (b.orphanDependents === true && !opts.propagationPolicy) opts.propagationPolicy = 'Orphan';
  if (b.preconditions && typeof b.preconditions === 'object') opts.preconditions = b.preconditions as DeleteOptions['preconditions'];
  const dry = str(q, 'dryRun') ?? (Array.isArray(b.dryRun) ? (b.dryRun[0] as string | undefined) : undefined);
  if (dry === 'All') opts.dryRun = true;
  return opts;
}

/** Answers a kind that is only created, never stored (the access reviews): decoded, validated, answered. */
export type CreateOnlyHandler = (rt: ResourceType, obj: KubeObject, user: UserInfo, namespace: string | undefined) => KubeObject;

export class ResourceHandler {
  constructor(
    private readonly registry: Registry,
    private readonly cache: WatchCache,
    private readonly watchStarted: (rt: ResourceType) => () => void,
    private readonly createOnly?: CreateOnlyHandler,
  ) {}

  async handle(req: ApiRequest, res: ServerResponse, rt: ResourceType, info: RequestInfo): Promise<Served> {
    const q = req.query as Query;
    const ns = rt.namespaced ? info.namespace : undefined;
    if (rt.namespaced && info.name && !ns) throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
    if (rt.verbs) return this.answerCreateOnly(req, rt, ns, info);
    const method = req.method;
    const table = method === 'GET' && !info.subresource ? tableRequest(req.headers.accept, str(q, 'includeObject')) : undefined;

    if (info.subresource) return this.subresource(req, rt, ns, info.name!, info.subresource);

    if (!info.name) {
      if (method === 'GET') {
        const predicate = buildPredicate(rt, str(q, 'labelSelector'), str(q, 'fieldSelector'));
        if (bool(q, 'watch')) {
          const done = this.watchStarted(rt);
          const timeoutSeconds = int(q, 'timeoutSeconds');
          const rv = str(q, 'resourceVersion');
          await serveWatch(req, res, this.registry, this.cache, {
            rt,
            ...(ns ? { namespace: ns } : {}),
            predicate,
            ...(rv !== undefined ? { resourceVersion: rv } : {}),
            ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
            bookmarks: bool(q, 'allowWatchBookmarks'),
            ...(table ? { encode: tableEventEncoder(rt, table) } : { protobuf: watchInProtobuf(req.headers.accept, rt) }),
          }, done);
          return { status: 200, streamed: true };
        }
        const limit = int(q, 'limit');
        const cont = str(q, 'continue');
        const from = await listFrom(this.cache, { resourceVersion: str(q, 'resourceVersion'), resourceVersionMatch: str(q, 'resourceVersionMatch'), continue: cont });
        const page = await this.registry.list(rt, ns, {
          predicate,
          ...(limit ? { limit } : {}),
          ...(cont ? { continueToken: cont } : {}),
          ...(from.from === 'cache' ? { source: from.cache } : from.revision ? { revision: from.revision } : {}),
        });
        const meta: Record<string, unknown> = { resourceVersion: page.resourceVersion };
        if (page.continueToken) meta.continue = page.continueToken;
        if (page.remainingItemCount !== undefined) meta.remainingItemCount = page.remainingItemCount;
        return { status: 200, body: table ? toTable(rt, page.items, meta, table) : listOf(rt, page.items, meta) };
      }
      if (method === 'POST') {
        const { value } = readBody(req, ['json', 'yaml']);
        const out = await this.registry.create(rt, ns, value, { ...writeOptions(req) });
        return { status: 201, body: out.obj, warnings: out.warnings };
      }
      if (method === 'DELETE') {
        const predicate = buildPredicate(rt, str(q, 'labelSelector'), str(q, 'fieldSelector'));
        const body = req.body && Buffer.isBuffer(req.body) && req.body.length > 0 ? readBody(req, ['json', 'yaml']).value : undefined;
        const opts = { ...deleteOptions(q, body), user: contextOf(req).user };
        const page = await this.registry.list(rt, ns, { predicate });
        const deleted: KubeObject[] = [];
        for (const obj of page.items) {
          try {
            deleted.push((await this.registry.delete(rt, obj.metadata.namespace, obj.metadata.name!, opts)).obj);
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
          }
        }
        return { status: 200, body: listOf(rt, deleted, { resourceVersion: page.resourceVersion }) };
      }
      throw methodNotAllowed();
    }

    const name = info.name;
    switch (method) {
      case 'GET': {
        const obj = await this.registry.get(rt, ns, name);
        return { status: 200, body: table ? objectTable(rt, obj, table) : obj };
      }
      case 'PUT': {
        const { value } = readBody(req, ['json', 'yaml']);
        const out = await this.registry.update(rt, ns, name, value, { ...writeOptions(req) });
        return { status: 200, body: out.obj, warnings: out.warnings };
      }
      case 'PATCH':
        return bodyKind(req) === 'apply-patch' ? this.apply(req, rt, ns, name) : this.patch(req, rt, ns, name);
      case 'DELETE': {
        const body = req.body && Buffer.isBuffer(req.body) && req.body.length > 0 ? readBody(req, ['json', 'yaml']).value : undefined;
        const out = await this.registry.delete(rt, ns, name, { ...deleteOptions(q, body), user: contextOf(req).user });
        return { status: out.removed ? 200 : 202, body: out.obj };
      }
      default:
        throw methodNotAllowed();
    }
  }

  private answerCreateOnly(req: ApiRequest, rt: ResourceType, ns: string | undefined, info: RequestInfo): Served {
    if (req.method !== 'POST' || info.name || info.subresource || !this.createOnly) throw methodNotAllowed();
    if (rt.namespaced && !ns) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    const { value } = readBody(req, ['json', 'yaml']);
    const { obj, warnings } = admitObject(rt, value, { validation: validationOf(req.query as Query), name: '' });
    if (ns) obj.metadata.namespace = ns;
    return { status: 201, body: this.createOnly(rt, obj, contextOf(req).user, ns), warnings };
  }

  private async patch(req: ApiRequest, rt: ResourceType, ns: string | undefined, name: string, subresource?: 'status'): Promise<Served> {
    const q = req.query as Query;
    const { kind, value } = readBody(req, ['merge-patch', 'json-patch', 'strategic-merge-patch']);
    const pinned = (value as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
    // As kube-apiserver does: apply the patch to the latest object, and on a concurrent write
    // re-read and apply again; a patch that names a resourceVersion gets the 409 instead.
    for (let attempt = 0; ; attempt++) {
      const current = await this.registry.get(rt, ns, name);
      const patched = applyPatch(kind, current, value, rt.kind);
      const meta = (patched as KubeObject).metadata ?? {};
      if (typeof meta !== 'object') throw badRequest('metadata: Invalid value: must be an object');
      (patched as KubeObject).metadata = { ...meta, resourceVersion: pinned ?? current.metadata.resourceVersion };
      try {
        const out = await this.registry.update(rt, ns, name, patched, {
          ...writeOptions(req),
          ...(subresource ? { subresource } : {}),
        });
        return { status: 200, body: out.obj, warnings: out.warnings };
      } catch (err) {
        if (pinned !== undefined || attempt >= 30 || !(err instanceof ApiError && err.code === 409 && err.reason === 'Conflict')) throw err;
      }
    }
  }

  /** Server-side apply: create when missing (201), else merge with field ownership (server-side-apply.ts). */
  private async apply(req: ApiRequest, rt: ResourceType, ns: string | undefined, name: string): Promise<Served> {
    const q = req.query as Query;
    const manager = str(q, 'fieldManager');
    if (!manager) {
      throw new ApiError(422, 'Invalid', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch', {
        causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }],
      });
    }
    const { value } = readBody(req, ['apply-patch']);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badRequest('an apply patch must be a YAML or JSON object');
    const config = value as Record<string, unknown>;
    const meta = (config.metadata ?? {}) as { name?: unknown; resourceVersion?: unknown };
    if (meta.name !== undefined && meta.name !== name) {
      throw badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${name})`);
    }
    const request: ApplyRequest = { manager, force: bool(q, 'force'), apiVersion: apiVersionOf(rt), meta: kindMeta(rt.kind) ?? {} };
    const opts = { ...writeOptions(req) };
    const pinned = typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined;
    for (let attempt = 0; ; attempt++) {
      let live: KubeObject | undefined;
      try {
        live = await this.registry.get(rt, ns, name);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
      try {
        if (!live) {
          const obj = applyCreate(config, request);
          obj.metadata.name = name;
          const out = await this.registry.create(rt, ns, obj, opts);
          return { status: 201, body: out.obj, warnings: out.warnings };
        }
        const next = applyToLive(live, config, request);
        next.metadata.resourceVersion = pinned ?? live.metadata.resourceVersion;
        const out = await this.registry.update(rt, ns, name, next, opts);
        return { status: 200, body: out.obj, warnings: out.warnings };
      } catch (err) {
        // Another writer got there first (a create race or a newer version): apply again to the latest.
        const raced = err instanceof ApiError && ((err.code === 409 && err.reason === 'Conflict' && !err.details?.causes) || err.reason === 'AlreadyExists');
        if (pinned !== undefined || attempt >= 30 || !raced) throw err;
      }
    }
  }

  private async subresource(req: ApiRequest, rt: ResourceType, ns: string | undefined, name: string, sub: string): Promise<Served> {
    if (!rt.subresources.includes(sub)) throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${rt.plural}/${sub})`);
    const q = req.query as Query;
    const own = this.registry.strategy(rt).subresources?.[sub];
    if (own) {
      const body = req.body && Buffer.isBuffer(req.body) && req.body.length > 0 ? readBody(req, ['json', 'yaml']).value : undefined;
      return own(this.registry, rt, { method: req.method, namespace: ns, name, body, dryRun: dryRunOf(q) });
    }
    if (sub === 'status') {
      if (req.method === 'GET') return { status: 200, body: await this.registry.get(rt, ns, name) };
      if (req.method === 'PUT') {
        const { value } = readBody(req, ['json', 'yaml']);
        const out = await this.registry.update(rt, ns, name, value, { ...writeOptions(req), subresource: 'status' });
        return { status: 200, body: out.obj, warnings: out.warnings };
      }
      if (req.method === 'PATCH') return this.patch(req, rt, ns, name, 'status');
      throw methodNotAllowed();
    }
    if (sub === 'scale') {
      if (req.method === 'GET') return { status: 200, body: await getScale(this.registry, rt, ns, name) };
      if (req.method !== 'PUT' && req.method !== 'PATCH') throw methodNotAllowed();
      const { kind, value } = readBody(req, req.method === 'PUT' ? ['json', 'yaml'] : ['merge-patch', 'json-patch', 'strategic-merge-patch']);
      const next = (cur: unknown): unknown => (req.method === 'PUT' ? value : applyPatch(kind, cur, value, 'Scale'));
      return { status: 200, body: await updateScale(this.registry, rt, ns, name, next, { dryRun: dryRunOf(q) }) };
    }
    if (sub === 'binding' && rt.kind === 'Pod') {
      if (req.method !== 'POST') throw methodNotAllowed();
      const { value } = readBody(req, ['json', 'yaml']);
      await bindPod(this.registry, rt, ns!, name, value);
      return { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
    }
    throw new ApiError(405, 'MethodNotAllowed', `${rt.plural}/${sub} is not served by this apiserver yet`);
  }
}
