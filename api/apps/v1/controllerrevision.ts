// apps/v1 ControllerRevision: an immutable snapshot of a controller's template (DaemonSet,
// StatefulSet history). `data` is any JSON object (runtime.RawExtension).
import { z } from 'zod';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';

export const ControllerRevisionSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  data: z.record(z.string(), z.unknown()).optional(),
  revision: z.number().int(),
});
export type ControllerRevision = z.infer<typeof ControllerRevisionSchema>;
