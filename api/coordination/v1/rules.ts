// Validation for Lease (coordination.k8s.io/v1).
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import { invalidError, validateEnum, validateNonNegative } from '../../validation.js';
import type { Lease } from './lease.js';

export function validateLease(lease: Lease, old?: Lease): FieldError[] {
  const errs = validateObjectMeta(lease.metadata, { namespaced: true });
  const spec = lease.spec ?? {};
  if (spec.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
    errs.push(invalidError('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  errs.push(...validateNonNegative(spec.leaseTransitions, 'spec.leaseTransitions'));
  errs.push(...validateEnum(spec.strategy, 'spec.strategy', ['OldestEmulationVersion']));
  if (old) errs.push(...validateObjectMetaUpdate(lease.metadata, old.metadata));
  return errs;
}
