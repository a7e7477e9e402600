// core/v1 Volume and the commonly used volume sources.
// Field set of Kubernetes v1.32 (k8s.io/api); JSON names exactly as upstream.
// Every object is strict so unknown keys surface as `unrecognized_keys` issues.
import { z } from 'zod';
import { KeyToPathSchema, LocalObjectReferenceSchema, ObjectFieldSelectorSchema, ResourceFieldSelectorSchema, ResourceListSchema, TypedLocalObjectReferenceSchema, TypedObjectReferenceSchema } from './common.js';
import { AWSElasticBlockStoreVolumeSourceSchema, AzureDiskVolumeSourceSchema, AzureFileVolumeSourceSchema, CephFSVolumeSourceSchema, CinderVolumeSourceSchema, FCVolumeSourceSchema, FlexVolumeSourceSchema, FlockerVolumeSourceSchema, GCEPersistentDiskVolumeSourceSchema, GitRepoVolumeSourceSchema, GlusterfsVolumeSourceSchema, ISCSIVolumeSourceSchema, PhotonPersistentDiskVolumeSourceSchema, PortworxVolumeSourceSchema, QuobyteVolumeSourceSchema, RBDVolumeSourceSchema, ScaleIOVolumeSourceSchema, StorageOSVolumeSourceSchema, VsphereVirtualDiskVolumeSourceSchema } from './volume-legacy.js';
import { LabelSelectorSchema, ObjectMetaSchema } from '../../meta/v1/meta.js';
import { QuantitySchema, StringMapSchema } from '../../meta/v1/primitives.js';

export const CSIVolumeSourceSchema = z.strictObject({
  driver: z.string(),
  readOnly: z.boolean().optional(),
  fsType: z.string().optional(),
  volumeAttributes: StringMapSchema.optional(),
  nodePublishSecretRef: LocalObjectReferenceSchema.optional(),
});
export type CSIVolumeSource = z.infer<typeof CSIVolumeSourceSchema>;

export const ConfigMapVolumeSourceSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: z.number().int().optional(),
  optional: z.boolean().optional(),
});
export type ConfigMapVolumeSource = z.infer<typeof ConfigMapVolumeSourceSchema>;

export const DownwardAPIVolumeFileSchema = z.strictObject({
  path: z.string(),
  fieldRef: ObjectFieldSelectorSchema.optional(),
  resourceFieldRef: ResourceFieldSelectorSchema.optional(),
  mode: z.number().int().optional(),
});
export type DownwardAPIVolumeFile = z.infer<typeof DownwardAPIVolumeFileSchema>;

export const DownwardAPIVolumeSourceSchema = z.strictObject({
  items: z.array(DownwardAPIVolumeFileSchema).optional(),
  defaultMode: z.number().int().optional(),
});
export type DownwardAPIVolumeSource = z.infer<typeof DownwardAPIVolumeSourceSchema>;

export const EmptyDirVolumeSourceSchema = z.strictObject({
  medium: z.string().optional(),
  sizeLimit: QuantitySchema.optional(),
});
export type EmptyDirVolumeSource = z.infer<typeof EmptyDirVolumeSourceSchema>;

export const VolumeResourceRequirementsSchema = z.strictObject({
  limits: ResourceListSchema.optional(),
  requests: ResourceListSchema.optional(),
});
export type VolumeResourceRequirements = z.infer<typeof VolumeResourceRequirementsSchema>;

export const PersistentVolumeClaimSpecSchema = z.strictObject({
  accessModes: z.array(z.string()).optional(),
  selector: LabelSelectorSchema.optional(),
  resources: VolumeResourceRequirementsSchema.optional(),
  volumeName: z.string().optional(),
  storageClassName: z.string().optional(),
  volumeMode: z.string().optional(),
  dataSource: TypedLocalObjectReferenceSchema.optional(),
  dataSourceRef: TypedObjectReferenceSchema.optional(),
  volumeAttributesClassName: z.string().optional(),
});
export type PersistentVolumeClaimSpec = z.infer<typeof PersistentVolumeClaimSpecSchema>;

export const PersistentVolumeClaimTemplateSchema = z.strictObject({
  metadata: ObjectMetaSchema.optional(),
  spec: PersistentVolumeClaimSpecSchema,
});
export type PersistentVolumeClaimTemplate = z.infer<typeof PersistentVolumeClaimTemplateSchema>;

export const EphemeralVolumeSourceSchema = z.strictObject({
  volumeClaimTemplate: PersistentVolumeClaimTemplateSchema.optional(),
});
export type EphemeralVolumeSource = z.infer<typeof EphemeralVolumeSourceSchema>;

export const HostPathVolumeSourceSchema = z.strictObject({
  path: z.string(),
  type: z.string().optional(),
});
export type HostPathVolumeSource = z.infer<typeof HostPathVolumeSourceSchema>;

export const ImageVolumeSourceSchema = z.strictObject({
  reference: z.string().optional(),
  pullPolicy: z.string().optional(),
});
export type ImageVolumeSource = z.infer<typeof ImageVolumeSourceSchema>;

export const NFSVolumeSourceSchema = z.strictObject({
  server: z.string(),
  path: z.string(),
  readOnly: z.boolean().optional(),
});
export type NFSVolumeSource = z.infer<typeof NFSVolumeSourceSchema>;

