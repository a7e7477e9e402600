// apps/v1 Deployment.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { PodTemplateSpecSchema } from '../../core/v1/pod.js';
import { LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { IntOrStringSchema, TimeSchema } from '../../meta/v1/primitives.js';

export const RollingUpdateDeploymentSchema = z.strictObject({
  maxUnavailable: IntOrStringSchema.optional(),
  maxSurge: IntOrStringSchema.optional(),
});
export type RollingUpdateDeployment = z.infer<typeof RollingUpdateDeploymentSchema>;

export const DeploymentStrategySchema = z.strictObject({
  type: z.string().optional(),
  rollingUpdate: RollingUpdateDeploymentSchema.optional(),
});
export type DeploymentStrategy = z.infer<typeof DeploymentStrategySchema>;

export const DeploymentSpecSchema = z.strictObject({
  replicas: z.number().int().optional(),
  selector: LabelSelectorSchema,
  template: PodTemplateSpecSchema,
  strategy: DeploymentStrategySchema.optional(),
  minReadySeconds: z.number().int().optional(),
  revisionHistoryLimit: z.number().int().optional(),
  paused: z.boolean().optional(),
  progressDeadlineSeconds: z.number().int().optional(),
});
export type DeploymentSpec = z.infer<typeof DeploymentSpecSchema>;

export const DeploymentConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastUpdateTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type DeploymentCondition = z.infer<typeof DeploymentConditionSchema>;

export const DeploymentStatusSchema = z.strictObject({
  observedGeneration: z.number().int().optional(),
  replicas: z.number().int().optional(),
  updatedReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  unavailableReplicas: z.number().int().optional(),
  conditions: z.array(DeploymentConditionSchema).optional(),
  collisionCount: z.number().int().optional(),
});
export type DeploymentStatus = z.infer<typeof DeploymentStatusSchema>;

export const DeploymentSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: DeploymentSpecSchema.optional(),
  status: DeploymentStatusSchema.optional(),
});
export type Deployment = z.infer<typeof DeploymentSchema>;
