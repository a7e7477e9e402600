// Defaulting and validation for the RBAC kinds, with Kubernetes' messages (pkg/apis/rbac/validation).
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate, validateLabelSelector } from '../../meta/v1/validation.js';
import { invalidError, notSupportedError, requiredError } from '../../validation.js';
import { rbacGroup, type ClusterRole, type PolicyRule, type Role, type RoleBinding, type Subject } from './rbac.js';

/** ValidatePathSegmentName: RBAC names may hold colons (`system:node`), not slashes or percent signs. */
export function isPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  for (const bad of ['/', '%']) if (name.includes(bad)) return [`may not contain '${bad}'`];
  return [];
}

function validateRule(rule: PolicyRule, field: string, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (rule.verbs.length === 0) errs.push(requiredError(`${field}.verbs`, 'verbs must contain at least one value'));
  const nonResource = rule.nonResourceURLs ?? [];
  const resources = rule.resources ?? [];
  if (nonResource.length > 0) {
    if (namespaced) errs.push(invalidError(`${field}.nonResourceURLs`, nonResource, 'namespaced rules cannot apply to non-resource URLs'));
    if ((rule.apiGroups ?? []).length > 0 || resources.length > 0 || (rule.resourceNames ?? []).length > 0) {
      errs.push(invalidError(`${field}.nonResourceURLs`, nonResource, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if ((rule.apiGroups ?? []).length === 0) errs.push(requiredError(`${field}.apiGroups`, 'resource rules must supply at least one api group'));
  if (resources.length === 0) errs.push(requiredError(`${field}.resources`, 'resource rules must supply at least one resource'));
  return errs;
}

function validateRules(rules: PolicyRule[] | undefined, namespaced: boolean): FieldError[] {
  return (rules ?? []).flatMap((r, i) => validateRule(r, `rules[${i}]`, namespaced));
}

const metaRules = (namespaced: boolean) => ({ namespaced, nameCheck: isPathSegmentName });

export function validateRole(role: Role, old?: Role): FieldError[] {
  const errs = [...validateObjectMeta(role.metadata, metaRules(true)), ...validateRules(role.rules, true)];
  if (old) errs.push(...validateObjectMetaUpdate(role.metadata, old.metadata));
  return errs;
}

export function validateClusterRole(role: ClusterRole, old?: ClusterRole): FieldError[] {
  const errs = [...validateObjectMeta(role.metadata, metaRules(false)), ...validateRules(role.rules, false)];
  for (const [i, sel] of (role.aggregationRule?.clusterRoleSelectors ?? []).entries()) {
    errs.push(...validateLabelSelector(sel, `aggregationRule.clusterRoleSelectors[${i}]`));
  }
  if (old) errs.push(...validateObjectMetaUpdate(role.metadata, old.metadata));
  return errs;
}

export function setSubjectDefaults(b: RoleBinding): void {
  for (const s of b.subjects ?? []) {
    if (s.apiGroup === undefined && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = rbacGroup;
    // A ServiceAccount's default group is "", which Kubernetes' JSON (omitempty) leaves out.
  }
}

function validateSubject(s: Subject, field: string, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(requiredError(`${field}.name`));
  switch (s.kind) {
    case 'ServiceAccount':
      if (s.apiGroup) errs.push(notSupportedError(`${field}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errs.push(requiredError(`${field}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== rbacGroup) errs.push(notSupportedError(`${field}.apiGroup`, s.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errs.push(notSupportedError(`${field}.kind`, s.kind, ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function validateBinding(b: RoleBinding, old: RoleBinding | undefined, namespaced: boolean): FieldError[] {
  const errs = validateObjectMeta(b.metadata, metaRules(namespaced));
  const ref = b.roleRef;
  if (ref.apiGroup !== rbacGroup) errs.push(notSupportedError('roleRef.apiGroup', ref.apiGroup, [rbacGroup]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  if (!kinds.includes(ref.kind)) errs.push(notSupportedError('roleRef.kind', ref.kind, kinds));
  if (!ref.name) errs.push(requiredError('roleRef.name'));
  else for (const msg of isPathSegmentName(ref.name)) errs.push(invalidError('roleRef.name', ref.name, msg));
  for (const [i, s] of (b.subjects ?? []).entries()) errs.push(...validateSubject(s, `subjects[${i}]`, namespaced));
  if (old) {
    errs.push(...validateObjectMetaUpdate(b.metadata, old.metadata));
    const o = old.roleRef;
    if (o.apiGroup !== ref.apiGroup || o.kind !== ref.kind || o.name !== ref.name) {
      errs.push(invalidError('roleRef', ref, 'cannot change roleRef'));
    }
  }
  return errs;
}

export const validateRoleBinding = (b: RoleBinding, old?: RoleBinding): FieldError[] => validateBinding(b, old, true);
export const validateClusterRoleBinding = (b: RoleBinding, old?: RoleBinding): FieldError[] => validateBinding(b, old, false);
