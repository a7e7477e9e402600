// scheduling.k8s.io/v1 PriorityClass.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';

export const PriorityClassSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  value: z.number().int(),
  globalDefault: z.boolean().optional(),
  description: z.string().optional(),
  preemptionPolicy: z.string().optional(),
});
export type PriorityClass = z.infer<typeof PriorityClassSchema>;
