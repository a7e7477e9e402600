// Defaulting and validation for DaemonSet and ControllerRevision (pkg/apis/apps/v1/defaults.go,
// pkg/apis/apps/validation).
import type { FieldError } from '../../resource.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-defaults.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  forbiddenError, intOrPercentValue, invalidError, notSupportedError, validateImmutable, validateIntOrPercent, validateNonNegative,
} from '../../validation.js';
import type { ControllerRevision } from './controllerrevision.js';
import type { DaemonSet } from './daemonset.js';
import { validateSelectorAndTemplate } from './rules.js';

export function setDaemonSetDefaults(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    ru.maxUnavailable ??= 1;
    ru.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  defaultPodTemplateSpec(spec.template);
}

export function validateDaemonSet(ds: DaemonSet, old?: DaemonSet): FieldError[] {
  const errs = validateObjectMeta(ds.metadata, { namespaced: true });
  const spec = ds.spec;
  if (!spec) return [...errs, ...validateSelectorAndTemplate(undefined, undefined, 'daemonset', 1)];
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'daemonset', 1));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  const strategy = spec.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') {
    if (strategy.rollingUpdate) errs.push(forbiddenError('spec.updateStrategy.rollingUpdate', "may not be specified when strategy `type` is 'OnDelete'"));
  } else if (strategy.type === 'RollingUpdate' || strategy.type === undefined) {
    const ru = strategy.rollingUpdate;
    if (ru) {
      const field = 'spec.updateStrategy.rollingUpdate';
      errs.push(...validateIntOrPercent(ru.maxUnavailable, `${field}.maxUnavailable`));
      errs.push(...validateIntOrPercent(ru.maxSurge, `${field}.maxSurge`));
      const mu = ru.maxUnavailable === undefined ? undefined : intOrPercentValue(ru.maxUnavailable);
      const ms = ru.maxSurge === undefined ? undefined : intOrPercentValue(ru.maxSurge);
      if (mu?.percent && mu.value > 100) errs.push(invalidError(`${field}.maxUnavailable`, ru.maxUnavailable, 'must not be greater than 100%'));
      if (ms?.percent && ms.value > 100) errs.push(invalidError(`${field}.maxSurge`, ru.maxSurge, 'must not be greater than 100%'));
      if (mu?.value === 0 && (ms === undefined || ms.value === 0)) errs.push(invalidError(`${field}.maxUnavailable`, ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
    }
  } else {
    errs.push(notSupportedError('spec.updateStrategy.type', strategy.type, ['OnDelete', 'RollingUpdate']));
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(ds.metadata, old.metadata));
    errs.push(...validateImmutable('spec.selector', spec.selector, old.spec?.selector));
  }
  return errs;
}

export function validateControllerRevision(cr: ControllerRevision, old?: ControllerRevision): FieldError[] {
  const errs = validateObjectMeta(cr.metadata, { namespaced: true });
  errs.push(...validateNonNegative(cr.revision, 'revision'));
  if (old) {
    errs.push(...validateObjectMetaUpdate(cr.metadata, old.metadata));
    errs.push(...validateImmutable('data', cr.data, old.data));
  }
  return errs;
}
