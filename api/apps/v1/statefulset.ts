// apps/v1 StatefulSet.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream. Claims in
// volumeClaimTemplates are kept as plain objects: this cluster has no PersistentVolumeClaim kind yet.
import { z } from 'zod';
import { PodTemplateSpecSchema } from '../../core/v1/pod.js';
import { LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { IntOrStringSchema, TimeSchema } from '../../meta/v1/primitives.js';

export const RollingUpdateStatefulSetStrategySchema = z.strictObject({
  partition: z.number().int().optional(),
  maxUnavailable: IntOrStringSchema.optional(),
});
export type RollingUpdateStatefulSetStrategy = z.infer<typeof RollingUpdateStatefulSetStrategySchema>;

export const StatefulSetUpdateStrategySchema = z.strictObject({
  type: z.string().optional(),
  rollingUpdate: RollingUpdateStatefulSetStrategySchema.optional(),
});
export type StatefulSetUpdateStrategy = z.infer<typeof StatefulSetUpdateStrategySchema>;

export const StatefulSetPersistentVolumeClaimRetentionPolicySchema = z.strictObject({
  whenDeleted: z.string().optional(),
  whenScaled: z.string().optional(),
});

export const StatefulSetOrdinalsSchema = z.strictObject({
  start: z.number().int().optional(),
});

export const StatefulSetSpecSchema = z.strictObject({
  replicas: z.number().int().optional(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
  volumeClaimTemplates: z.array(z.record(z.string(), z.unknown())).optional(),
  serviceName: z.string().optional(),
  podManagementPolicy: z.string().optional(),
  updateStrategy: StatefulSetUpdateStrategySchema.optional(),
  revisionHistoryLimit: z.number().int().optional(),
  minReadySeconds: z.number().int().optional(),
  persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicySchema.optional(),
  ordinals: StatefulSetOrdinalsSchema.optional(),
});
export type StatefulSetSpec = z.infer<typeof StatefulSetSpecSchema>;

export const StatefulSetConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});

export const StatefulSetStatusSchema = z.strictObject({
  observedGeneration: z.number().int().optional(),
  replicas: z.number().int(),
  readyReplicas: z.number().int().optional(),
  currentReplicas: z.number().int().optional(),
  updatedReplicas: z.number().int().optional(),
  currentRevision: z.string().optional(),
  updateRevision: z.string().optional(),
  collisionCount: z.number().int().optional(),
  conditions: z.array(StatefulSetConditionSchema).optional(),
  availableReplicas: z.number().int().optional(),
});
export type StatefulSetStatus = z.infer<typeof StatefulSetStatusSchema>;

export const StatefulSetSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: StatefulSetSpecSchema.optional(),
  status: StatefulSetStatusSchema.optional(),
});
export type StatefulSet = z.infer<typeof StatefulSetSchema>;
