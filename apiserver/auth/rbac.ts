// The RBAC authorizer: a user's rules are those of every ClusterRoleBinding naming them (or one
// of their groups, or their ServiceAccount), plus, in a namespace, its RoleBindings'. Roles,
// bindings and aggregated ClusterRoles are read from memory (ObjectIndex), indexed per subject.
import { selectorFromLabelSelector, type LabelSelectorSpec } from '../../api/labels.js';
import type { ClusterRole, PolicyRule, RoleBinding, RoleRef, Subject } from '../../api/rbac/v1/rbac.js';
import type { KubeObject } from '../../api/resource.js';
import type { ObjectIndex } from '../storage/object-index.js';
import { allow, noOpinion, type Attributes, type Authorizer, type Verdict } from './authorizer.js';
import { ruleAllows } from './rbac-rules.js';
import type { UserInfo } from './user.js';

export interface RbacIndexes {
  roles: ObjectIndex;
  clusterRoles: ObjectIndex;
  roleBindings: ObjectIndex;
  clusterRoleBindings: ObjectIndex;
}

interface Bound {
  ref: RoleRef;
  /** The binding's namespace ('' for a ClusterRoleBinding). */
  namespace: string;
  binding: string;
}

const subjectKeys = (user: UserInfo): string[] => {
  const keys = [`User:${user.name}`, ...user.groups.map((g) => `Group:${g}`)];
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(user.name);
  if (sa) keys.push(`ServiceAccount:${sa[1]}:${sa[2]}`);
  return keys;
};

function subjectKey(s: Subject, bindingNs: string): string {
  return s.kind === 'ServiceAccount' ? `ServiceAccount:${s.namespace || bindingNs}:${s.name}` : `${s.kind}:${s.name}`;
}

export class RbacAuthorizer implements Authorizer {
  private built = -1;
  private cluster = new Map<string, Bound[]>();
  private namespaced = new Map<string, Map<string, Bound[]>>();
  private clusterRoleRules = new Map<string, PolicyRule[]>();

  constructor(private readonly ix: RbacIndexes) {}

  private version(): number {
    const { roles, clusterRoles, roleBindings, clusterRoleBindings } = this.ix;
    return roles.version + clusterRoles.version + roleBindings.version + clusterRoleBindings.version;
  }

  /** Rebuilds the subject indexes and aggregated ClusterRoles after any change. */
  private refresh(): void {
    const v = this.version();
    if (v === this.built) return;
    this.built = v;
    this.cluster = new Map();
    this.namespaced = new Map();
    const add = (map: Map<string, Bound[]>, key: string, b: Bound) => {
      const list = map.get(key);
      if (list) list.push(b);
      else map.set(key, [b]);
    };
    for (const o of this.ix.clusterRoleBindings.objects.values()) {
      const b = o as unknown as RoleBinding;
      for (const s of b.subjects ?? []) add(this.cluster, subjectKey(s, ''), { ref: b.roleRef, namespace: '', binding: o.metadata.name! });
    }
    for (const o of this.ix.roleBindings.objects.values()) {
      const b = o as unknown as RoleBinding;
      const ns = o.metadata.namespace!;
      let map = this.namespaced.get(ns);
      if (!map) this.namespaced.set(ns, (map = new Map()));
      for (const s of b.subjects ?? []) add(map, subjectKey(s, ns), { ref: b.roleRef, namespace: ns, binding: o.metadata.name! });
    }
    this.clusterRoleRules = aggregate([...this.ix.clusterRoles.objects.values()]);
  }

  /** The rules a role reference grants (a missing role grants nothing, as in Kubernetes). */
  private rulesOf(ref: RoleRef, namespace: string): PolicyRule[] {
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules.get(ref.name) ?? [];
    return ((this.ix.roles.get(namespace, ref.name) as { rules?: PolicyRule[] } | undefined)?.rules) ?? [];
  }

  private *bindingsFor(user: UserInfo, namespace: string): Generator<Bound> {
    this.refresh();
    const keys = subjectKeys(user);
    for (const k of keys) yield* this.cluster.get(k) ?? [];
    const ns = namespace ? this.namespaced.get(namespace) : undefined;
    if (ns) for (const k of keys) yield* ns.get(k) ?? [];
  }

  authorize(a: Attributes): Verdict {
    for (const b of this.bindingsFor(a.user, a.resourceRequest ? a.namespace : '')) {
      for (const rule of this.rulesOf(b.ref, b.namespace)) {
        if (ruleAllows(rule, a)) {
          const where = b.namespace ? `RoleBinding "${b.binding}" of ${b.ref.kind} "${b.ref.name}" to` : `ClusterRoleBinding "${b.binding}" of ClusterRole "${b.ref.name}" to`;
          return allow(`RBAC: allowed by ${where} user`);
        }
      }
    }
    return noOpinion();
  }

  /** Every rule the user holds in `namespace` (cluster-wide ones included): SelfSubjectRulesReview and escalation checks. */
  rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    const out: PolicyRule[] = [];
    for (const b of this.bindingsFor(user, namespace)) out.push(...this.rulesOf(b.ref, b.namespace));
    return out;
  }

  /** What a roleRef grants (an aggregated ClusterRole's picked rules); undefined when the role does not exist. */
  referencedRules(ref: RoleRef, namespace: string): PolicyRule[] | undefined {
    this.refresh();
    if (ref.kind === 'ClusterRole') return this.clusterRoleRules.get(ref.name);
    const role = this.ix.roles.get(namespace, ref.name) as { rules?: PolicyRule[] } | undefined;
    return role ? (role.rules ?? []) : undefined;
  }
}

/**
 * Each ClusterRole's rules; an aggregated one's are those of the roles its selectors pick, which
 * may be aggregated themselves (`admin` picks `edit`, which picks `view`), resolved once each.
 */
function aggregate(roles: KubeObject[]): Map<string, PolicyRule[]> {
  const out = new Map<string, PolicyRule[]>();
  const visiting = new Set<string>();
  const resolve = (o: KubeObject): PolicyRule[] => {
    const name = o.metadata.name!;
    const done = out.get(name);
    if (done) return done;
    const role = o as unknown as ClusterRole;
    const selectors = role.aggregationRule?.clusterRoleSelectors;
    if (!selectors || visiting.has(name)) return role.rules ?? [];
    visiting.add(name);
    const picked: PolicyRule[] = [];
    const matchers = selectors.flatMap((sel) => {
      try {
        return [selectorFromLabelSelector(sel as LabelSelectorSpec)];
      } catch {
        return [];
      }
    });
    for (const src of roles) {
      if (src !== o && matchers.some((m) => m.matches(src.metadata.labels ?? {}))) picked.push(...resolve(src));
    }
    visiting.delete(name);
    out.set(name, picked);
    return picked;
  };
  for (const o of roles) out.set(o.metadata.name!, resolve(o));
  return out;
}
