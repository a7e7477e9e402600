// apps/v1 ReplicaSet.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { PodTemplateSpecSchema } from '../../core/v1/pod.js';
import { LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const ReplicaSetSpecSchema = z.strictObject({
  replicas: z.number().int().optional(),
  minReadySeconds: z.number().int().optional(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema.optional(),
});
export type ReplicaSetSpec = z.infer<typeof ReplicaSetSpecSchema>;

export const ReplicaSetConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type ReplicaSetCondition = z.infer<typeof ReplicaSetConditionSchema>;

export const ReplicaSetStatusSchema = z.strictObject({
  replicas: z.number().int().optional(),
  fullyLabeledReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(ReplicaSetConditionSchema).optional(),
});
export type ReplicaSetStatus = z.infer<typeof ReplicaSetStatusSchema>;

export const ReplicaSetSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: ReplicaSetSpecSchema.optional(),
  status: ReplicaSetStatusSchema.optional(),
});
export type ReplicaSet = z.infer<typeof ReplicaSetSchema>;
