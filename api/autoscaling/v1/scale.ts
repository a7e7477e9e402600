// autoscaling/v1 Scale (body of the scale subresource).
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';

export const ScaleSpecSchema = z.strictObject({
  replicas: z.number().int().optional(),
});
export type ScaleSpec = z.infer<typeof ScaleSpecSchema>;

export const ScaleStatusSchema = z.strictObject({
  replicas: z.number().int().optional(),
  selector: z.string().optional(),
});
export type ScaleStatus = z.infer<typeof ScaleStatusSchema>;

export const ScaleSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: ScaleSpecSchema.optional(),
  status: ScaleStatusSchema.optional(),
});
export type Scale = z.infer<typeof ScaleSchema>;
