// core/v1 Event.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectReferenceSchema } from './common.js';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const EventSeriesSchema = z.strictObject({
  count: z.number().int().optional(),
  lastObservedTime: TimeSchema.optional(),
});
export type EventSeries = z.infer<typeof EventSeriesSchema>;

export const EventSourceSchema = z.strictObject({
  component: z.string().optional(),
  host: z.string().optional(),
});
export type EventSource = z.infer<typeof EventSourceSchema>;

export const EventSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  involvedObject: ObjectReferenceSchema,
  reason: z.string().optional(),
  message: z.string().optional(),
  source: EventSourceSchema.optional(),
  firstTimestamp: TimeSchema.optional(),
  lastTimestamp: TimeSchema.optional(),
  count: z.number().int().optional(),
  type: z.string().optional(),
  eventTime: TimeSchema.optional(),
  series: EventSeriesSchema.optional(),
  action: z.string().optional(),
  related: ObjectReferenceSchema.optional(),
  reportingComponent: z.string().optional(),
  reportingInstance: z.string().optional(),
});
export type Event = z.infer<typeof EventSchema>;
