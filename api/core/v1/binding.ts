// core/v1 Binding (body of pods/binding).
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectReferenceSchema } from './common.js';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';

export const BindingSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  target: ObjectReferenceSchema,
});
export type Binding = z.infer<typeof BindingSchema>;
