// core/v1 Namespace.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const NamespaceSpecSchema = z.strictObject({
  finalizers: z.array(z.string()).optional(),
});
export type NamespaceSpec = z.infer<typeof NamespaceSpecSchema>;

export const NamespaceConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type NamespaceCondition = z.infer<typeof NamespaceConditionSchema>;

export const NamespaceStatusSchema = z.strictObject({
  phase: z.string().optional(),
  conditions: z.array(NamespaceConditionSchema).optional(),
});
export type NamespaceStatus = z.infer<typeof NamespaceStatusSchema>;

export const NamespaceSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: NamespaceSpecSchema.optional(),
  status: NamespaceStatusSchema.optional(),
});
export type Namespace = z.infer<typeof NamespaceSchema>;
