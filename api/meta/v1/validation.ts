// ObjectMeta and LabelSelector validation and matching (apimachinery's metav1 validation).
import type { FieldError, ObjectMetaLike } from '../../resource.js';
import {
  deepEqual, forbiddenError, invalidError, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidLabelValue, requiredError,
  validateAnnotations, validateImmutable, validateLabels, validateName, validateNonNegative,
} from '../../validation.js';
import type { LabelSelector } from './meta.js';

export interface MetaRules {
  namespaced: boolean;
  /** Name format check, e.g. isDns1123Subdomain (the default). */
  nameCheck?: (name: string) => string[];
}

/** ValidateObjectMeta: name/generateName, namespace, labels, annotations, owner references, finalizers. */
export function validateObjectMeta(meta: ObjectMetaLike | undefined, rules: MetaRules, field = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const check = rules.nameCheck ?? isDns1123Subdomain;
  const errs: FieldError[] = [];
  if (m.name) {
    errs.push(...validateName(m.name, `${field}.name`, check));
  } else if (m.generateName) {
    // The generated name adds a suffix; check the prefix without a trailing dash.
    const prefix = m.generateName.endsWith('-') ? m.generateName.slice(0, -1) : m.generateName;
    errs.push(...validateName(prefix, `${field}.generateName`, check));
  } else {
    errs.push(requiredError(`${field}.name`, 'name or generateName is required'));
  }
  // A namespaced object without metadata.namespace gets it from the request URL (the apiserver's job),
  // so only its format is checked here.
  if (rules.namespaced) {
    if (m.namespace) errs.push(...validateName(m.namespace, `${field}.namespace`, isDns1123Label));
  } else if (m.namespace) {
    errs.push(forbiddenError(`${field}.namespace`, 'not allowed on this type'));
  }
  errs.push(...validateNonNegative(m.generation, `${field}.generation`));
  errs.push(...validateLabels(m.labels, `${field}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${field}.annotations`));
  for (const [i, ref] of (m.ownerReferences ?? []).entries()) {
    const p = `${field}.ownerReferences[${i}]`;
    if (!ref.apiVersion) errs.push(invalidError(`${p}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalidError(`${p}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(invalidError(`${p}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(invalidError(`${p}.uid`, ref.uid ?? '', 'uid must not be empty'));
  }
  const controllers = (m.ownerReferences ?? []).filter((r) => r.controller === true);
  if (controllers.length > 1) {
    errs.push(invalidError(`${field}.ownerReferences`, controllers.map((r) => r.name), 'Only one reference can have Controller set to true'));
  }
  for (const [i, f] of (m.finalizers ?? []).entries()) {
    for (const e of isQualifiedName(f)) errs.push(invalidError(`${field}.finalizers[${i}]`, f, e));
  }
  return errs;
}

/** ValidateObjectMetaUpdate: identity fields may not change. */
export function validateObjectMetaUpdate(meta: ObjectMetaLike | undefined, old: ObjectMetaLike | undefined, field = 'metadata'): FieldError[] {
  const m = meta ?? {};
  const o = old ?? {};
  const errs: FieldError[] = [];
  errs.push(...validateImmutable(`${field}.name`, m.name, o.name));
  if (m.namespace !== undefined && o.namespace !== undefined) {
    errs.push(...validateImmutable(`${field}.namespace`, m.namespace, o.namespace));
  }
  if (m.uid !== undefined && o.uid !== undefined) errs.push(...validateImmutable(`${field}.uid`, m.uid, o.uid));
  if (m.creationTimestamp !== undefined && o.creationTimestamp !== undefined) {
    errs.push(...validateImmutable(`${field}.creationTimestamp`, m.creationTimestamp, o.creationTimestamp));
  }
  if (o.deletionTimestamp !== undefined && m.deletionTimestamp !== undefined && !deepEqual(m.deletionTimestamp, o.deletionTimestamp)) {
    errs.push(invalidError(`${field}.deletionTimestamp`, m.deletionTimestamp, 'field is immutable; may only be changed via deletion'));
  }
  return errs;
}

/** ValidateLabelSelector. */
export function validateLabelSelector(sel: LabelSelector | undefined, field: string): FieldError[] {
  if (!sel) return [];
  const errs: FieldError[] = [];
  for (const [i, req] of (sel.matchExpressions ?? []).entries()) {
    const p = `${field}.matchExpressions[${i}]`;
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(requiredError(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(forbiddenError(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalidError(`${p}.operator`, req.operator, 'not a valid selector operator'));
    }
    for (const e of isQualifiedName(req.key)) errs.push(invalidError(`${p}.key`, req.key, e));
    for (const [j, v] of values.entries()) {
      for (const e of isValidLabelValue(v)) errs.push(invalidError(`${p}.values[${j}]`, v, e));
    }
  }
  errs.push(...validateLabels(sel.matchLabels, `${field}.matchLabels`));
  return errs;
}

/** True when the selector has no requirements (it then matches everything). */
export function labelSelectorIsEmpty(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** metav1.LabelSelectorAsSelector(sel).Matches(labels). A missing selector matches nothing, an empty one everything. */
export function labelSelectorMatches(sel: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  if (!sel) return false;
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const req of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(l, req.key);
    const val = l[req.key];
    const values = req.values ?? [];
    switch (req.operator) {
      case 'In': if (!has || val === undefined || !values.includes(val)) return false; break;
      case 'NotIn': if (has && val !== undefined && values.includes(val)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** Plain map selector (Service.spec.selector, ReplicationController): every pair must be present. */
export function mapSelectorMatches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  return Object.entries(selector ?? {}).every(([k, v]) => l[k] === v);
}
