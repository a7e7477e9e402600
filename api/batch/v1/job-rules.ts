// Defaulting and validation for Job (pkg/apis/batch/v1/defaults.go, pkg/apis/batch/validation,
// pkg/registry/batch/job/strategy.go) with Kubernetes' message texts.
import type { FieldError } from '../../resource.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-defaults.js';
import { validatePodTemplateSpec } from '../../core/v1/pod-validation.js';
import {
  labelSelectorIsEmpty, labelSelectorMatches, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate,
} from '../../meta/v1/validation.js';
import {
  forbiddenError, invalidError, notSupportedError, requiredError, validateEnum, validateImmutable, validateNonNegative,
} from '../../validation.js';
import type { Job, JobSpec, JobTemplateSpec, PodFailurePolicy } from './job.js';

/** Labels the apiserver puts on a Job's pod template (and the selector it generates from them). */
export const jobLabels = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
} as const;

const maxInt32 = 2147483647;
/** Indexed Jobs keep per-index state: Kubernetes caps their size. */
const maxIndexedCompletions = 100_000;

export function setJobSpecDefaults(spec: JobSpec): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? maxInt32 : 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  for (const rule of spec.podFailurePolicy?.rules ?? []) for (const p of rule.onPodConditions ?? []) p.status ??= 'True';
  defaultPodTemplateSpec(spec.template);
}

export function setJobDefaults(job: Job): void {
  if (job.spec) setJobSpecDefaults(job.spec);
}

/**
 * On create, unless `manualSelector` is set: the selector becomes this Job's uid and the
 * template is labelled with it, so a Job never adopts another's pods (strategy.go generateSelector).
 */
export function prepareJobForCreate(job: Job): void {
  const spec = job.spec;
  const uid = job.metadata?.uid;
  if (!spec || !uid || spec.manualSelector === true) return;
  const t = spec.template;
  const labels = ((t.metadata ??= {}).labels ??= {});
  const name = job.metadata?.name ?? '';
  labels[jobLabels.controllerUid] = uid;
  labels[jobLabels.jobName] = name;
  labels[jobLabels.legacyControllerUid] = uid;
  labels[jobLabels.legacyJobName] = name;
  // A user's extra matchLabels stay; a wrong controller-uid then fails validation (labels differ).
  const sel = (spec.selector ??= {});
  (sel.matchLabels ??= {})[jobLabels.controllerUid] ??= uid;
}

const failurePolicyActions = ['Count', 'FailIndex', 'FailJob', 'Ignore'] as const;

function validatePodFailurePolicy(policy: PodFailurePolicy, spec: JobSpec, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (policy.rules.length > 20) errs.push({ field: `${field}.rules`, reason: 'FieldValueTooMany', message: `Too many: ${policy.rules.length}: must have at most 20 items` });
  for (const [i, rule] of policy.rules.entries()) {
    const p = `${field}.rules[${i}]`;
    errs.push(...validateEnum(rule.action, `${p}.action`, failurePolicyActions, true));
    if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) {
      errs.push(forbiddenError(`${p}.action`, 'requires the backoffLimitPerIndex to be set'));
    }
    if (rule.onExitCodes && rule.onPodConditions) errs.push(invalidError(p, '', 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!rule.onExitCodes && !rule.onPodConditions) errs.push(invalidError(p, '', 'specifying one of OnExitCodes and OnPodConditions is required'));
    const codes = rule.onExitCodes;
    if (codes) {
      errs.push(...validateEnum(codes.operator, `${p}.onExitCodes.operator`, ['In', 'NotIn'], true));
      if (codes.values.length === 0) errs.push(requiredError(`${p}.onExitCodes.values`, 'at least one value is required'));
      codes.values.forEach((v, j) => {
        if (j > 0 && v <= (codes.values[j - 1] ?? v)) errs.push(invalidError(`${p}.onExitCodes.values[${j}]`, v, 'must be ordered'));
        if (codes.operator === 'In' && v === 0) errs.push(invalidError(`${p}.onExitCodes.values[${j}]`, v, 'must not be 0 for the In operator'));
      });
    }
    for (const [j, cond] of (rule.onPodConditions ?? []).entries()) {
      errs.push(...validateEnum(cond.status, `${p}.onPodConditions[${j}].status`, ['True', 'False', 'Unknown'], true));
      if (!cond.type) errs.push(requiredError(`${p}.onPodConditions[${j}].type`));
    }
  }
  return errs;
}

