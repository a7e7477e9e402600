// TypeScript shapes of the messages in runtime.proto, as @grpc/proto-loader hands them out with
// the options in index.ts: field names in lowerCamelCase (`pod_sandbox_id` → `podSandboxId`),
// int64/uint64 as JS numbers (nanosecond timestamps lose sub-microsecond precision, which no
// caller needs), enums as their names, every scalar/repeated/map field present with its default,
// unset message fields as null. Requests you send may omit anything: see `Input<T>`.

/** What a sender may pass for a received shape: every field optional, bytes as any buffer. */
export type Input<T> = T extends Buffer
  ? Buffer | Uint8Array | string
  : T extends ReadonlyArray<infer U>
    ? Array<Input<U>>
    : T extends object
      ? { [K in keyof T]?: Input<NonNullable<T[K]>> | null }
      : T;

type Map = Record<string, string>;

// ---- version, status, configuration ----
export interface VersionRequest { version: string }
export interface VersionResponse { version: string; runtimeName: string; runtimeVersion: string; runtimeApiVersion: string }
export interface NetworkConfig { podCidr: string }
export interface RuntimeConfig { networkConfig: NetworkConfig | null }
export interface UpdateRuntimeConfigRequest { runtimeConfig: RuntimeConfig | null }
export type UpdateRuntimeConfigResponse = Record<string, never>;
export interface RuntimeCondition { type: string; status: boolean; reason: string; message: string }
export interface RuntimeStatus { conditions: RuntimeCondition[] }
export interface StatusRequest { verbose: boolean }
export interface StatusResponse { status: RuntimeStatus | null; info: Map }

// ---- pod sandboxes ----
export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export type MountPropagation = 'PROPAGATION_PRIVATE' | 'PROPAGATION_HOST_TO_CONTAINER' | 'PROPAGATION_BIDIRECTIONAL';
export type NamespaceMode = 'POD' | 'CONTAINER' | 'NODE' | 'TARGET';
export type PodSandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY';
export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED' | 'CONTAINER_UNKNOWN';

export interface DNSConfig { servers: string[]; searches: string[]; options: string[] }
export interface PortMapping { protocol: Protocol; containerPort: number; hostPort: number; hostIp: string }
export interface Mount { containerPath: string; hostPath: string; readonly: boolean; selinuxRelabel: boolean; propagation: MountPropagation }
export interface NamespaceOption { network: NamespaceMode; pid: NamespaceMode; ipc: NamespaceMode; targetId: string }
export interface Int64Value { value: number }
export interface UInt64Value { value: number }
export interface LinuxSandboxSecurityContext {
  namespaceOptions: NamespaceOption | null;
  runAsUser: Int64Value | null;
  readonlyRootfs: boolean;
  supplementalGroups: number[];
  privileged: boolean;
  runAsGroup: Int64Value | null;
}
export interface LinuxPodSandboxConfig {
  cgroupParent: string;
  securityContext: LinuxSandboxSecurityContext | null;
  sysctls: Map;
  overhead: LinuxContainerResources | null;
  resources: LinuxContainerResources | null;
}
export interface PodSandboxMetadata { name: string; uid: string; namespace: string; attempt: number }
export interface PodSandboxConfig {
  metadata: PodSandboxMetadata | null;
  hostname: string;
  logDirectory: string;
  dnsConfig: DNSConfig | null;
  portMappings: PortMapping[];
  labels: Map;
  annotations: Map;
  linux: LinuxPodSandboxConfig | null;
}
export interface RunPodSandboxRequest { config: PodSandboxConfig | null; runtimeHandler: string }
export interface RunPodSandboxResponse { podSandboxId: string }
export interface StopPodSandboxRequest { podSandboxId: string }
export type StopPodSandboxResponse = Record<string, never>;
export interface RemovePodSandboxRequest { podSandboxId: string }
export type RemovePodSandboxResponse = Record<string, never>;
export interface PodSandboxStatusRequest { podSandboxId: string; verbose: boolean }
export interface PodIP { ip: string }
export interface PodSandboxNetworkStatus { ip: string; additionalIps: PodIP[] }
export interface LinuxPodSandboxStatus { namespaces: { options: NamespaceOption | null } | null }
export interface PodSandboxStatus {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  createdAt: number;
  network: PodSandboxNetworkStatus | null;
  linux: LinuxPodSandboxStatus | null;
  labels: Map;
  annotations: Map;
  runtimeHandler: string;
}
export interface PodSandboxStatusResponse { status: PodSandboxStatus | null; info: Map; containersStatuses: ContainerStatus[]; timestamp: number }
export interface PodSandboxFilter { id: string; state: { state: PodSandboxState } | null; labelSelector: Map }
export interface ListPodSandboxRequest { filter: PodSandboxFilter | null }
export interface PodSandbox {
  id: string;
  metadata: PodSandboxMetadata | null;
  state: PodSandboxState;
  createdAt: number;
  labels: Map;
  annotations: Map;
  runtimeHandler: string;
}
export interface ListPodSandboxResponse { items: PodSandbox[] }

