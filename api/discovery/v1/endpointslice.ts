// discovery.k8s.io/v1 EndpointSlice.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ObjectReferenceSchema } from '../../core/v1/common.js';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { StringMapSchema } from '../../meta/v1/primitives.js';

export const EndpointConditionsSchema = z.strictObject({
  ready: z.boolean().optional(),
  serving: z.boolean().optional(),
  terminating: z.boolean().optional(),
});
export type EndpointConditions = z.infer<typeof EndpointConditionsSchema>;

export const ForZoneSchema = z.strictObject({
  name: z.string(),
});
export type ForZone = z.infer<typeof ForZoneSchema>;

export const EndpointHintsSchema = z.strictObject({
  forZones: z.array(ForZoneSchema).optional(),
});
export type EndpointHints = z.infer<typeof EndpointHintsSchema>;

export const EndpointSliceEndpointSchema = z.strictObject({
  addresses: z.array(z.string()),
  conditions: EndpointConditionsSchema.optional(),
  hostname: z.string().optional(),
  targetRef: ObjectReferenceSchema.optional(),
  deprecatedTopology: StringMapSchema.optional(),
  nodeName: z.string().optional(),
  zone: z.string().optional(),
  hints: EndpointHintsSchema.optional(),
});
export type EndpointSliceEndpoint = z.infer<typeof EndpointSliceEndpointSchema>;

export const EndpointSlicePortSchema = z.strictObject({
  name: z.string().optional(),
  protocol: z.string().optional(),
  port: z.number().int().optional(),
  appProtocol: z.string().optional(),
});
export type EndpointSlicePort = z.infer<typeof EndpointSlicePortSchema>;

export const EndpointSliceSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  addressType: z.string(),
  endpoints: z.array(EndpointSliceEndpointSchema).optional(),
  ports: z.array(EndpointSlicePortSchema).optional(),
});
export type EndpointSlice = z.infer<typeof EndpointSliceSchema>;
