// core/v1 in-tree cloud / legacy volume sources (deprecated upstream, kept so manifests round-trip).
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { LocalObjectReferenceSchema } from './common.js';
import { StringMapSchema } from '../../meta/v1/primitives.js';

export const AWSElasticBlockStoreVolumeSourceSchema = z.strictObject({
  volumeID: z.string(),
  fsType: z.string().optional(),
  partition: z.number().int().optional(),
  readOnly: z.boolean().optional(),
});
export type AWSElasticBlockStoreVolumeSource = z.infer<typeof AWSElasticBlockStoreVolumeSourceSchema>;

export const AzureDiskVolumeSourceSchema = z.strictObject({
  diskName: z.string(),
  diskURI: z.string(),
  cachingMode: z.string().optional(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
  kind: z.string().optional(),
});
export type AzureDiskVolumeSource = z.infer<typeof AzureDiskVolumeSourceSchema>;

export const AzureFileVolumeSourceSchema = z.strictObject({
  secretName: z.string(),
  shareName: z.string(),
  readOnly: z.boolean().optional(),
});
export type AzureFileVolumeSource = z.infer<typeof AzureFileVolumeSourceSchema>;

export const CephFSVolumeSourceSchema = z.strictObject({
  monitors: z.array(z.string()),
  path: z.string().optional(),
  user: z.string().optional(),
  secretFile: z.string().optional(),
  secretRef: LocalObjectReferenceSchema.optional(),
  readOnly: z.boolean().optional(),
});
export type CephFSVolumeSource = z.infer<typeof CephFSVolumeSourceSchema>;

export const CinderVolumeSourceSchema = z.strictObject({
  volumeID: z.string(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
  secretRef: LocalObjectReferenceSchema.optional(),
});
export type CinderVolumeSource = z.infer<typeof CinderVolumeSourceSchema>;

export const FCVolumeSourceSchema = z.strictObject({
  targetWWNs: z.array(z.string()).optional(),
  lun: z.number().int().optional(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
  wwids: z.array(z.string()).optional(),
});
export type FCVolumeSource = z.infer<typeof FCVolumeSourceSchema>;

export const FlexVolumeSourceSchema = z.strictObject({
  driver: z.string(),
  fsType: z.string().optional(),
  secretRef: LocalObjectReferenceSchema.optional(),
  readOnly: z.boolean().optional(),
  options: StringMapSchema.optional(),
});
export type FlexVolumeSource = z.infer<typeof FlexVolumeSourceSchema>;

export const FlockerVolumeSourceSchema = z.strictObject({
  datasetName: z.string().optional(),
  datasetUUID: z.string().optional(),
});
export type FlockerVolumeSource = z.infer<typeof FlockerVolumeSourceSchema>;

export const GCEPersistentDiskVolumeSourceSchema = z.strictObject({
  pdName: z.string(),
  fsType: z.string().optional(),
  partition: z.number().int().optional(),
  readOnly: z.boolean().optional(),
});
export type GCEPersistentDiskVolumeSource = z.infer<typeof GCEPersistentDiskVolumeSourceSchema>;

export const GitRepoVolumeSourceSchema = z.strictObject({
  repository: z.string(),
  revision: z.string().optional(),
  directory: z.string().optional(),
});
export type GitRepoVolumeSource = z.infer<typeof GitRepoVolumeSourceSchema>;

export const GlusterfsVolumeSourceSchema = z.strictObject({
  endpoints: z.string(),
  path: z.string(),
  readOnly: z.boolean().optional(),
});
export type GlusterfsVolumeSource = z.infer<typeof GlusterfsVolumeSourceSchema>;

export const ISCSIVolumeSourceSchema = z.strictObject({
  targetPortal: z.string(),
  iqn: z.string(),
  lun: z.number().int(),
  iscsiInterface: z.string().optional(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
  portals: z.array(z.string()).optional(),
  chapAuthDiscovery: z.boolean().optional(),
  chapAuthSession: z.boolean().optional(),
  secretRef: LocalObjectReferenceSchema.optional(),
  initiatorName: z.string().optional(),
});
export type ISCSIVolumeSource = z.infer<typeof ISCSIVolumeSourceSchema>;

export const PhotonPersistentDiskVolumeSourceSchema = z.strictObject({
  pdID: z.string(),
  fsType: z.string().optional(),
});
export type PhotonPersistentDiskVolumeSource = z.infer<typeof PhotonPersistentDiskVolumeSourceSchema>;

export const PortworxVolumeSourceSchema = z.strictObject({
  volumeID: z.string(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
});
export type PortworxVolumeSource = z.infer<typeof PortworxVolumeSourceSchema>;

export const QuobyteVolumeSourceSchema = z.strictObject({
  registry: z.string(),
  volume: z.string(),
  readOnly: z.boolean().optional(),
  user: z.string().optional(),
  group: z.string().optional(),
  tenant: z.string().optional(),
});
export type QuobyteVolumeSource = z.infer<typeof QuobyteVolumeSourceSchema>;

export const RBDVolumeSourceSchema = z.strictObject({
  monitors: z.array(z.string()),
  image: z.string(),
  fsType: z.string().optional(),
  pool: z.string().optional(),
  user: z.string().optional(),
  keyring: z.string().optional(),
  secretRef: LocalObjectReferenceSchema.optional(),
  readOnly: z.boolean().optional(),
});
export type RBDVolumeSource = z.infer<typeof RBDVolumeSourceSchema>;

export const ScaleIOVolumeSourceSchema = z.strictObject({
  gateway: z.string(),
  system: z.string(),
  secretRef: LocalObjectReferenceSchema,
  sslEnabled: z.boolean().optional(),
  protectionDomain: z.string().optional(),
  storagePool: z.string().optional(),
  storageMode: z.string().optional(),
  volumeName: z.string().optional(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
});
export type ScaleIOVolumeSource = z.infer<typeof ScaleIOVolumeSourceSchema>;

export const StorageOSVolumeSourceSchema = z.strictObject({
  volumeName: z.string().optional(),
  volumeNamespace: z.string().optional(),
  fsType: z.string().optional(),
  readOnly: z.boolean().optional(),
  secretRef: LocalObjectReferenceSchema.optional(),
});
export type StorageOSVolumeSource = z.infer<typeof StorageOSVolumeSourceSchema>;

export const VsphereVirtualDiskVolumeSourceSchema = z.strictObject({
  volumePath: z.string(),
  fsType: z.string().optional(),
  storagePolicyName: z.string().optional(),
  storagePolicyID: z.string().optional(),
});
export type VsphereVirtualDiskVolumeSource = z.infer<typeof VsphereVirtualDiskVolumeSourceSchema>;
