// Matching PolicyRules against requests, and whether one set of rules covers another (for
// escalation checks), as Kubernetes' pkg/apis/rbac/v1 helpers and validation.Covers do.
import type { PolicyRule } from '../../api/rbac/v1/rbac.js';
import type { Attributes } from './authorizer.js';

const has = (list: string[] | undefined, v: string): boolean => (list ?? []).some((x) => x === '*' || x === v);

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources ?? []) {
    if (r === '*' || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

/** Whether the rule allows the request. */
export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return urlMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup) || !resourceMatches(rule, a.resource, a.subresource)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

/** The request a one-verb, one-resource, one-name piece of a rule stands for. */
function atomicAttributes(verb: string, group: string, resource: string, name: string): Attributes {
  const [res, sub = ''] = resource.split('/', 2) as [string, string?];
  return {
    user: { name: '', uid: '', groups: [] }, verb, resourceRequest: true, path: '', apiGroup: group, apiVersion: '',
    resource: res, subresource: sub, namespace: '', name,
  };
}

/** The pieces of `rules` that none of `owner` covers, as Kubernetes lists them in an escalation refusal. */
export function uncovered(owner: PolicyRule[], rules: PolicyRule[]): PolicyRule[] {
  const missing: PolicyRule[] = [];
  const coveredBy = (test: (r: PolicyRule) => boolean): boolean => owner.some(test);
  for (const rule of rules) {
    for (const verb of rule.verbs) {
      for (const url of rule.nonResourceURLs ?? []) {
        // An owner's `/apis/*` covers `/apis/apps`, but only `*` (or the same star) covers a star.
        const ok = coveredBy((o) => has(o.verbs, verb) && (o.nonResourceURLs ?? []).some((u) => u === '*' || u === url || (u.endsWith('*') && url.startsWith(u.slice(0, -1)))));
        if (!ok) missing.push({ verbs: [verb], nonResourceURLs: [url] });
      }
      for (const group of rule.apiGroups ?? []) {
        for (const resource of rule.resources ?? []) {
          const names = (rule.resourceNames ?? []).length > 0 ? rule.resourceNames! : [''];
          for (const name of names) {
            const a = atomicAttributes(verb, group, resource, name);
            // A rule with no resourceNames asks for all names: only an owner rule without names covers it.
            const ok = coveredBy((o) => ruleAllows(o, a) && (name !== '' || (o.resourceNames ?? []).length === 0));
            if (!ok) missing.push({ verbs: [verb], apiGroups: [group], resources: [resource], ...(name ? { resourceNames: [name] } : {}) });
          }
        }
      }
    }
  }
  return missing;
}

/** How Kubernetes prints a rule in messages: `{APIGroups:[""], Resources:["pods"], Verbs:["get"]}`. */
export function describeRule(r: PolicyRule): string {
  const q = (xs: string[]) => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;
  const parts: string[] = [];
  if (r.apiGroups) parts.push(`APIGroups:${q(r.apiGroups)}`);
  if (r.resources) parts.push(`Resources:${q(r.resources)}`);
  if (r.resourceNames) parts.push(`ResourceNames:${q(r.resourceNames)}`);
  if (r.nonResourceURLs) parts.push(`NonResourceURLs:${q(r.nonResourceURLs)}`);
  parts.push(`Verbs:${q(r.verbs)}`);
  return `{${parts.join(', ')}}`;
}