export const PersistentVolumeClaimVolumeSourceSchema = z.strictObject({
  claimName: z.string(),
  readOnly: z.boolean().optional(),
});
export type PersistentVolumeClaimVolumeSource = z.infer<typeof PersistentVolumeClaimVolumeSourceSchema>;

export const ClusterTrustBundleProjectionSchema = z.strictObject({
  name: z.string().optional(),
  signerName: z.string().optional(),
  labelSelector: LabelSelectorSchema.optional(),
  optional: z.boolean().optional(),
  path: z.string(),
});
export type ClusterTrustBundleProjection = z.infer<typeof ClusterTrustBundleProjectionSchema>;

export const ConfigMapProjectionSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  items: z.array(KeyToPathSchema).optional(),
  optional: z.boolean().optional(),
});
export type ConfigMapProjection = z.infer<typeof ConfigMapProjectionSchema>;

export const DownwardAPIProjectionSchema = z.strictObject({
  items: z.array(DownwardAPIVolumeFileSchema).optional(),
});
export type DownwardAPIProjection = z.infer<typeof DownwardAPIProjectionSchema>;

export const SecretProjectionSchema = z.strictObject({
  ...LocalObjectReferenceSchema.shape,
  items: z.array(KeyToPathSchema).optional(),
  optional: z.boolean().optional(),
});
export type SecretProjection = z.infer<typeof SecretProjectionSchema>;

export const ServiceAccountTokenProjectionSchema = z.strictObject({
  audience: z.string().optional(),
  expirationSeconds: z.number().int().optional(),
  path: z.string(),
});
export type ServiceAccountTokenProjection = z.infer<typeof ServiceAccountTokenProjectionSchema>;

export const VolumeProjectionSchema = z.strictObject({
  secret: SecretProjectionSchema.optional(),
  downwardAPI: DownwardAPIProjectionSchema.optional(),
  configMap: ConfigMapProjectionSchema.optional(),
  serviceAccountToken: ServiceAccountTokenProjectionSchema.optional(),
  clusterTrustBundle: ClusterTrustBundleProjectionSchema.optional(),
});
export type VolumeProjection = z.infer<typeof VolumeProjectionSchema>;

export const ProjectedVolumeSourceSchema = z.strictObject({
  sources: z.array(VolumeProjectionSchema).optional(),
  defaultMode: z.number().int().optional(),
});
export type ProjectedVolumeSource = z.infer<typeof ProjectedVolumeSourceSchema>;

export const SecretVolumeSourceSchema = z.strictObject({
  secretName: z.string().optional(),
  items: z.array(KeyToPathSchema).optional(),
  defaultMode: z.number().int().optional(),
  optional: z.boolean().optional(),
});
export type SecretVolumeSource = z.infer<typeof SecretVolumeSourceSchema>;

export const VolumeSourceSchema = z.strictObject({
  hostPath: HostPathVolumeSourceSchema.optional(),
  emptyDir: EmptyDirVolumeSourceSchema.optional(),
  gcePersistentDisk: GCEPersistentDiskVolumeSourceSchema.optional(),
  awsElasticBlockStore: AWSElasticBlockStoreVolumeSourceSchema.optional(),
  gitRepo: GitRepoVolumeSourceSchema.optional(),
  secret: SecretVolumeSourceSchema.optional(),
  nfs: NFSVolumeSourceSchema.optional(),
  iscsi: ISCSIVolumeSourceSchema.optional(),
  glusterfs: GlusterfsVolumeSourceSchema.optional(),
  persistentVolumeClaim: PersistentVolumeClaimVolumeSourceSchema.optional(),
  rbd: RBDVolumeSourceSchema.optional(),
  flexVolume: FlexVolumeSourceSchema.optional(),
  cinder: CinderVolumeSourceSchema.optional(),
  cephfs: CephFSVolumeSourceSchema.optional(),
  flocker: FlockerVolumeSourceSchema.optional(),
  downwardAPI: DownwardAPIVolumeSourceSchema.optional(),
  fc: FCVolumeSourceSchema.optional(),
  azureFile: AzureFileVolumeSourceSchema.optional(),
  configMap: ConfigMapVolumeSourceSchema.optional(),
  vsphereVolume: VsphereVirtualDiskVolumeSourceSchema.optional(),
  quobyte: QuobyteVolumeSourceSchema.optional(),
  azureDisk: AzureDiskVolumeSourceSchema.optional(),
  photonPersistentDisk: PhotonPersistentDiskVolumeSourceSchema.optional(),
  projected: ProjectedVolumeSourceSchema.optional(),
  portworxVolume: PortworxVolumeSourceSchema.optional(),
  scaleIO: ScaleIOVolumeSourceSchema.optional(),
  storageos: StorageOSVolumeSourceSchema.optional(),
  csi: CSIVolumeSourceSchema.optional(),
  ephemeral: EphemeralVolumeSourceSchema.optional(),
  image: ImageVolumeSourceSchema.optional(),
});
export type VolumeSource = z.infer<typeof VolumeSourceSchema>;

export const VolumeSchema = z.strictObject({
  name: z.string(),
  ...VolumeSourceSchema.shape,
});
export type Volume = z.infer<typeof VolumeSchema>;