/** ValidateJobSpec; `field` is `spec`, or `spec.jobTemplate.spec` inside a CronJob. */
export function validateJobSpec(spec: JobSpec, field: string, opts: { generatedSelector: boolean }): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonNegative(spec.parallelism, `${field}.parallelism`));
  errs.push(...validateNonNegative(spec.completions, `${field}.completions`));
  errs.push(...validateNonNegative(spec.activeDeadlineSeconds, `${field}.activeDeadlineSeconds`));
  errs.push(...validateNonNegative(spec.backoffLimit, `${field}.backoffLimit`));
  errs.push(...validateNonNegative(spec.ttlSecondsAfterFinished, `${field}.ttlSecondsAfterFinished`));
  errs.push(...validateNonNegative(spec.backoffLimitPerIndex, `${field}.backoffLimitPerIndex`));
  errs.push(...validateNonNegative(spec.maxFailedIndexes, `${field}.maxFailedIndexes`));
  errs.push(...validateEnum(spec.completionMode, `${field}.completionMode`, ['NonIndexed', 'Indexed']));
  errs.push(...validateEnum(spec.podReplacementPolicy, `${field}.podReplacementPolicy`, ['TerminatingOrFailed', 'Failed']));
  const indexed = spec.completionMode === 'Indexed';
  if (indexed) {
    if (spec.completions === undefined) errs.push(requiredError(`${field}.completions`, 'when completion mode is Indexed'));
    else if (spec.completions > maxIndexedCompletions) errs.push(invalidError(`${field}.completions`, spec.completions, `must be less than or equal to ${maxIndexedCompletions} when completion mode is Indexed`));
    if ((spec.parallelism ?? 0) > maxIndexedCompletions) errs.push(invalidError(`${field}.parallelism`, spec.parallelism, `must be less than or equal to ${maxIndexedCompletions} when completion mode is Indexed`));
  } else {
    if (spec.backoffLimitPerIndex !== undefined) errs.push(forbiddenError(`${field}.backoffLimitPerIndex`, 'requires indexed completion mode'));
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) {
    errs.push(requiredError(`${field}.backoffLimitPerIndex`, 'when maxFailedIndexes is specified'));
  }
  if (!opts.generatedSelector) {
    if (!spec.selector) errs.push(requiredError(`${field}.selector`));
    else {
      errs.push(...validateLabelSelector(spec.selector, `${field}.selector`));
      const labels = spec.template?.metadata?.labels ?? {};
      if (!labelSelectorIsEmpty(spec.selector) && !labelSelectorMatches(spec.selector, labels)) {
        errs.push(invalidError(`${field}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
      }
    }
  } else if (spec.selector) {
    errs.push(invalidError(`${field}.selector`, spec.selector, '`selector` will be auto-generated'));
  }
  errs.push(...validatePodTemplateSpec(spec.template, `${field}.template`));
  const restart = spec.template?.spec?.restartPolicy;
  if (spec.template?.spec && restart !== 'OnFailure' && restart !== 'Never') {
    errs.push(notSupportedError(`${field}.template.spec.restartPolicy`, restart ?? '', ['OnFailure', 'Never']));
  }
  if (spec.podFailurePolicy) {
    errs.push(...validatePodFailurePolicy(spec.podFailurePolicy, spec, `${field}.podFailurePolicy`));
    if (restart !== 'Never') errs.push(invalidError(`${field}.template.spec.restartPolicy`, restart ?? '', 'only "Never" is supported when podFailurePolicy is specified'));
  }
  return errs;
}

export function validateJob(job: Job, old?: Job): FieldError[] {
  const errs = validateObjectMeta(job.metadata, { namespaced: true });
  const spec = job.spec;
  if (!spec) {
    errs.push(requiredError('spec.template'));
    return errs;
  }
  // A Job created without manualSelector has its selector filled in by prepareJobForCreate.
  errs.push(...validateJobSpec(spec, 'spec', { generatedSelector: false }));
  if (old?.spec) {
    errs.push(...validateObjectMetaUpdate(job.metadata, old.metadata));
    const o = old.spec;
    errs.push(...validateImmutable('spec.selector', spec.selector, o.selector));
    errs.push(...validateImmutable('spec.completionMode', spec.completionMode, o.completionMode));
    errs.push(...validateImmutable('spec.podFailurePolicy', spec.podFailurePolicy, o.podFailurePolicy));
    errs.push(...validateImmutable('spec.backoffLimitPerIndex', spec.backoffLimitPerIndex, o.backoffLimitPerIndex));
    // Completions may change only with parallelism, for elastic Indexed Jobs.
    if (!(spec.completionMode === 'Indexed' && spec.completions === spec.parallelism && o.completions === o.parallelism)) {
      errs.push(...validateImmutable('spec.completions', spec.completions, o.completions));
    }
    // The template is frozen once the Job has started (a suspended, never-started Job may change it).
    const neverStarted = o.suspend === true && !old.status?.startTime;
    if (!neverStarted) errs.push(...validateImmutable('spec.template', spec.template, o.template));
  }
  for (const k of ['active', 'succeeded', 'failed', 'ready', 'terminating'] as const) errs.push(...validateNonNegative(job.status?.[k], `status.${k}`));
  return errs;
}

/** A CronJob's job template: metadata labels/annotations and the Job spec (selector never given). */
export function validateJobTemplateSpec(t: JobTemplateSpec, field: string): FieldError[] {
  if (!t.spec) return [requiredError(`${field}.spec`)];
  const errs = validateJobSpec(t.spec, `${field}.spec`, { generatedSelector: !t.spec.manualSelector });
  return errs;
}
