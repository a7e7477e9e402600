// Validation for PodDisruptionBudget and Eviction (policy/v1).
import type { FieldError } from '../../resource.js';
import { validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import { intOrPercentValue, invalidError, validateEnum, validateIntOrPercent, validateNonNegative } from '../../validation.js';
import type { Eviction, PodDisruptionBudget } from './poddisruptionbudget.js';

function validatePercentBound(value: string | number | undefined, field: string): FieldError[] {
  if (value === undefined) return [];
  const errs = validateIntOrPercent(value, field);
  const v = intOrPercentValue(value);
  if (errs.length === 0 && v.percent && v.value > 100) errs.push(invalidError(field, value, 'must not be greater than 100%'));
  return errs;
}

export function validatePodDisruptionBudget(pdb: PodDisruptionBudget, old?: PodDisruptionBudget): FieldError[] {
  const errs = validateObjectMeta(pdb.metadata, { namespaced: true });
  const spec = pdb.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalidError('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  errs.push(...validatePercentBound(spec.minAvailable, 'spec.minAvailable'));
  errs.push(...validatePercentBound(spec.maxUnavailable, 'spec.maxUnavailable'));
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  errs.push(...validateEnum(spec.unhealthyPodEvictionPolicy, 'spec.unhealthyPodEvictionPolicy', ['AlwaysAllow', 'IfHealthyBudget']));
  const status = pdb.status ?? {};
  for (const k of ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] as const) {
    errs.push(...validateNonNegative(status[k], `status.${k}`));
  }
  if (old) errs.push(...validateObjectMetaUpdate(pdb.metadata, old.metadata));
  return errs;
}

/** Body of POST pods/{name}/eviction. */
export function validateEviction(ev: Eviction): FieldError[] {
  const errs: FieldError[] = [];
  const grace = ev.deleteOptions?.gracePeriodSeconds;
  errs.push(...validateNonNegative(grace, 'deleteOptions.gracePeriodSeconds'));
  errs.push(...validateEnum(ev.deleteOptions?.propagationPolicy, 'deleteOptions.propagationPolicy', ['Background', 'Foreground', 'Orphan']));
  return errs;
}
