// authorization.k8s.io/v1 access reviews and authentication.k8s.io/v1 SelfSubjectReview: kinds
// that are only ever created, answered at once and never stored (what `kubectl auth` sends).
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import type { FieldError } from '../../resource.js';
import { requiredError, invalidError } from '../../validation.js';

const ResourceAttributesSchema = z.strictObject({
  namespace: z.string().optional(),
  verb: z.string().optional(),
  group: z.string().optional(),
  version: z.string().optional(),
  resource: z.string().optional(),
  subresource: z.string().optional(),
  name: z.string().optional(),
  fieldSelector: z.record(z.string(), z.unknown()).optional(),
  labelSelector: z.record(z.string(), z.unknown()).optional(),
});
export type ResourceAttributes = z.infer<typeof ResourceAttributesSchema>;

const NonResourceAttributesSchema = z.strictObject({ path: z.string().optional(), verb: z.string().optional() });
export type NonResourceAttributes = z.infer<typeof NonResourceAttributesSchema>;

const AccessStatusSchema = z.strictObject({
  allowed: z.boolean(),
  denied: z.boolean().optional(),
  reason: z.string().optional(),
  evaluationError: z.string().optional(),
});

const SelfSpecSchema = z.strictObject({
  resourceAttributes: ResourceAttributesSchema.optional(),
  nonResourceAttributes: NonResourceAttributesSchema.optional(),
});

const SubjectSpecSchema = z.strictObject({
  ...SelfSpecSchema.shape,
  user: z.string().optional(),
  groups: z.array(z.string()).optional(),
  extra: z.record(z.string(), z.array(z.string())).optional(),
  uid: z.string().optional(),
});

const head = { ...TypeMetaSchema.shape, metadata: ObjectMetaSchema.optional() };

export const SubjectAccessReviewSchema = z.strictObject({ ...head, spec: SubjectSpecSchema, status: AccessStatusSchema.optional() });
export type SubjectAccessReview = z.infer<typeof SubjectAccessReviewSchema>;
export const SelfSubjectAccessReviewSchema = z.strictObject({ ...head, spec: SelfSpecSchema, status: AccessStatusSchema.optional() });
export type SelfSubjectAccessReview = z.infer<typeof SelfSubjectAccessReviewSchema>;

const ResourceRuleSchema = z.strictObject({
  verbs: z.array(z.string()),
  apiGroups: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  resourceNames: z.array(z.string()).optional(),
});
const NonResourceRuleSchema = z.strictObject({ verbs: z.array(z.string()), nonResourceURLs: z.array(z.string()).optional() });

export const SelfSubjectRulesReviewSchema = z.strictObject({
  ...head,
  spec: z.strictObject({ namespace: z.string().optional() }),
  // Output only; a protobuf request carries it as an empty message (Go writes every struct field).
  status: z.strictObject({
    resourceRules: z.array(ResourceRuleSchema).optional(),
    nonResourceRules: z.array(NonResourceRuleSchema).optional(),
    incomplete: z.boolean().optional(),
    evaluationError: z.string().optional(),
  }).optional(),
});
export type SelfSubjectRulesReview = z.infer<typeof SelfSubjectRulesReviewSchema>;

export const SelfSubjectReviewSchema = z.strictObject({
  ...head,
  status: z.strictObject({
    userInfo: z.strictObject({
      username: z.string().optional(),
      uid: z.string().optional(),
      groups: z.array(z.string()).optional(),
      extra: z.record(z.string(), z.array(z.string())).optional(),
    }).optional(),
  }).optional(),
});
export type SelfSubjectReview = z.infer<typeof SelfSubjectReviewSchema>;

/** Exactly one of resourceAttributes and nonResourceAttributes (as Kubernetes checks). */
function validateAttributes(spec: { resourceAttributes?: unknown; nonResourceAttributes?: unknown }): FieldError[] {
  const r = spec.resourceAttributes !== undefined;
  const n = spec.nonResourceAttributes !== undefined;
  if (r && n) return [invalidError('spec.nonResourceAttributes', spec.nonResourceAttributes, 'cannot be specified in combination with resourceAttributes')];
  if (!r && !n) return [requiredError('spec.resourceAttributes', 'exactly one of nonResourceAttributes or resourceAttributes must be specified')];
  return [];
}

export const validateSelfSubjectAccessReview = (o: SelfSubjectAccessReview): FieldError[] => validateAttributes(o.spec);

export function validateSubjectAccessReview(o: SubjectAccessReview): FieldError[] {
  const errs = validateAttributes(o.spec);
  if (!o.spec.user && (o.spec.groups ?? []).length === 0) errs.push(requiredError('spec.user', 'at least one of user or group must be specified'));
  return errs;
}

/** A LocalSubjectAccessReview asks about the namespace it is posted to, and only that one. */
export function validateLocalSubjectAccessReview(o: SubjectAccessReview): FieldError[] {
  const errs = validateSubjectAccessReview(o);
  if (o.spec.nonResourceAttributes !== undefined) errs.push(invalidError('spec.nonResourceAttributes', o.spec.nonResourceAttributes, 'disallowed on this kind of request'));
  const ns = o.spec.resourceAttributes?.namespace;
  if (ns !== undefined && ns !== (o.metadata?.namespace ?? ns)) {
    errs.push(invalidError('spec.resourceAttributes.namespace', ns, 'must match metadata.namespace'));
  }
  return errs;
}

export const noValidation = (): FieldError[] => [];
