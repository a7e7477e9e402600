// The review kinds, answered at once and never stored: access reviews ask the authorizer about a
// request (the caller's own, or anyone's for SubjectAccessReview), the rules review lists what the
// caller holds in a namespace, and SelfSubjectReview says who the caller is.
import type { PolicyRule } from '../../api/rbac/v1/rbac.js';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import type { NonResourceAttributes, ResourceAttributes, SubjectAccessReview } from '../../api/authorization/v1/reviews.js';
import type { Attributes, Authorizer } from './authorizer.js';
import type { RbacAuthorizer } from './rbac.js';
import type { UserInfo } from './user.js';

export type ReviewHandler = (rt: ResourceType, obj: KubeObject, user: UserInfo, namespace: string | undefined) => KubeObject;

function attributesOf(user: UserInfo, spec: { resourceAttributes?: ResourceAttributes; nonResourceAttributes?: NonResourceAttributes }): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user, verb: r.verb ?? '', resourceRequest: true, path: '', apiGroup: r.group ?? '', apiVersion: r.version ?? '',
      resource: r.resource ?? '', subresource: r.subresource ?? '', namespace: r.namespace ?? '', name: r.name ?? '',
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', resourceRequest: false, path: n.path ?? '', apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '' };
}

function splitRules(rules: PolicyRule[]): { resourceRules: PolicyRule[]; nonResourceRules: PolicyRule[] } {
  const resourceRules: PolicyRule[] = [];
  const nonResourceRules: PolicyRule[] = [];
  for (const rule of rules) {
    if ((rule.nonResourceURLs ?? []).length > 0) nonResourceRules.push({ verbs: rule.verbs, nonResourceURLs: rule.nonResourceURLs! });
    else resourceRules.push({ verbs: rule.verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], ...(rule.resourceNames ? { resourceNames: rule.resourceNames } : {}) });
  }
  return { resourceRules, nonResourceRules };
}

export function reviewHandler(authz: Authorizer, rbac: RbacAuthorizer): ReviewHandler {
  const decide = (a: Attributes) => {
    const v = authz.authorize(a);
    return { allowed: v.decision === 'allow', ...(v.decision === 'deny' ? { denied: true } : {}), ...(v.reason ? { reason: v.reason } : {}) };
  };
  return (rt, obj, user, namespace) => {
    const out: KubeObject = { ...obj, apiVersion: `${rt.group}/${rt.version}`, kind: rt.kind, metadata: { ...obj.metadata } };
    const spec = (obj.spec ?? {}) as SubjectAccessReview['spec'];
    switch (rt.kind) {
      case 'SelfSubjectAccessReview':
        out.status = decide(attributesOf(user, spec));
        break;
      case 'SubjectAccessReview':
      case 'LocalSubjectAccessReview': {
        // Exactly the user and groups asked about (no system:authenticated added, as Kubernetes).
        const subject: UserInfo = { name: spec.user ?? '', uid: spec.uid ?? '', groups: spec.groups ?? [], ...(spec.extra ? { extra: spec.extra } : {}) };
        const a = attributesOf(subject, spec);
        if (rt.kind === 'LocalSubjectAccessReview' && namespace) a.namespace = namespace;
        out.status = decide(a);
        break;
      }
      case 'SelfSubjectRulesReview': {
        const ns = (obj.spec as { namespace?: string } | undefined)?.namespace ?? '';
        out.status = { ...splitRules(rbac.rulesFor(user, ns)), incomplete: false };
        break;
      }
      case 'SelfSubjectReview':
        out.status = { userInfo: { username: user.name, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups, ...(user.extra ? { extra: user.extra } : {}) } };
        break;
      default:
        throw new Error(`no review handler for ${rt.kind}`);
    }
    return out;
  };
}
