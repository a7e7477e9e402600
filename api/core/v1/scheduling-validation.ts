// Validation of scheduling constraints: affinity, tolerations, taints, topology spread.
import type { FieldError } from '../../resource.js';
import { validateLabelSelector } from '../../meta/v1/validation.js';
import {
  forbiddenError, invalidError, isQualifiedName, isValidLabelValue, notSupportedError, requiredError,
  validateEnum, validateLabels,
} from '../../validation.js';
import type {
  Affinity, NodeSelector, NodeSelectorRequirement, PodAffinityTerm, Taint, Toleration, TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from './affinity.js';

export const taintEffects = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'] as const;

function validateNodeSelectorRequirement(r: NodeSelectorRequirement, field: string, isField: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(requiredError(`${field}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(forbiddenError(`${field}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(requiredError(`${field}.values`, "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(notSupportedError(`${field}.operator`, r.operator, ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn']));
  }
  if (isField) {
    if (r.key !== 'metadata.name') errs.push(notSupportedError(`${field}.key`, r.key, ['metadata.name']));
  } else {
    errs.push(...isQualifiedName(r.key).map((e) => invalidError(`${field}.key`, r.key, e)));
  }
  return errs;
}

export function validateNodeSelector(sel: NodeSelector, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (sel.nodeSelectorTerms.length === 0) errs.push(requiredError(`${field}.nodeSelectorTerms`, 'must have at least one node selector term'));
  for (const [i, term] of sel.nodeSelectorTerms.entries()) {
    const f = `${field}.nodeSelectorTerms[${i}]`;
    for (const [j, r] of (term.matchExpressions ?? []).entries()) errs.push(...validateNodeSelectorRequirement(r, `${f}.matchExpressions[${j}]`, false));
    for (const [j, r] of (term.matchFields ?? []).entries()) errs.push(...validateNodeSelectorRequirement(r, `${f}.matchFields[${j}]`, true));
  }
  return errs;
}

function validatePodAffinityTerm(t: PodAffinityTerm, field: string): FieldError[] {
  const errs = validateLabelSelector(t.labelSelector, `${field}.labelSelector`);
  errs.push(...validateLabelSelector(t.namespaceSelector, `${field}.namespaceSelector`));
  if (!t.topologyKey) errs.push(requiredError(`${field}.topologyKey`, 'can not be empty'));
  else errs.push(...isQualifiedName(t.topologyKey).map((e) => invalidError(`${field}.topologyKey`, t.topologyKey, e)));
  for (const [i, k] of (t.matchLabelKeys ?? []).entries()) {
    errs.push(...isQualifiedName(k).map((e) => invalidError(`${field}.matchLabelKeys[${i}]`, k, e)));
  }
  for (const [i, k] of (t.mismatchLabelKeys ?? []).entries()) {
    errs.push(...isQualifiedName(k).map((e) => invalidError(`${field}.mismatchLabelKeys[${i}]`, k, e)));
  }
  return errs;
}

function validateWeight(weight: number, field: string): FieldError[] {
  return weight < 1 || weight > 100 ? [invalidError(field, weight, 'must be in the range 1-100')] : [];
}

function validateWeightedTerms(terms: WeightedPodAffinityTerm[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, t] of (terms ?? []).entries()) {
    errs.push(...validateWeight(t.weight, `${field}[${i}].weight`));
    errs.push(...validatePodAffinityTerm(t.podAffinityTerm, `${field}[${i}].podAffinityTerm`));
  }
  return errs;
}

export function validateAffinity(a: Affinity | undefined, field: string): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na?.requiredDuringSchedulingIgnoredDuringExecution) {
    errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, `${field}.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`));
  }
  for (const [i, t] of (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
    const f = `${field}.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[${i}]`;
    errs.push(...validateWeight(t.weight, `${f}.weight`));
    for (const [j, r] of (t.preference.matchExpressions ?? []).entries()) errs.push(...validateNodeSelectorRequirement(r, `${f}.preference.matchExpressions[${j}]`, false));
    for (const [j, r] of (t.preference.matchFields ?? []).entries()) errs.push(...validateNodeSelectorRequirement(r, `${f}.preference.matchFields[${j}]`, true));
  }
  for (const key of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[key];
    if (!pa) continue;
    for (const [i, t] of (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).entries()) {
      errs.push(...validatePodAffinityTerm(t, `${field}.${key}.requiredDuringSchedulingIgnoredDuringExecution[${i}]`));
    }
    errs.push(...validateWeightedTerms(pa.preferredDuringSchedulingIgnoredDuringExecution, `${field}.${key}.preferredDuringSchedulingIgnoredDuringExecution`));
  }
  return errs;
}

