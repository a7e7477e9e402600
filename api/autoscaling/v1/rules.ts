// Validation for Scale, the body of the scale subresource (autoscaling/v1).
import type { FieldError } from '../../resource.js';
import { validateNonNegative } from '../../validation.js';
import type { Scale } from './scale.js';

export function validateScale(scale: Scale): FieldError[] {
  return validateNonNegative(scale.spec?.replicas, 'spec.replicas');
}
