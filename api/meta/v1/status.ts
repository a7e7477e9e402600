// meta/v1 Status (error bodies) and DeleteOptions.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ListMetaSchema, TypeMetaSchema } from './meta.js';

export const StatusCauseSchema = z.strictObject({
  reason: z.string().optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});
export type StatusCause = z.infer<typeof StatusCauseSchema>;

export const StatusDetailsSchema = z.strictObject({
  name: z.string().optional(),
  group: z.string().optional(),
  kind: z.string().optional(),
  uid: z.string().optional(),
  causes: z.array(StatusCauseSchema).optional(),
  retryAfterSeconds: z.number().int().optional(),
});
export type StatusDetails = z.infer<typeof StatusDetailsSchema>;

export const StatusSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ListMetaSchema.optional(),
  status: z.string().optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  details: StatusDetailsSchema.optional(),
  code: z.number().int().optional(),
});
export type Status = z.infer<typeof StatusSchema>;

export const PreconditionsSchema = z.strictObject({
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
});
export type Preconditions = z.infer<typeof PreconditionsSchema>;

export const DeleteOptionsSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  gracePeriodSeconds: z.number().int().optional(),
  preconditions: PreconditionsSchema.optional(),
  orphanDependents: z.boolean().optional(),
  propagationPolicy: z.string().optional(),
  dryRun: z.array(z.string()).optional(),
  ignoreStoreReadErrorWithClusterBreakingPotential: z.boolean().optional(),
});
export type DeleteOptions = z.infer<typeof DeleteOptionsSchema>;