// ---- containers ----
export interface ImageSpec { image: string; annotations: Map; userSpecifiedImage: string }
export interface KeyValue { key: string; value: string }
export interface LinuxContainerResources {
  cpuPeriod: number;
  cpuQuota: number;
  cpuShares: number;
  memoryLimitInBytes: number;
  oomScoreAdj: number;
  cpusetCpus: string;
  cpusetMems: string;
  unified: Map;
  memorySwapLimitInBytes: number;
}
export interface Capability { addCapabilities: string[]; dropCapabilities: string[]; addAmbientCapabilities: string[] }
export interface LinuxContainerSecurityContext {
  capabilities: Capability | null;
  privileged: boolean;
  namespaceOptions: NamespaceOption | null;
  runAsUser: Int64Value | null;
  runAsUsername: string;
  readonlyRootfs: boolean;
  supplementalGroups: number[];
  noNewPrivs: boolean;
  runAsGroup: Int64Value | null;
  maskedPaths: string[];
  readonlyPaths: string[];
}
export interface LinuxContainerConfig { resources: LinuxContainerResources | null; securityContext: LinuxContainerSecurityContext | null }
export interface ContainerMetadata { name: string; attempt: number }
export interface Device { containerPath: string; hostPath: string; permissions: string }
export interface ContainerConfig {
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  command: string[];
  args: string[];
  workingDir: string;
  envs: KeyValue[];
  mounts: Mount[];
  devices: Device[];
  labels: Map;
  annotations: Map;
  logPath: string;
  stdin: boolean;
  stdinOnce: boolean;
  tty: boolean;
  linux: LinuxContainerConfig | null;
}
export interface CreateContainerRequest { podSandboxId: string; config: ContainerConfig | null; sandboxConfig: PodSandboxConfig | null }
export interface CreateContainerResponse { containerId: string }
export interface StartContainerRequest { containerId: string }
export type StartContainerResponse = Record<string, never>;
export interface StopContainerRequest { containerId: string; timeout: number }
export type StopContainerResponse = Record<string, never>;
export interface RemoveContainerRequest { containerId: string }
export type RemoveContainerResponse = Record<string, never>;
export interface ContainerFilter { id: string; state: { state: ContainerState } | null; podSandboxId: string; labelSelector: Map }
export interface ListContainersRequest { filter: ContainerFilter | null }
export interface Container {
  id: string;
  podSandboxId: string;
  metadata: ContainerMetadata | null;
  image: ImageSpec | null;
  imageRef: string;
  state: ContainerState;
  createdAt: number;
  labels: Map;
  annotations: Map;
  imageId: string;
}
export interface ListContainersResponse { containers: Container[] }
export interface ContainerStatusRequest { containerId: string; verbose: boolean }
export interface ContainerStatus {
  id: string;
  metadata: ContainerMetadata | null;
  state: ContainerState;
  createdAt: number;
  startedAt: number;
  finishedAt: number;
  exitCode: number;
  image: ImageSpec | null;
  imageRef: string;
  reason: string;
  message: string;
  labels: Map;
  annotations: Map;
  mounts: Mount[];
  logPath: string;
  resources: { linux: LinuxContainerResources | null } | null;
  imageId: string;
}
export interface ContainerStatusResponse { status: ContainerStatus | null; info: Map }
export interface ReopenContainerLogRequest { containerId: string }
export type ReopenContainerLogResponse = Record<string, never>;
export interface ExecSyncRequest { containerId: string; cmd: string[]; timeout: number }
export interface ExecSyncResponse { stdout: Buffer; stderr: Buffer; exitCode: number }
export interface ExecRequest { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean }
export interface ExecResponse { url: string }

