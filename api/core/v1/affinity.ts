// core/v1 affinity, tolerations, taints and topology spread constraints.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { LabelSelectorSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const NodeSelectorRequirementSchema = z.strictObject({
  key: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
});
export type NodeSelectorRequirement = z.infer<typeof NodeSelectorRequirementSchema>;

export const NodeSelectorTermSchema = z.strictObject({
  matchExpressions: z.array(NodeSelectorRequirementSchema).optional(),
  matchFields: z.array(NodeSelectorRequirementSchema).optional(),
});
export type NodeSelectorTerm = z.infer<typeof NodeSelectorTermSchema>;

export const NodeSelectorSchema = z.strictObject({
  nodeSelectorTerms: z.array(NodeSelectorTermSchema),
});
export type NodeSelector = z.infer<typeof NodeSelectorSchema>;

export const PreferredSchedulingTermSchema = z.strictObject({
  weight: z.number().int(),
  preference: NodeSelectorTermSchema,
});
export type PreferredSchedulingTerm = z.infer<typeof PreferredSchedulingTermSchema>;

export const NodeAffinitySchema = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelectorSchema.optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(PreferredSchedulingTermSchema).optional(),
});
export type NodeAffinity = z.infer<typeof NodeAffinitySchema>;

export const PodAffinityTermSchema = z.strictObject({
  labelSelector: LabelSelectorSchema.optional(),
  namespaces: z.array(z.string()).optional(),
  topologyKey: z.string(),
  namespaceSelector: LabelSelectorSchema.optional(),
  matchLabelKeys: z.array(z.string()).optional(),
  mismatchLabelKeys: z.array(z.string()).optional(),
});
export type PodAffinityTerm = z.infer<typeof PodAffinityTermSchema>;

export const WeightedPodAffinityTermSchema = z.strictObject({
  weight: z.number().int(),
  podAffinityTerm: PodAffinityTermSchema,
});
export type WeightedPodAffinityTerm = z.infer<typeof WeightedPodAffinityTermSchema>;

export const PodAffinitySchema = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTermSchema).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(WeightedPodAffinityTermSchema).optional(),
});
export type PodAffinity = z.infer<typeof PodAffinitySchema>;

export const PodAntiAffinitySchema = z.strictObject({
  requiredDuringSchedulingIgnoredDuringExecution: z.array(PodAffinityTermSchema).optional(),
  preferredDuringSchedulingIgnoredDuringExecution: z.array(WeightedPodAffinityTermSchema).optional(),
});
export type PodAntiAffinity = z.infer<typeof PodAntiAffinitySchema>;

export const AffinitySchema = z.strictObject({
  nodeAffinity: NodeAffinitySchema.optional(),
  podAffinity: PodAffinitySchema.optional(),
  podAntiAffinity: PodAntiAffinitySchema.optional(),
});
export type Affinity = z.infer<typeof AffinitySchema>;

export const TolerationSchema = z.strictObject({
  key: z.string().optional(),
  operator: z.string().optional(),
  value: z.string().optional(),
  effect: z.string().optional(),
  tolerationSeconds: z.number().int().optional(),
});
export type Toleration = z.infer<typeof TolerationSchema>;

export const TopologySpreadConstraintSchema = z.strictObject({
  maxSkew: z.number().int(),
  topologyKey: z.string(),
  whenUnsatisfiable: z.string(),
  labelSelector: LabelSelectorSchema.optional(),
  minDomains: z.number().int().optional(),
  nodeAffinityPolicy: z.string().optional(),
  nodeTaintsPolicy: z.string().optional(),
  matchLabelKeys: z.array(z.string()).optional(),
});
export type TopologySpreadConstraint = z.infer<typeof TopologySpreadConstraintSchema>;

export const TaintSchema = z.strictObject({
  key: z.string(),
  value: z.string().optional(),
  effect: z.string(),
  timeAdded: TimeSchema.optional(),
});
export type Taint = z.infer<typeof TaintSchema>;
