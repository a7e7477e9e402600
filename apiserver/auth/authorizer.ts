// What a request asks to do (Kubernetes' authorizer.Attributes) and who decides: a chain of
// authorizers where the first "allow" or "deny" wins and "no opinion" passes on.
import { ApiError } from '../errors.js';
import { mastersGroup, type UserInfo } from './user.js';

export interface Attributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; or an HTTP verb for paths. */
  verb: string;
  resourceRequest: boolean;
  /** The URL path (non-resource requests are judged by it). */
  path: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
}

export type Decision = 'allow' | 'deny' | 'noOpinion';

export interface Verdict {
  decision: Decision;
  reason: string;
}

export interface Authorizer {
  authorize(a: Attributes): Verdict;
}

export const allow = (reason = ''): Verdict => ({ decision: 'allow', reason });
export const noOpinion = (reason = ''): Verdict => ({ decision: 'noOpinion', reason });

/** Members of system:masters may do anything, whatever RBAC says (kube-apiserver's privileged groups). */
export const mastersAuthorizer: Authorizer = {
  authorize: (a) => (a.user.groups.includes(mastersGroup) ? allow() : noOpinion()),
};

export const alwaysAllow: Authorizer = { authorize: () => allow() };

/** The first decided verdict; "no opinion" from all of them is a denial. */
export function unionAuthorizer(authorizers: Authorizer[]): Authorizer {
  return {
    authorize(a) {
      const reasons: string[] = [];
      for (const z of authorizers) {
        const v = z.authorize(a);
        if (v.decision !== 'noOpinion') return v;
        if (v.reason) reasons.push(v.reason);
      }
      return noOpinion(reasons.join('; '));
    },
  };
}

/** The 403 Status, worded as Kubernetes words it. */
export function forbiddenError(a: Attributes, reason: string): ApiError {
  const who = `User ${JSON.stringify(a.user.name)}`;
  let msg: string;
  let details: { name?: string; group?: string; kind?: string } = {};
  if (!a.resourceRequest) {
    msg = `forbidden: ${who} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  } else {
    const what = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
    const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
    const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
    const subject = a.name ? `${qualified} ${JSON.stringify(a.name)}` : qualified;
    msg = `${subject} is forbidden: ${who} cannot ${a.verb} resource ${JSON.stringify(what)} in API group ${JSON.stringify(a.apiGroup)} ${scope}`;
    details = { ...(a.name ? { name: a.name } : {}), group: a.apiGroup, kind: a.resource };
  }
  if (reason) msg += `: ${reason}`;
  return new ApiError(403, 'Forbidden', msg, details);
}

/** Attributes of a resource request made on someone's behalf (escalation checks, impersonation). */
export function resourceAttributes(user: UserInfo, verb: string, apiGroup: string, resource: string, namespace: string, name: string): Attributes {
  return { user, verb, resourceRequest: true, path: '', apiGroup, apiVersion: '', resource, subresource: '', namespace, name };
}