export function validateTolerations(tolerations: Toleration[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, t] of (tolerations ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (t.key) errs.push(...isQualifiedName(t.key).map((e) => invalidError(`${f}.key`, t.key, e)));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(invalidError(`${f}.operator`, t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') {
      errs.push(invalidError(`${f}.effect`, t.effect ?? '', 'effect must be \'NoExecute\' when `tolerationSeconds` is set'));
    }
    switch (t.operator) {
      case undefined:
      case '':
      case 'Equal':
        errs.push(...isValidLabelValue(t.value ?? '').map((e) => invalidError(`${f}.value`, t.value, e)));
        break;
      case 'Exists':
        if (t.value) errs.push(invalidError(`${f}.operator`, t.value, 'value must be empty when `operator` is \'Exists\''));
        break;
      default:
        errs.push(notSupportedError(`${f}.operator`, t.operator, ['Equal', 'Exists']));
    }
    errs.push(...validateEnum(t.effect, `${f}.effect`, taintEffects));
  }
  return errs;
}

export function validateTaints(taints: Taint[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, t] of (taints ?? []).entries()) {
    const f = `${field}[${i}]`;
    errs.push(...isQualifiedName(t.key).map((e) => invalidError(`${f}.key`, t.key, e)));
    if (t.value) errs.push(...isValidLabelValue(t.value).map((e) => invalidError(`${f}.value`, t.value, e)));
    errs.push(...validateEnum(t.effect, `${f}.effect`, taintEffects, true));
    const id = `${t.key}:${t.effect}`;
    if (seen.has(id)) errs.push(invalidError(f, `${t.key}:${t.effect}`, 'taints must be unique by key and effect pair'));
    seen.add(id);
  }
  return errs;
}

export function validateTopologySpreadConstraints(list: TopologySpreadConstraint[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  for (const [i, c] of (list ?? []).entries()) {
    const f = `${field}[${i}]`;
    if (c.maxSkew <= 0) errs.push(invalidError(`${f}.maxSkew`, c.maxSkew, 'must be greater than zero'));
    if (!c.topologyKey) errs.push(requiredError(`${f}.topologyKey`, 'can not be empty'));
    else errs.push(...isQualifiedName(c.topologyKey).map((e) => invalidError(`${f}.topologyKey`, c.topologyKey, e)));
    errs.push(...validateEnum(c.whenUnsatisfiable, `${f}.whenUnsatisfiable`, ['DoNotSchedule', 'ScheduleAnyway'], true));
    if (c.minDomains !== undefined) {
      if (c.minDomains <= 0) errs.push(invalidError(`${f}.minDomains`, c.minDomains, 'must be greater than 0'));
      else if (c.whenUnsatisfiable !== 'DoNotSchedule') {
        errs.push(invalidError(`${f}.minDomains`, c.minDomains, 'can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway'));
      }
    }
    errs.push(...validateEnum(c.nodeAffinityPolicy, `${f}.nodeAffinityPolicy`, ['Honor', 'Ignore']));
    errs.push(...validateEnum(c.nodeTaintsPolicy, `${f}.nodeTaintsPolicy`, ['Honor', 'Ignore']));
    errs.push(...validateLabelSelector(c.labelSelector, `${f}.labelSelector`));
    const id = `${c.topologyKey}/${c.whenUnsatisfiable}`;
    if (seen.has(id)) errs.push({ field: `${f}.{topologyKey, whenUnsatisfiable}`, reason: 'FieldValueDuplicate', message: `Duplicate value: "{${c.topologyKey}, ${c.whenUnsatisfiable}}"` });
    seen.add(id);
  }
  return errs;
}

/** spec.nodeSelector: label-shaped keys and values. */
export function validateNodeSelectorMap(sel: Record<string, string> | undefined, field: string): FieldError[] {
  return validateLabels(sel, field);
}
