// The front of every request — resources, subresources, the node proxy, discovery, OpenAPI,
// health and metrics alike: authentication (the one place it happens) → audit → authorization.
// Admission, validation and the kind's strategy follow inside the registry, with the same user.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Attributes, Authorizer } from '../auth/authorizer.js';
import { forbiddenError } from '../auth/authorizer.js';
import { anonymousUser, authenticatedGroup, mastersGroup, type UserInfo } from '../auth/user.js';
import { ApiError } from '../errors.js';
import type { RequestAuthenticator } from './authn.js';
import { parseResourcePath, resourceVerb, type RequestInfo } from './request-info.js';

/** Paths anyone may read, as kube-apiserver lets probes and version checks through. */
export const publicPaths = new Set(['/healthz', '/readyz', '/livez', '/version']);

/** Without any authenticator (a test or loopback-only apiserver) every caller is this superuser. */
export const unsecuredUser: UserInfo = { name: 'system:unsecured', uid: '', groups: [mastersGroup, authenticatedGroup] };

export interface RequestContext {
  user: UserInfo;
  attributes: Attributes;
  /** Set when the path addresses a resource. */
  info?: RequestInfo;
}

/** Sees every authenticated request (the audit log), and its response when there is one (not for upgrades). */
export interface AuditSink {
  requestReceived(ctx: RequestContext, req: IncomingMessage, res?: ServerResponse): void;
}

export interface PipelineDeps {
  authn?: RequestAuthenticator;
  authz: Authorizer;
  namespacedSubresources: Set<string>;
  audit?: AuditSink;
  /** Swaps the user for the one the Impersonate-* headers name, after checking the caller may (impersonation.ts). */
  impersonate?: (user: UserInfo, req: IncomingMessage) => UserInfo;
}

const contexts = new WeakMap<IncomingMessage, RequestContext>();

/** What the gate decided about a request that passed it. */
export function contextOf(req: IncomingMessage): RequestContext {
  const ctx = contexts.get(req);
  if (!ctx) throw new Error('request did not pass the pipeline');
  return ctx;
}

export function attributesOf(user: UserInfo, method: string, url: string, nsSubresources: Set<string>): { attributes: Attributes; info?: RequestInfo } {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const info = path.startsWith('/api/') || path.startsWith('/apis/') ? parseResourcePath(path, nsSubresources) : undefined;
  if (!info) {
    const verb = method === 'HEAD' ? 'get' : method.toLowerCase();
    return { attributes: { user, verb, resourceRequest: false, path, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' } };
  }
  const query = q < 0 ? {} : parseQuery(url.slice(q + 1));
  return {
    info,
    attributes: {
      user, verb: resourceVerb(method, info, query), resourceRequest: true, path,
      apiGroup: info.group, apiVersion: info.version, resource: info.resource, subresource: info.subresource ?? '',
      namespace: info.namespace ?? '', name: info.name ?? '',
    },
  };
}

/** Authenticates, audits and authorizes; throws the 401 or 403. */
export function gate(deps: PipelineDeps, req: IncomingMessage, res?: ServerResponse): RequestContext {
  const url = req.url ?? '/';
  let user: UserInfo | undefined = deps.authn ? deps.authn.authenticate(req) : unsecuredUser;
  if (!user) {
    const q = url.indexOf('?');
    if (!publicPaths.has(q < 0 ? url : url.slice(0, q))) throw new ApiError(401, 'Unauthorized', 'Unauthorized');
    user = anonymousUser;
  }
  if (deps.impersonate && hasImpersonation(req)) user = deps.impersonate(user, req);
  const { attributes, info } = attributesOf(user, req.method ?? 'GET', url, deps.namespacedSubresources);
  const ctx: RequestContext = { user, attributes, ...(info ? { info } : {}) };
  deps.audit?.requestReceived(ctx, req, res);
  const verdict = deps.authz.authorize(attributes);
  if (verdict.decision !== 'allow') throw forbiddenError(attributes, verdict.reason);
  contexts.set(req, ctx);
  return ctx;
}

function hasImpersonation(req: IncomingMessage): boolean {
  return req.headers['impersonate-user'] !== undefined || req.headers['impersonate-group'] !== undefined;
}
