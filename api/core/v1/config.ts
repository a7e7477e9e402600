// core/v1 ConfigMap and Secret.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { StringMapSchema } from '../../meta/v1/primitives.js';

export const ConfigMapSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  immutable: z.boolean().optional(),
  data: StringMapSchema.optional(),
  binaryData: z.record(z.string(), z.string()).optional(),
});
export type ConfigMap = z.infer<typeof ConfigMapSchema>;

export const SecretSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  immutable: z.boolean().optional(),
  data: z.record(z.string(), z.string()).optional(),
  stringData: StringMapSchema.optional(),
  type: z.string().optional(),
});
export type Secret = z.infer<typeof SecretSchema>;
