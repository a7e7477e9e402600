// batch/v1 CronJob.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
import { z } from 'zod';
import { ObjectReferenceSchema } from '../../core/v1/common.js';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';
import { JobTemplateSpecSchema } from './job.js';

export const CronJobSpecSchema = z.strictObject({
  schedule: z.string(),
  timeZone: z.string().optional(),
  startingDeadlineSeconds: z.number().int().optional(),
  concurrencyPolicy: z.string().optional(),
  suspend: z.boolean().optional(),
  jobTemplate: JobTemplateSpecSchema,
  successfulJobsHistoryLimit: z.number().int().optional(),
  failedJobsHistoryLimit: z.number().int().optional(),
});
export type CronJobSpec = z.infer<typeof CronJobSpecSchema>;

export const CronJobStatusSchema = z.strictObject({
  active: z.array(ObjectReferenceSchema).optional(),
  lastScheduleTime: TimeSchema.optional(),
  lastSuccessfulTime: TimeSchema.optional(),
});
export type CronJobStatus = z.infer<typeof CronJobStatusSchema>;

export const CronJobSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: CronJobSpecSchema.optional(),
  status: CronJobStatusSchema.optional(),
});
export type CronJob = z.infer<typeof CronJobSchema>;
