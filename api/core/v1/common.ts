// core/v1 references and selectors shared by many kinds.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { QuantitySchema } from '../../meta/v1/primitives.js';

/** ResourceList: resource name (`cpu`, `memory`, `nvidia.com/gpu`) to quantity. */
export const ResourceListSchema = z.record(z.string(), QuantitySchema);
export type ResourceList = z.infer<typeof ResourceListSchema>;

export const LocalObjectReferenceSchema = z.strictObject({
  name: z.string().optional(),
});
export type LocalObjectReference = z.infer<typeof LocalObjectReferenceSchema>;

export const ObjectReferenceSchema = z.strictObject({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});
export type ObjectReference = z.infer<typeof ObjectReferenceSchema>;

export const TypedLocalObjectReferenceSchema = z.strictObject({
  apiGroup: z.string().optional(),
  kind: z.string(),
  name: z.string(),
});
export type TypedLocalObjectReference = z.infer<typeof TypedLocalObjectReferenceSchema>;

export const TypedObjectReferenceSchema = z.strictObject({
  apiGroup: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  namespace: z.string().optional(),
});
export type TypedObjectReference = z.infer<typeof TypedObjectReferenceSchema>;

export const ObjectFieldSelectorSchema = z.strictObject({
  apiVersion: z.string().optional(),
  fieldPath: z.string(),
});
export type ObjectFieldSelector = z.infer<typeof ObjectFieldSelectorSchema>;

export const ResourceFieldSelectorSchema = z.strictObject({
  containerName: z.string().optional(),
  resource: z.string(),
  divisor: QuantitySchema.optional(),
});
export type ResourceFieldSelector = z.infer<typeof ResourceFieldSelectorSchema>;

export const ConfigMapKeySelectorSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  key: z.string(),
  optional: z.boolean().optional(),
});
export type ConfigMapKeySelector = z.infer<typeof ConfigMapKeySelectorSchema>;

export const SecretKeySelectorSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  key: z.string(),
  optional: z.boolean().optional(),
});
export type SecretKeySelector = z.infer<typeof SecretKeySelectorSchema>;

export const KeyToPathSchema = z.strictObject({
  key: z.string(),
  path: z.string(),
  mode: z.number().int().optional(),
});
export type KeyToPath = z.infer<typeof KeyToPathSchema>;
