// core/v1 Pod, PodSpec and PodTemplateSpec.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { AffinitySchema, TolerationSchema, TopologySpreadConstraintSchema } from './affinity.js';
import { LocalObjectReferenceSchema, ResourceListSchema } from './common.js';
import { ContainerSchema, EphemeralContainerSchema, ResourceRequirementsSchema } from './container.js';
import { PodStatusSchema } from './pod-status.js';
import { PodSecurityContextSchema } from './security.js';
import { VolumeSchema } from './volume.js';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { StringMapSchema } from '../../meta/v1/primitives.js';

export const HostAliasSchema = z.strictObject({
  ip: z.string(),
  hostnames: z.array(z.string()).optional(),
});
export type HostAlias = z.infer<typeof HostAliasSchema>;

export const PodDNSConfigOptionSchema = z.strictObject({
  name: z.string().optional(),
  value: z.string().optional(),
});
export type PodDNSConfigOption = z.infer<typeof PodDNSConfigOptionSchema>;

export const PodDNSConfigSchema = z.strictObject({
  nameservers: z.array(z.string()).optional(),
  searches: z.array(z.string()).optional(),
  options: z.array(PodDNSConfigOptionSchema).optional(),
});
export type PodDNSConfig = z.infer<typeof PodDNSConfigSchema>;

export const PodOSSchema = z.strictObject({
  name: z.string(),
});
export type PodOS = z.infer<typeof PodOSSchema>;

export const PodReadinessGateSchema = z.strictObject({
  conditionType: z.string(),
});
export type PodReadinessGate = z.infer<typeof PodReadinessGateSchema>;

export const PodResourceClaimSchema = z.strictObject({
  name: z.string(),
  resourceClaimName: z.string().optional(),
  resourceClaimTemplateName: z.string().optional(),
});
export type PodResourceClaim = z.infer<typeof PodResourceClaimSchema>;

export const PodSchedulingGateSchema = z.strictObject({
  name: z.string(),
});
export type PodSchedulingGate = z.infer<typeof PodSchedulingGateSchema>;

export const PodSpecSchema = z.strictObject({
  volumes: z.array(VolumeSchema).optional(),
  initContainers: z.array(ContainerSchema).optional(),
  containers: z.array(ContainerSchema),
  ephemeralContainers: z.array(EphemeralContainerSchema).optional(),
  restartPolicy: z.string().optional(),
  terminationGracePeriodSeconds: z.number().int().optional(),
  activeDeadlineSeconds: z.number().int().optional(),
  dnsPolicy: z.string().optional(),
  nodeSelector: StringMapSchema.optional(),
  serviceAccountName: z.string().optional(),
  serviceAccount: z.string().optional(),
  automountServiceAccountToken: z.boolean().optional(),
  nodeName: z.string().optional(),
  hostNetwork: z.boolean().optional(),
  hostPID: z.boolean().optional(),
  hostIPC: z.boolean().optional(),
  shareProcessNamespace: z.boolean().optional(),
  securityContext: PodSecurityContextSchema.optional(),
  imagePullSecrets: z.array(LocalObjectReferenceSchema).optional(),
  hostname: z.string().optional(),
  subdomain: z.string().optional(),
  affinity: AffinitySchema.optional(),
  schedulerName: z.string().optional(),
  tolerations: z.array(TolerationSchema).optional(),
  hostAliases: z.array(HostAliasSchema).optional(),
  priorityClassName: z.string().optional(),
  priority: z.number().int().optional(),
  dnsConfig: PodDNSConfigSchema.optional(),
  readinessGates: z.array(PodReadinessGateSchema).optional(),
  runtimeClassName: z.string().optional(),
  enableServiceLinks: z.boolean().optional(),
  preemptionPolicy: z.string().optional(),
  overhead: ResourceListSchema.optional(),
  topologySpreadConstraints: z.array(TopologySpreadConstraintSchema).optional(),
  setHostnameAsFQDN: z.boolean().optional(),
  os: PodOSSchema.optional(),
  hostUsers: z.boolean().optional(),
  schedulingGates: z.array(PodSchedulingGateSchema).optional(),
  resourceClaims: z.array(PodResourceClaimSchema).optional(),
  resources: ResourceRequirementsSchema.optional(),
});
export type PodSpec = z.infer<typeof PodSpecSchema>;

export const PodSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema.optional(),
  status: PodStatusSchema.optional(),
});
export type Pod = z.infer<typeof PodSchema>;

export const PodTemplateSpecSchema = z.strictObject({
  metadata: ObjectMetaSchema.optional(),
  spec: PodSpecSchema.optional(),
});
export type PodTemplateSpec = z.infer<typeof PodTemplateSpecSchema>;
