// Defaulting and validation for Deployment and ReplicaSet (pkg/apis/apps/v1 defaults, pkg/apis/apps/validation).
import type { FieldError } from '../../resource.js';
import type { LabelSelector } from '../../meta/v1/meta.js';
import {
  labelSelectorIsEmpty, labelSelectorMatches, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate,
} from '../../meta/v1/validation.js';
import {
  forbiddenError, intOrPercentValue, invalidError, notSupportedError, requiredError, validateImmutable,
  validateIntOrPercent, validateNonNegative,
} from '../../validation.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import type { PodTemplateSpec } from '../../core/v1/pod.js';
import type { Deployment } from './deployment.js';
import type { ReplicaSet } from './replicaset.js';

export function setDeploymentDefaults(d: Deployment): void {
  const spec = d.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  const strategy = (spec.strategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= '25%';
    ru.maxSurge ??= '25%';
  }
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  defaultPodTemplateSpec(spec.template);
}

export function setReplicaSetDefaults(rs: ReplicaSet): void {
  const spec = rs.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  defaultPodTemplateSpec(spec.template);
}

/** Selector required, non-empty, valid, and matching the template's labels. */
export function validateSelectorAndTemplate(selector: LabelSelector | undefined, template: PodTemplateSpec | undefined, kind: string, replicas: number | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!selector) {
    errs.push(requiredError('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (labelSelectorIsEmpty(selector)) errs.push(invalidError('spec.selector', selector, `empty selector is invalid for ${kind}`));
  }
  if (!template) {
    // A ReplicaSet may omit its template only while it has nothing to create.
    if (kind === 'deployment' || (replicas ?? 0) > 0) errs.push(requiredError('spec.template'));
    return errs;
  }
  const labels = template.metadata?.labels ?? {};
  if (selector && !labelSelectorIsEmpty(selector) && !labelSelectorMatches(selector, labels)) {
    errs.push(invalidError('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template', { restartAlwaysOnly: true }));
  return errs;
}

export function validateDeployment(d: Deployment, old?: Deployment): FieldError[] {
  const errs = validateObjectMeta(d.metadata, { namespaced: true });
  const spec = d.spec;
  if (!spec) {
    errs.push(requiredError('spec.selector'), requiredError('spec.template'));
    return errs;
  }
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'deployment', spec.replicas));
  const strategy = spec.strategy ?? {};
  const type = strategy.type;
  if (type === 'Recreate') {
    if (strategy.rollingUpdate) errs.push(forbiddenError('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  } else if (type === 'RollingUpdate' || type === undefined) {
    const ru = strategy.rollingUpdate;
    if (ru) {
      errs.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      errs.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      const mu = ru.maxUnavailable === undefined ? undefined : intOrPercentValue(ru.maxUnavailable);
      const ms = ru.maxSurge === undefined ? undefined : intOrPercentValue(ru.maxSurge);
      if (mu?.percent && mu.value > 100) errs.push(invalidError('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'must not be greater than 100%'));
      if (mu && ms && mu.value === 0 && ms.value === 0) {
        errs.push(invalidError('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
  } else {
    errs.push(notSupportedError('spec.strategy.type', type, ['Recreate', 'RollingUpdate']));
  }
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalidError('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(d.metadata, old.metadata));
    errs.push(...validateImmutable('spec.selector', spec.selector, old.spec?.selector));
  }
  errs.push(...validateAppsStatus(d.status, 'status'));
  return errs;
}

export function validateReplicaSet(rs: ReplicaSet, old?: ReplicaSet): FieldError[] {
  const errs = validateObjectMeta(rs.metadata, { namespaced: true });
  const spec = rs.spec;
  if (!spec) {
    errs.push(requiredError('spec.selector'));
    return errs;
  }
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'replicaset', spec.replicas));
  if (old) {
    errs.push(...validateObjectMetaUpdate(rs.metadata, old.metadata));
    errs.push(...validateImmutable('spec.selector', spec.selector, old.spec?.selector));
  }
  errs.push(...validateAppsStatus(rs.status, 'status'));
  return errs;
}

/** Status counters are never negative. */
function validateAppsStatus(status: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(status ?? {})) {
    if (typeof v === 'number') errs.push(...validateNonNegative(v, `${field}.${k}`));
  }
  return errs;
}