// ---- stats ----
export interface FilesystemUsage { timestamp: number; fsId: { mountpoint: string } | null; usedBytes: UInt64Value | null; inodesUsed: UInt64Value | null }
export interface ContainerAttributes { id: string; metadata: ContainerMetadata | null; labels: Map; annotations: Map }
export interface CpuUsage { timestamp: number; usageCoreNanoSeconds: UInt64Value | null; usageNanoCores: UInt64Value | null }
export interface MemoryUsage {
  timestamp: number;
  workingSetBytes: UInt64Value | null;
  availableBytes: UInt64Value | null;
  usageBytes: UInt64Value | null;
  rssBytes: UInt64Value | null;
  pageFaults: UInt64Value | null;
  majorPageFaults: UInt64Value | null;
}
export interface ContainerStats { attributes: ContainerAttributes | null; cpu: CpuUsage | null; memory: MemoryUsage | null; writableLayer: FilesystemUsage | null }
export interface ContainerStatsRequest { containerId: string }
export interface ContainerStatsResponse { stats: ContainerStats | null }

// ---- images ----
export interface Image {
  id: string;
  repoTags: string[];
  repoDigests: string[];
  size: number;
  uid: Int64Value | null;
  username: string;
  spec: ImageSpec | null;
  pinned: boolean;
}
export interface ListImagesRequest { filter: { image: ImageSpec | null } | null }
export interface ListImagesResponse { images: Image[] }
export interface ImageStatusRequest { image: ImageSpec | null; verbose: boolean }
export interface ImageStatusResponse { image: Image | null; info: Map }
export interface AuthConfig { username: string; password: string; auth: string; serverAddress: string; identityToken: string; registryToken: string }
export interface PullImageRequest { image: ImageSpec | null; auth: AuthConfig | null; sandboxConfig: PodSandboxConfig | null }
export interface PullImageResponse { imageRef: string }
export interface RemoveImageRequest { image: ImageSpec | null }
export type RemoveImageResponse = Record<string, never>;
export type ImageFsInfoRequest = Record<string, never>;
export interface ImageFsInfoResponse { imageFilesystems: FilesystemUsage[]; containerFilesystems: FilesystemUsage[] }

/** RuntimeService: RPC name → [request, response]. */
export interface RuntimeServiceMethods {
  Version: [VersionRequest, VersionResponse];
  RunPodSandbox: [RunPodSandboxRequest, RunPodSandboxResponse];
  StopPodSandbox: [StopPodSandboxRequest, StopPodSandboxResponse];
  RemovePodSandbox: [RemovePodSandboxRequest, RemovePodSandboxResponse];
  PodSandboxStatus: [PodSandboxStatusRequest, PodSandboxStatusResponse];
  ListPodSandbox: [ListPodSandboxRequest, ListPodSandboxResponse];
  CreateContainer: [CreateContainerRequest, CreateContainerResponse];
  StartContainer: [StartContainerRequest, StartContainerResponse];
  StopContainer: [StopContainerRequest, StopContainerResponse];
  RemoveContainer: [RemoveContainerRequest, RemoveContainerResponse];
  ListContainers: [ListContainersRequest, ListContainersResponse];
  ContainerStatus: [ContainerStatusRequest, ContainerStatusResponse];
  ReopenContainerLog: [ReopenContainerLogRequest, ReopenContainerLogResponse];
  ExecSync: [ExecSyncRequest, ExecSyncResponse];
  Exec: [ExecRequest, ExecResponse];
  ContainerStats: [ContainerStatsRequest, ContainerStatsResponse];
  UpdateRuntimeConfig: [UpdateRuntimeConfigRequest, UpdateRuntimeConfigResponse];
  Status: [StatusRequest, StatusResponse];
}

/** ImageService: RPC name → [request, response]. */
export interface ImageServiceMethods {
  ListImages: [ListImagesRequest, ListImagesResponse];
  ImageStatus: [ImageStatusRequest, ImageStatusResponse];
  PullImage: [PullImageRequest, PullImageResponse];
  RemoveImage: [RemoveImageRequest, RemoveImageResponse];
  ImageFsInfo: [ImageFsInfoRequest, ImageFsInfoResponse];
}
