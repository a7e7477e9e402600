// v1 ReplicationController, the legacy ReplicaSet: its selector is a plain label map.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';
import { PodTemplateSpecSchema } from './pod.js';

export const ReplicationControllerSpecSchema = z.strictObject({
  replicas: z.number().int().optional(),
  minReadySeconds: z.number().int().optional(),
  selector: z.record(z.string(), z.string()).optional(),
  template: PodTemplateSpecSchema.optional(),
});

export const ReplicationControllerConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const ReplicationControllerStatusSchema = z.strictObject({
  replicas: z.number().int(),
  fullyLabeledReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(ReplicationControllerConditionSchema).optional(),
});

export const ReplicationControllerSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: ReplicationControllerSpecSchema.optional(),
  status: ReplicationControllerStatusSchema.optional(),
});
export type ReplicationController = z.infer<typeof ReplicationControllerSchema>;
