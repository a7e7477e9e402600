// policy/v1 PodDisruptionBudget and Eviction (body of pods/eviction).
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ConditionSchema, LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { IntOrStringSchema, TimeSchema } from '../../meta/v1/primitives.js';
import { DeleteOptionsSchema } from '../../meta/v1/status.js';

export const PodDisruptionBudgetSpecSchema = z.strictObject({
  minAvailable: IntOrStringSchema.optional(),
  selector: LabelSelectorSchema.optional(),
  maxUnavailable: IntOrStringSchema.optional(),
  unhealthyPodEvictionPolicy: z.string().optional(),
});
export type PodDisruptionBudgetSpec = z.infer<typeof PodDisruptionBudgetSpecSchema>;

export const PodDisruptionBudgetStatusSchema = z.strictObject({
  observedGeneration: z.number().int().optional(),
  disruptedPods: z.record(z.string(), TimeSchema).optional(),
  disruptionsAllowed: z.number().int().optional(),
  currentHealthy: z.number().int().optional(),
  desiredHealthy: z.number().int().optional(),
  expectedPods: z.number().int().optional(),
  conditions: z.array(ConditionSchema).optional(),
});
export type PodDisruptionBudgetStatus = z.infer<typeof PodDisruptionBudgetStatusSchema>;

export const PodDisruptionBudgetSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: PodDisruptionBudgetSpecSchema.optional(),
  status: PodDisruptionBudgetStatusSchema.optional(),
});
export type PodDisruptionBudget = z.infer<typeof PodDisruptionBudgetSchema>;

export const EvictionSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  deleteOptions: DeleteOptionsSchema.optional(),
});
export type Eviction = z.infer<typeof EvictionSchema>;
