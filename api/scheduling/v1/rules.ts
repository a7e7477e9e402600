// Defaulting and validation for PriorityClass (scheduling.k8s.io/v1).
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import { forbiddenError, invalidError, validateEnum } from '../../validation.js';
import type { PriorityClass } from './priorityclass.js';

/** Highest value a user-defined PriorityClass may have. */
export const highestUserDefinablePriority = 1_000_000_000;
/** The built-in classes that may use the `system-` prefix and higher values. */
export const systemPriorityClasses: Record<string, number> = {
  'system-cluster-critical': 2_000_000_000,
  'system-node-critical': 2_000_001_000,
};

export function setPriorityClassDefaults(pc: PriorityClass): void {
  pc.preemptionPolicy ??= 'PreemptLowerPriority';
}

export function validatePriorityClass(pc: PriorityClass, old?: PriorityClass): FieldError[] {
  const errs = validateObjectMeta(pc.metadata, { namespaced: false });
  const name = pc.metadata?.name ?? '';
  const system = systemPriorityClasses[name];
  if (system !== undefined) {
    if (pc.value !== system) errs.push(forbiddenError('value', `value of ${name} PriorityClass must be ${system}`));
  } else {
    if (name.startsWith('system-')) errs.push(invalidError('metadata.name', name, "priority class names with 'system-' prefix are reserved"));
    if (pc.value > highestUserDefinablePriority) {
      errs.push(forbiddenError('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`));
    }
  }
  errs.push(...validateEnum(pc.preemptionPolicy, 'preemptionPolicy', ['Never', 'PreemptLowerPriority']));
  if (old) {
    errs.push(...validateObjectMetaUpdate(pc.metadata, old.metadata));
    if (pc.value !== old.value) errs.push(forbiddenError('value', 'may not be changed in an update.'));
    if (pc.preemptionPolicy !== old.preemptionPolicy) errs.push(invalidError('preemptionPolicy', pc.preemptionPolicy ?? '', 'field is immutable'));
  }
  return errs;
}
