// Defaulting and validation for ReplicationController (pkg/apis/core/v1/defaults.go
// SetDefaults_ReplicationController, pkg/apis/core/validation ValidateReplicationController).
import type { FieldError } from '../../resource.js';
import { mapSelectorMatches, validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import { invalidError, requiredError, validateLabels, validateNonNegative } from '../../validation.js';
import { defaultPodTemplateSpec } from './pod-defaults.js';
import { validatePodTemplateSpec } from './pod-validation.js';
import type { ReplicationController } from './replicationcontroller.js';

export function setReplicationControllerDefaults(rc: ReplicationController): void {
  const spec = rc.spec;
  if (!spec) return;
  // An empty selector (and empty object labels) default to the template's labels.
  const labels = spec.template?.metadata?.labels;
  if (labels && Object.keys(labels).length > 0) {
    if (!spec.selector || Object.keys(spec.selector).length === 0) spec.selector = { ...labels };
    const meta = (rc.metadata ??= {});
    if (!meta.labels || Object.keys(meta.labels).length === 0) meta.labels = { ...labels };
  }
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}

export function validateReplicationController(rc: ReplicationController, old?: ReplicationController): FieldError[] {
  const errs = validateObjectMeta(rc.metadata, { namespaced: true });
  const spec = rc.spec ?? {};
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) errs.push(requiredError('spec.selector'));
  else errs.push(...validateLabels(selector, 'spec.selector'));
  if (!spec.template) {
    if ((spec.replicas ?? 0) > 0) errs.push(requiredError('spec.template'));
  } else {
    const labels = spec.template.metadata?.labels ?? {};
    if (Object.keys(selector).length > 0 && !mapSelectorMatches(selector, labels)) {
      errs.push(invalidError('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
    }
    errs.push(...validatePodTemplateSpec(spec.template, 'spec.template', { restartAlwaysOnly: true }));
  }
  if (old) errs.push(...validateObjectMetaUpdate(rc.metadata, old.metadata));
  return errs;
}
