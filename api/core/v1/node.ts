// core/v1 Node.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { TaintSchema } from './affinity.js';
import { ResourceListSchema } from './common.js';
import { ObjectMetaSchema, TypeMetaSchema } from '../../meta/v1/meta.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const ConfigMapNodeConfigSourceSchema = z.strictObject({
  namespace: z.string(),
  name: z.string(),
  uid: z.string().optional(),
  resourceVersion: z.string().optional(),
  kubeletConfigKey: z.string(),
});
export type ConfigMapNodeConfigSource = z.infer<typeof ConfigMapNodeConfigSourceSchema>;

export const NodeConfigSourceSchema = z.strictObject({
  configMap: ConfigMapNodeConfigSourceSchema.optional(),
});
export type NodeConfigSource = z.infer<typeof NodeConfigSourceSchema>;

export const NodeSpecSchema = z.strictObject({
  podCIDR: z.string().optional(),
  podCIDRs: z.array(z.string()).optional(),
  providerID: z.string().optional(),
  unschedulable: z.boolean().optional(),
  taints: z.array(TaintSchema).optional(),
  configSource: NodeConfigSourceSchema.optional(),
  externalID: z.string().optional(),
});
export type NodeSpec = z.infer<typeof NodeSpecSchema>;

export const AttachedVolumeSchema = z.strictObject({
  name: z.string(),
  devicePath: z.string(),
});
export type AttachedVolume = z.infer<typeof AttachedVolumeSchema>;

export const ContainerImageSchema = z.strictObject({
  names: z.array(z.string()).optional(),
  sizeBytes: z.number().int().optional(),
});
export type ContainerImage = z.infer<typeof ContainerImageSchema>;

export const NodeAddressSchema = z.strictObject({
  type: z.string(),
  address: z.string(),
});
export type NodeAddress = z.infer<typeof NodeAddressSchema>;

export const NodeConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastHeartbeatTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type NodeCondition = z.infer<typeof NodeConditionSchema>;

export const NodeConfigStatusSchema = z.strictObject({
  assigned: NodeConfigSourceSchema.optional(),
  active: NodeConfigSourceSchema.optional(),
  lastKnownGood: NodeConfigSourceSchema.optional(),
  error: z.string().optional(),
});
export type NodeConfigStatus = z.infer<typeof NodeConfigStatusSchema>;

export const DaemonEndpointSchema = z.strictObject({
  Port: z.number().int(),
});
export type DaemonEndpoint = z.infer<typeof DaemonEndpointSchema>;

export const NodeDaemonEndpointsSchema = z.strictObject({
  kubeletEndpoint: DaemonEndpointSchema.optional(),
});
export type NodeDaemonEndpoints = z.infer<typeof NodeDaemonEndpointsSchema>;

export const NodeFeaturesSchema = z.strictObject({
  supplementalGroupsPolicy: z.boolean().optional(),
});
export type NodeFeatures = z.infer<typeof NodeFeaturesSchema>;

export const NodeRuntimeHandlerFeaturesSchema = z.strictObject({
  recursiveReadOnlyMounts: z.boolean().optional(),
  userNamespaces: z.boolean().optional(),
});
export type NodeRuntimeHandlerFeatures = z.infer<typeof NodeRuntimeHandlerFeaturesSchema>;

export const NodeRuntimeHandlerSchema = z.strictObject({
  name: z.string().optional(),
  features: NodeRuntimeHandlerFeaturesSchema.optional(),
});
export type NodeRuntimeHandler = z.infer<typeof NodeRuntimeHandlerSchema>;

export const NodeSystemInfoSchema = z.strictObject({
  machineID: z.string().optional(),
  systemUUID: z.string().optional(),
  bootID: z.string().optional(),
  kernelVersion: z.string().optional(),
  osImage: z.string().optional(),
  containerRuntimeVersion: z.string().optional(),
  kubeletVersion: z.string().optional(),
  kubeProxyVersion: z.string().optional(),
  operatingSystem: z.string().optional(),
  architecture: z.string().optional(),
});
export type NodeSystemInfo = z.infer<typeof NodeSystemInfoSchema>;

export const NodeStatusSchema = z.strictObject({
  capacity: ResourceListSchema.optional(),
  allocatable: ResourceListSchema.optional(),
  phase: z.string().optional(),
  conditions: z.array(NodeConditionSchema).optional(),
  addresses: z.array(NodeAddressSchema).optional(),
  daemonEndpoints: NodeDaemonEndpointsSchema.optional(),
  nodeInfo: NodeSystemInfoSchema.optional(),
  images: z.array(ContainerImageSchema).optional(),
  volumesInUse: z.array(z.string()).optional(),
  volumesAttached: z.array(AttachedVolumeSchema).optional(),
  config: NodeConfigStatusSchema.optional(),
  runtimeHandlers: z.array(NodeRuntimeHandlerSchema).optional(),
  features: NodeFeaturesSchema.optional(),
});
export type NodeStatus = z.infer<typeof NodeStatusSchema>;

export const NodeSchema = z.strictObject({
  ...TypeMetaSchema.shape,
  metadata: ObjectMetaSchema.optional(),
  spec: NodeSpecSchema.optional(),
  status: NodeStatusSchema.optional(),
});
export type Node = z.infer<typeof NodeSchema>;
