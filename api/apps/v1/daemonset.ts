// apps/v1 DaemonSet.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
import { z } from 'zod';
import { PodTemplateSpecSchema } from '../../core/v1/pod.js';
import { LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { IntOrStringSchema, TimeSchema } from '../../meta/v1/primitives.js';

export const RollingUpdateDaemonSetSchema = z.strictObject({
  maxUnavailable: IntOrStringSchema.optional(),
  maxSurge: IntOrStringSchema.optional(),
});
export type RollingUpdateDaemonSet = z.infer<typeof RollingUpdateDaemonSetSchema>;

export const DaemonSetUpdateStrategySchema = z.strictObject({
  type: z.string().optional(),
  rollingUpdate: RollingUpdateDaemonSetSchema.optional(),
});
export type DaemonSetUpdateStrategy = z.infer<typeof DaemonSetUpdateStrategySchema>;

export const DaemonSetSpecSchema = z.strictObject({
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
  updateStrategy: DaemonSetUpdateStrategySchema.optional(),
  minReadySeconds: z.number().int().optional(),
  revisionHistoryLimit: z.number().int().optional(),
});
export type DaemonSetSpec = z.infer<typeof DaemonSetSpecSchema>;

export const DaemonSetConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type DaemonSetCondition = z.infer<typeof DaemonSetConditionSchema>;

export const DaemonSetStatusSchema = z.strictObject({
  currentNumberScheduled: z.number().int(),
  numberMisscheduled: z.number().int(),
  desiredNumberScheduled: z.number().int(),
  numberReady: z.number().int(),
  observedGeneration: z.number().int().optional(),
  updatedNumberScheduled: z.number().int().optional(),
  numberAvailable: z.number().int().optional(),
  numberUnavailable: z.number().int().optional(),
  collisionCount: z.number().int().optional(),
  conditions: z.array(DaemonSetConditionSchema).optional(),
});
export type DaemonSetStatus = z.infer<typeof DaemonSetStatusSchema>;

export const DaemonSetSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: DaemonSetSpecSchema.optional(),
  status: DaemonSetStatusSchema.optional(),
});
export type DaemonSet = z.infer<typeof DaemonSetSchema>;
