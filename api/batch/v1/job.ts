// batch/v1 Job.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { PodTemplateSpecSchema } from '../../core/v1/pod.js';
import { LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const PodFailurePolicyOnExitCodesRequirementSchema = z.strictObject({
  containerName: z.string().optional(),
  operator: z.string(),
  values: z.array(z.number().int()),
});
export type PodFailurePolicyOnExitCodesRequirement = z.infer<typeof PodFailurePolicyOnExitCodesRequirementSchema>;

export const PodFailurePolicyOnPodConditionsPatternSchema = z.strictObject({
  type: z.string(),
  status: z.string().optional(),
});
export type PodFailurePolicyOnPodConditionsPattern = z.infer<typeof PodFailurePolicyOnPodConditionsPatternSchema>;

export const PodFailurePolicyRuleSchema = z.strictObject({
  action: z.string(),
  onExitCodes: PodFailurePolicyOnExitCodesRequirementSchema.optional(),
  onPodConditions: z.array(PodFailurePolicyOnPodConditionsPatternSchema).optional(),
});
export type PodFailurePolicyRule = z.infer<typeof PodFailurePolicyRuleSchema>;

export const PodFailurePolicySchema = z.strictObject({
  rules: z.array(PodFailurePolicyRuleSchema),
});
export type PodFailurePolicy = z.infer<typeof PodFailurePolicySchema>;

export const SuccessPolicyRuleSchema = z.strictObject({
  succeededIndexes: z.string().optional(),
  succeededCount: z.number().int().optional(),
});
export type SuccessPolicyRule = z.infer<typeof SuccessPolicyRuleSchema>;

export const SuccessPolicySchema = z.strictObject({
  rules: z.array(SuccessPolicyRuleSchema),
});
export type SuccessPolicy = z.infer<typeof SuccessPolicySchema>;

export const JobSpecSchema = z.strictObject({
  parallelism: z.number().int().optional(),
  completions: z.number().int().optional(),
  activeDeadlineSeconds: z.number().int().optional(),
  podFailurePolicy: PodFailurePolicySchema.optional(),
  successPolicy: SuccessPolicySchema.optional(),
  backoffLimit: z.number().int().optional(),
  backoffLimitPerIndex: z.number().int().optional(),
  maxFailedIndexes: z.number().int().optional(),
  selector: LabelSelectorSchema.optional(),
  manualSelector: z.boolean().optional(),
  template: PodTemplateSpecSchema,
  ttlSecondsAfterFinished: z.number().int().optional(),
  completionMode: z.string().optional(),
  suspend: z.boolean().optional(),
  podReplacementPolicy: z.string().optional(),
  managedBy: z.string().optional(),
});
export type JobSpec = z.infer<typeof JobSpecSchema>;

export const JobConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastProbeTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type JobCondition = z.infer<typeof JobConditionSchema>;

export const UncountedTerminatedPodsSchema = z.strictObject({
  succeeded: z.array(z.string()).optional(),
  failed: z.array(z.string()).optional(),
});
export type UncountedTerminatedPods = z.infer<typeof UncountedTerminatedPodsSchema>;

export const JobStatusSchema = z.strictObject({
  conditions: z.array(JobConditionSchema).optional(),
  startTime: TimeSchema.optional(),
  completionTime: TimeSchema.optional(),
  active: z.number().int().optional(),
  succeeded: z.number().int().optional(),
  failed: z.number().int().optional(),
  terminating: z.number().int().optional(),
  completedIndexes: z.string().optional(),
  failedIndexes: z.string().optional(),
  uncountedTerminatedPods: UncountedTerminatedPodsSchema.optional(),
  ready: z.number().int().optional(),
});
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: JobSpecSchema.optional(),
  status: JobStatusSchema.optional(),
});
export type Job = z.infer<typeof JobSchema>;

export const JobTemplateSpecSchema = z.strictObject({
  metadata: ObjectMetaSchema.optional(),
  spec: JobSpecSchema.optional(),
});
export type JobTemplateSpec = z.infer<typeof JobTemplateSpecSchema>;
