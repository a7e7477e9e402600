// Defaulting and validation for StatefulSet (pkg/apis/apps/v1/defaults.go, pkg/apis/apps/validation).
import type { FieldError } from '../../resource.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-defaults.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  deepEqual, forbiddenError, invalidError, isDns1123Label, notSupportedError, validateEnum, validateIntOrPercent, validateNonNegative,
} from '../../validation.js';
import type { StatefulSet } from './statefulset.js';
import { validateSelectorAndTemplate } from './rules.js';

export function setStatefulSetDefaults(sts: StatefulSet): void {
  const spec = sts.spec;
  if (!spec) return;
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  strategy.type ??= 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') (strategy.rollingUpdate ??= {}).partition ??= 0;
  spec.revisionHistoryLimit ??= 10;
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  retention.whenDeleted ??= 'Retain';
  retention.whenScaled ??= 'Retain';
  defaultPodTemplateSpec(spec.template);
}

export function validateStatefulSet(sts: StatefulSet, old?: StatefulSet): FieldError[] {
  const errs = validateObjectMeta(sts.metadata, { namespaced: true, nameCheck: isDns1123Label });
  const spec = sts.spec;
  if (!spec) return [...errs, ...validateSelectorAndTemplate(undefined, undefined, 'statefulset', 1)];
  errs.push(...validateNonNegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...validateNonNegative(spec.ordinals?.start, 'spec.ordinals.start'));
  errs.push(...validateSelectorAndTemplate(spec.selector, spec.template, 'statefulset', 1));
  errs.push(...validateEnum(spec.podManagementPolicy, 'spec.podManagementPolicy', ['OrderedReady', 'Parallel']));
  if (spec.serviceName) for (const e of isDns1123Label(spec.serviceName)) errs.push(invalidError('spec.serviceName', spec.serviceName, e));
  const strategy = spec.updateStrategy ?? {};
  if (strategy.type === 'OnDelete') {
    if (strategy.rollingUpdate) errs.push(invalidError('spec.updateStrategy.rollingUpdate', strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  } else if (strategy.type === 'RollingUpdate' || strategy.type === undefined) {
    errs.push(...validateNonNegative(strategy.rollingUpdate?.partition, 'spec.updateStrategy.rollingUpdate.partition'));
    errs.push(...validateIntOrPercent(strategy.rollingUpdate?.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable'));
  } else {
    errs.push(notSupportedError('spec.updateStrategy.type', strategy.type, ['OnDelete', 'RollingUpdate']));
  }
  const retention = spec.persistentVolumeClaimRetentionPolicy;
  errs.push(...validateEnum(retention?.whenDeleted, 'spec.persistentVolumeClaimRetentionPolicy.whenDeleted', ['Retain', 'Delete']));
  errs.push(...validateEnum(retention?.whenScaled, 'spec.persistentVolumeClaimRetentionPolicy.whenScaled', ['Retain', 'Delete']));
  // Said plainly rather than accepted and ignored: nothing here would create the claims.
  if ((spec.volumeClaimTemplates ?? []).length > 0) {
    errs.push(forbiddenError('spec.volumeClaimTemplates', 'PersistentVolumeClaims are not supported by this cluster yet'));
  }
  if (old?.spec) {
    errs.push(...validateObjectMetaUpdate(sts.metadata, old.metadata));
    // Only replicas, template, updateStrategy, revisionHistoryLimit, minReadySeconds, ordinals and the retention policy may change.
    const frozen = (s: StatefulSet['spec']): unknown => s && { selector: s.selector, serviceName: s.serviceName, podManagementPolicy: s.podManagementPolicy, volumeClaimTemplates: s.volumeClaimTemplates };
    if (!deepEqual(frozen(spec), frozen(old.spec))) {
      errs.push(forbiddenError('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"));
    }
  }
  return errs;
}
