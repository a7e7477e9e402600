// core/v1 Container, EphemeralContainer and their parts (ports, env, resources, mounts).
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ConfigMapKeySelectorSchema, LocalObjectReferenceSchema, ObjectFieldSelectorSchema, ResourceFieldSelectorSchema, ResourceListSchema, SecretKeySelectorSchema } from './common.js';
import { LifecycleSchema, ProbeSchema } from './probe.js';
import { SecurityContextSchema } from './security.js';

export const ContainerPortSchema = z.strictObject({
  name: z.string().optional(),
  hostPort: z.number().int().optional(),
  containerPort: z.number().int(),
  protocol: z.string().optional(),
  hostIP: z.string().optional(),
});
export type ContainerPort = z.infer<typeof ContainerPortSchema>;

export const ContainerResizePolicySchema = z.strictObject({
  resourceName: z.string(),
  restartPolicy: z.string(),
});
export type ContainerResizePolicy = z.infer<typeof ContainerResizePolicySchema>;

export const ConfigMapEnvSourceSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  optional: z.boolean().optional(),
});
export type ConfigMapEnvSource = z.infer<typeof ConfigMapEnvSourceSchema>;

export const SecretEnvSourceSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  optional: z.boolean().optional(),
});
export type SecretEnvSource = z.infer<typeof SecretEnvSourceSchema>;

export const EnvFromSourceSchema = z.strictObject({
  prefix: z.string().optional(),
  configMapRef: ConfigMapEnvSourceSchema.optional(),
  secretRef: SecretEnvSourceSchema.optional(),
});
export type EnvFromSource = z.infer<typeof EnvFromSourceSchema>;

export const EnvVarSourceSchema = z.strictObject({
  fieldRef: ObjectFieldSelectorSchema.optional(),
  resourceFieldRef: ResourceFieldSelectorSchema.optional(),
  configMapKeyRef: ConfigMapKeySelectorSchema.optional(),
  secretKeyRef: SecretKeySelectorSchema.optional(),
});
export type EnvVarSource = z.infer<typeof EnvVarSourceSchema>;

export const EnvVarSchema = z.strictObject({
  name: z.string(),
  value: z.string().optional(),
  valueFrom: EnvVarSourceSchema.optional(),
});
export type EnvVar = z.infer<typeof EnvVarSchema>;

export const ResourceClaimSchema = z.strictObject({
  name: z.string(),
  request: z.string().optional(),
});
export type ResourceClaim = z.infer<typeof ResourceClaimSchema>;

export const ResourceRequirementsSchema = z.strictObject({
  limits: ResourceListSchema.optional(),
  requests: ResourceListSchema.optional(),
  claims: z.array(ResourceClaimSchema).optional(),
});
export type ResourceRequirements = z.infer<typeof ResourceRequirementsSchema>;

export const VolumeDeviceSchema = z.strictObject({
  name: z.string(),
  devicePath: z.string(),
});
export type VolumeDevice = z.infer<typeof VolumeDeviceSchema>;

export const VolumeMountSchema = z.strictObject({
  name: z.string(),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.string().optional(),
  mountPath: z.string(),
  subPath: z.string().optional(),
  mountPropagation: z.string().optional(),
  subPathExpr: z.string().optional(),
});
export type VolumeMount = z.infer<typeof VolumeMountSchema>;

export const ContainerSchema = z.strictObject({
  name: z.string(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  workingDir: z.string().optional(),
  ports: z.array(ContainerPortSchema).optional(),
  envFrom: z.array(EnvFromSourceSchema).optional(),
  env: z.array(EnvVarSchema).optional(),
  resources: ResourceRequirementsSchema.optional(),
  resizePolicy: z.array(ContainerResizePolicySchema).optional(),
  restartPolicy: z.string().optional(),
  volumeMounts: z.array(VolumeMountSchema).optional(),
  volumeDevices: z.array(VolumeDeviceSchema).optional(),
  livenessProbe: ProbeSchema.optional(),
  readinessProbe: ProbeSchema.optional(),
  startupProbe: ProbeSchema.optional(),
  lifecycle: LifecycleSchema.optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.string().optional(),
  imagePullPolicy: z.string().optional(),
  securityContext: SecurityContextSchema.optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
});
export type Container = z.infer<typeof ContainerSchema>;

// Kubernetes' EphemeralContainerCommon has exactly Container's fields (validation differs, not shape).
export const EphemeralContainerCommonSchema = ContainerSchema;
export type EphemeralContainerCommon = z.infer<typeof EphemeralContainerCommonSchema>;

export const EphemeralContainerSchema = z.strictObject({
  ...EphemeralContainerCommonSchema.shape,
  targetContainerName: z.string().optional(),
});
export type EphemeralContainer = z.infer<typeof EphemeralContainerSchema>;
