// rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
import { z } from 'zod';
import { LabelSelectorSchema, ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';

export const rbacGroup = 'rbac.authorization.k8s.io';

export const PolicyRuleSchema = z.strictObject({
  verbs: z.array(z.string()),
  apiGroups: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
  nonResourceURLs: z.array(z.string()).optional(),
});
export type PolicyRule = z.infer<typeof PolicyRuleSchema>;

export const AggregationRuleSchema = z.strictObject({
  clusterRoleSelectors: z.array(LabelSelectorSchema).optional(),
});

export const RoleSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  rules: z.array(PolicyRuleSchema).optional(),
});
export type Role = z.infer<typeof RoleSchema>;

export const ClusterRoleSchema = z.strictObject({
  ...RoleSchema.shape,
  aggregationRule: AggregationRuleSchema.optional(),
});
export type ClusterRole = z.infer<typeof ClusterRoleSchema>;

export const SubjectSchema = z.strictObject({
  kind: z.string(),
  apiGroup: z.string().optional(),
  name: z.string(),
  namespace: z.string().optional(),
});
export type Subject = z.infer<typeof SubjectSchema>;

export const RoleRefSchema = z.strictObject({
  apiGroup: z.string(),
  kind: z.string(),
  name: z.string(),
});
export type RoleRef = z.infer<typeof RoleRefSchema>;

export const RoleBindingSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  subjects: z.array(SubjectSchema).optional(),
  roleRef: RoleRefSchema,
});
export type RoleBinding = z.infer<typeof RoleBindingSchema>;
