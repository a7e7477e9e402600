// Escalation prevention (Kubernetes does this in the RBAC storage): a user may create or change
// a Role or ClusterRole only with rules they hold themselves, and bind a role only if they hold
// its rules — unless they may `escalate` (roles) or `bind` (the referenced role).
import type { ClusterRole, PolicyRule, RoleBinding } from '../../api/rbac/v1/rbac.js';
import { resourceAttributes, type Authorizer } from '../auth/authorizer.js';
import type { RbacAuthorizer } from '../auth/rbac.js';
import { describeRule, uncovered } from '../auth/rbac-rules.js';
import type { UserInfo } from '../auth/user.js';
import { forbidden } from '../errors.js';
import type { AdmissionPlugin, AdmissionRequest } from './chain.js';

const group = 'rbac.authorization.k8s.io';
/** Holding everything: what creating an aggregated ClusterRole needs (it may come to grant anything). */
const everything: PolicyRule[] = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }, { verbs: ['*'], nonResourceURLs: ['*'] }];

function describeUser(u: UserInfo): string {
  return `user ${JSON.stringify(u.name)} (groups=[${u.groups.map((g) => JSON.stringify(g)).join(' ')}])`;
}

export function rbacEscalationPlugin(authz: Authorizer, rbac: RbacAuthorizer): AdmissionPlugin {
  const may = (a: AdmissionRequest, verb: string, resource: string, name: string): boolean =>
    authz.authorize(resourceAttributes(a.user, verb, group, resource, a.namespace ?? '', name)).decision === 'allow';

  const refuseUnlessHeld = (a: AdmissionRequest, rules: PolicyRule[]): void => {
    const missing = uncovered(rbac.rulesFor(a.user, a.namespace ?? ''), rules);
    if (missing.length === 0) return;
    throw forbidden(a.rt, a.name, `${describeUser(a.user)} is attempting to grant RBAC permissions not currently held:\n${missing.map(describeRule).join('\n')}`);
  };

  return {
    name: 'RBACEscalation',
    validate(a) {
      if (a.rt.group !== group || (a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object || a.subresource) return;
      if (a.rt.kind === 'Role' || a.rt.kind === 'ClusterRole') {
        if (may(a, 'escalate', a.rt.plural, a.name)) return;
        const role = a.object as unknown as ClusterRole;
        refuseUnlessHeld(a, role.aggregationRule ? everything : (role.rules ?? []));
        return;
      }
      if (a.rt.kind === 'RoleBinding' || a.rt.kind === 'ClusterRoleBinding') {
        const ref = (a.object as unknown as RoleBinding).roleRef;
        if (may(a, 'bind', ref.kind === 'Role' ? 'roles' : 'clusterroles', ref.name)) return;
        const rules = rbac.referencedRules(ref, a.namespace ?? '');
        if (!rules) throw forbidden(a.rt, a.name, `${ref.kind.toLowerCase()}s.${group} ${JSON.stringify(ref.name)} not found`);
        refuseUnlessHeld(a, rules);
      }
    },
  };
}
