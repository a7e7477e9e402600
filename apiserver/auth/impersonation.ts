// Impersonation (`kubectl --as`, `--as-group`, `--as-uid`): the caller becomes the named user for
// the rest of the pipeline, if it may `impersonate` that user, each group and the uid.
import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors.js';
import { forbiddenError, resourceAttributes, type Authorizer } from './authorizer.js';
import { anonymousUser, withAuthenticated, type UserInfo } from './user.js';

export function impersonator(authz: Authorizer): (user: UserInfo, req: IncomingMessage) => UserInfo {
  const check = (user: UserInfo, group: string, resource: string, namespace: string, name: string): void => {
    const a = resourceAttributes(user, 'impersonate', group, resource, namespace, name);
    const v = authz.authorize(a);
    if (v.decision !== 'allow') throw forbiddenError(a, v.reason);
  };
  return (user, req) => {
    const name = req.headersDistinct['impersonate-user']?.[0];
    const groups = req.headersDistinct['impersonate-group'] ?? [];
    const uid = req.headersDistinct['impersonate-uid']?.[0];
    if (!name) throw new ApiError(400, 'BadRequest', 'requested impersonation of groups without impersonating a user');
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(name);
    if (sa) check(user, '', 'serviceaccounts', sa[1]!, sa[2]!);
    else check(user, '', 'users', '', name);
    for (const g of groups) check(user, '', 'groups', '', g);
    if (uid) check(user, 'authentication.k8s.io', 'uids', '', uid);
    const extra: Record<string, string[]> = {};
    for (const [h, values] of Object.entries(req.headersDistinct)) {
      if (!h.startsWith('impersonate-extra-') || !values) continue;
      const key = decodeURIComponent(h.slice('impersonate-extra-'.length));
      for (const v of values) check(user, 'authentication.k8s.io', `userextras/${key}`, '', v);
      extra[key] = values;
    }
    const target: UserInfo = { name, uid: uid ?? '', groups, ...(Object.keys(extra).length ? { extra } : {}) };
    return name === anonymousUser.name ? target : withAuthenticated(target);
  };
}
