// The contract between the object model (api/) and everything that serves or consumes it.
// One ResourceType per served kind; the apiserver builds routes, discovery and OpenAPI from it.
import type { z } from 'zod';

/** A problem with one field, in Kubernetes' own vocabulary (field.ErrorType). */
export interface FieldError {
  /** Path as Kubernetes prints it: `spec.template.spec.containers[0].image`. */
  field: string;
  /** `FieldValueRequired`, `FieldValueInvalid`, `FieldValueNotSupported`, `FieldValueDuplicate`,
   *  `FieldValueForbidden`, `FieldValueTooLong`, `FieldValueTypeInvalid`, `FieldValueUnknown`. */
  reason: string;
  /** Human text without the field, e.g. `Required value` or `Invalid value: "Foo": a lowercase RFC 1123 ...`. */
  message: string;
}

/** Any stored object. The concrete shapes come from each kind's zod schema. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMetaLike;
  [key: string]: unknown;
}

export interface OwnerReferenceLike {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReferenceLike[];
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Plural, lower case: the path segment and etcd key segment (`deployments`). */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  /** Subresources served besides the main resource, e.g. ['status'] or ['status', 'binding']. */
  subresources: string[];
  /** Full object schema, built from strict objects so unknown keys surface as `unrecognized_keys` issues. */
  schema: z.ZodType;
  /** Fill in defaults in place (after a successful parse). `old` is the stored object on update. */
  setDefaults(obj: KubeObject, old?: KubeObject): void;
  /** Semantic validation the schema cannot express (names, selectors match labels, immutable fields on update). */
  validate(obj: KubeObject, old?: KubeObject): FieldError[];
  /** On create, after the apiserver has set metadata.uid and before validation: fields derived from it (a Job's selector). */
  prepareForCreate?(obj: KubeObject): void;
  /** Extra field-selector fields beyond metadata.name/metadata.namespace, e.g. `spec.nodeName`. */
  selectableFields?: Record<string, (obj: KubeObject) => string | undefined>;
  /** Only these verbs are served; the access reviews are created and answered, never stored (`['create']`). */
  verbs?: string[];
}

/** Whether the kind serves a verb (every verb unless it names its own, as the create-only reviews do). */
export function serves(rt: Pick<ResourceType, 'verbs'>, verb: string): boolean {
  return rt.verbs === undefined || rt.verbs.includes(verb);
}

export function apiVersionOf(r: Pick<ResourceType, 'group' | 'version'>): string {
  return r.group === '' ? r.version : `${r.group}/${r.version}`;
}
