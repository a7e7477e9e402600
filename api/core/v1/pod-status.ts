// core/v1 PodStatus and container statuses.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { ResourceListSchema } from './common.js';
import { ResourceRequirementsSchema } from './container.js';
import { TimeSchema } from '../../meta/v1/primitives.js';

export const ContainerStateRunningSchema = z.strictObject({
  startedAt: TimeSchema.optional(),
});
export type ContainerStateRunning = z.infer<typeof ContainerStateRunningSchema>;

export const ContainerStateTerminatedSchema = z.strictObject({
  exitCode: z.number().int(),
  signal: z.number().int().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  startedAt: TimeSchema.optional(),
  finishedAt: TimeSchema.optional(),
  containerID: z.string().optional(),
});
export type ContainerStateTerminated = z.infer<typeof ContainerStateTerminatedSchema>;

export const ContainerStateWaitingSchema = z.strictObject({
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type ContainerStateWaiting = z.infer<typeof ContainerStateWaitingSchema>;

export const ContainerStateSchema = z.strictObject({
  waiting: ContainerStateWaitingSchema.optional(),
  running: ContainerStateRunningSchema.optional(),
  terminated: ContainerStateTerminatedSchema.optional(),
});
export type ContainerState = z.infer<typeof ContainerStateSchema>;

export const LinuxContainerUserSchema = z.strictObject({
  uid: z.number().int(),
  gid: z.number().int(),
  supplementalGroups: z.array(z.number().int()).optional(),
});
export type LinuxContainerUser = z.infer<typeof LinuxContainerUserSchema>;

export const ContainerUserSchema = z.strictObject({
  linux: LinuxContainerUserSchema.optional(),
});
export type ContainerUser = z.infer<typeof ContainerUserSchema>;

export const ResourceHealthSchema = z.strictObject({
  resourceID: z.string(),
  health: z.string().optional(),
});
export type ResourceHealth = z.infer<typeof ResourceHealthSchema>;

export const ResourceStatusSchema = z.strictObject({
  name: z.string(),
  resources: z.array(ResourceHealthSchema).optional(),
});
export type ResourceStatus = z.infer<typeof ResourceStatusSchema>;

export const VolumeMountStatusSchema = z.strictObject({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().optional(),
  recursiveReadOnly: z.string().optional(),
});
export type VolumeMountStatus = z.infer<typeof VolumeMountStatusSchema>;

export const ContainerStatusSchema = z.strictObject({
  name: z.string(),
  state: ContainerStateSchema.optional(),
  lastState: ContainerStateSchema.optional(),
  ready: z.boolean().optional(),
  restartCount: z.number().int().optional(),
  image: z.string().optional(),
  imageID: z.string().optional(),
  containerID: z.string().optional(),
  started: z.boolean().optional(),
  allocatedResources: ResourceListSchema.optional(),
  resources: ResourceRequirementsSchema.optional(),
  volumeMounts: z.array(VolumeMountStatusSchema).optional(),
  user: ContainerUserSchema.optional(),
  allocatedResourcesStatus: z.array(ResourceStatusSchema).optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatusSchema>;

export const HostIPSchema = z.strictObject({
  ip: z.string(),
});
export type HostIP = z.infer<typeof HostIPSchema>;

export const PodConditionSchema = z.strictObject({
  type: z.string(),
  status: z.string(),
  lastProbeTime: TimeSchema.optional(),
  lastTransitionTime: TimeSchema.optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type PodCondition = z.infer<typeof PodConditionSchema>;

export const PodIPSchema = z.strictObject({
  ip: z.string(),
});
export type PodIP = z.infer<typeof PodIPSchema>;

export const PodResourceClaimStatusSchema = z.strictObject({
  name: z.string(),
  resourceClaimName: z.string().optional(),
});
export type PodResourceClaimStatus = z.infer<typeof PodResourceClaimStatusSchema>;

export const PodStatusSchema = z.strictObject({
  phase: z.string().optional(),
  conditions: z.array(PodConditionSchema).optional(),
  message: z.string().optional(),
  reason: z.string().optional(),
  nominatedNodeName: z.string().optional(),
  hostIP: z.string().optional(),
  hostIPs: z.array(HostIPSchema).optional(),
  podIP: z.string().optional(),
  podIPs: z.array(PodIPSchema).optional(),
  startTime: TimeSchema.optional(),
  initContainerStatuses: z.array(ContainerStatusSchema).optional(),
  containerStatuses: z.array(ContainerStatusSchema).optional(),
  qosClass: z.string().optional(),
  ephemeralContainerStatuses: z.array(ContainerStatusSchema).optional(),
  resize: z.string().optional(),
  resourceClaimStatuses: z.array(PodResourceClaimStatusSchema).optional(),
});
export type PodStatus = z.infer<typeof PodStatusSchema>;
