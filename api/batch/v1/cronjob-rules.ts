// Defaulting and validation for CronJob (pkg/apis/batch/v1/defaults.go, pkg/apis/batch/validation).
import type { FieldError } from '../../resource.js';
import { defaultPodTemplateSpec } from '../../core/v1/pod-defaults.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import { invalidError, requiredError, validateAnnotations, validateEnum, validateLabels, validateNonNegative } from '../../validation.js';
import { isValidTimeZone, parseSchedule } from './cron.js';
import type { CronJob } from './cronjob.js';
import { validateJobTemplateSpec } from './job-rules.js';

/** Job names are `<cronjob>-<minutes>` (11 digits) and must stay valid label values (63). */
const maxCronJobNameLength = 52;

export function setCronJobDefaults(cj: CronJob): void {
  const spec = cj.spec;
  if (!spec) return;
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  defaultPodTemplateSpec(spec.jobTemplate?.spec?.template);
}

export function validateCronJob(cj: CronJob, old?: CronJob): FieldError[] {
  const errs = validateObjectMeta(cj.metadata, { namespaced: true });
  const name = cj.metadata?.name ?? '';
  if (name.length > maxCronJobNameLength) errs.push(invalidError('metadata.name', name, `must be no more than ${maxCronJobNameLength} characters`));
  const spec = cj.spec;
  if (!spec) return [...errs, requiredError('spec.schedule'), requiredError('spec.jobTemplate')];
  if (!spec.schedule) errs.push(requiredError('spec.schedule'));
  else {
    try {
      parseSchedule(spec.schedule);
    } catch (err) {
      errs.push(invalidError('spec.schedule', spec.schedule, (err as Error).message));
    }
  }
  if (spec.timeZone !== undefined) {
    if (spec.timeZone === '' || !isValidTimeZone(spec.timeZone)) errs.push(invalidError('spec.timeZone', spec.timeZone, `unknown time zone ${spec.timeZone}`));
  }
  errs.push(...validateEnum(spec.concurrencyPolicy, 'spec.concurrencyPolicy', ['Allow', 'Forbid', 'Replace'], true));
  errs.push(...validateNonNegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  errs.push(...validateNonNegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonNegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  const t = spec.jobTemplate;
  if (!t) errs.push(requiredError('spec.jobTemplate'));
  else {
    errs.push(...validateLabels(t.metadata?.labels, 'spec.jobTemplate.metadata.labels'));
    errs.push(...validateAnnotations(t.metadata?.annotations, 'spec.jobTemplate.metadata.annotations'));
    errs.push(...validateJobTemplateSpec(t, 'spec.jobTemplate'));
  }
  if (old) errs.push(...validateObjectMetaUpdate(cj.metadata, old.metadata));
  return errs;
}
