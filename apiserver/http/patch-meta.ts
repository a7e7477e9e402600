// Strategic-merge-patch metadata of the built-in kinds: for each list field, its
// `x-kubernetes-patch-merge-key` and `x-kubernetes-patch-strategy` as in Kubernetes v1.32
// (k8s.io/api struct tags `patchMergeKey` / `patchStrategy`). A list without an entry is atomic
// (replaced as a whole, e.g. tolerations, envFrom, taints, endpoints subsets).

export interface FieldMeta {
  /** Merge key of a list of objects (`x-kubernetes-patch-merge-key`). */
  key?: string;
  /** `merge`, `retainKeys`, `merge,retainKeys` or `replace` (`x-kubernetes-patch-strategy`). */
  strategy?: string;
  /** The type of the field's value (or of each list element), for fields nested below it. */
  type?: string;
}

/** A type: its fields that carry patch metadata or lead to fields that do. */
export type TypeMeta = Record<string, FieldMeta>;

const conditions: FieldMeta = { key: 'type', strategy: 'merge' };
const byName: FieldMeta = { key: 'name', strategy: 'merge' };
const containers: FieldMeta = { key: 'name', strategy: 'merge', type: 'Container' };

const types: Record<string, TypeMeta> = {
  ObjectMeta: {
    ownerReferences: { key: 'uid', strategy: 'merge' },
    finalizers: { strategy: 'merge' },
  },
  PodTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'PodSpec' } },
  PodSpec: {
    volumes: { key: 'name', strategy: 'merge,retainKeys' },
    initContainers: containers,
    containers,
    ephemeralContainers: containers,
    imagePullSecrets: byName,
    hostAliases: { key: 'ip', strategy: 'merge' },
    topologySpreadConstraints: { key: 'topologyKey', strategy: 'merge' },
    schedulingGates: byName,
    resourceClaims: { key: 'name', strategy: 'merge,retainKeys' },
  },
  Container: {
    ports: { key: 'containerPort', strategy: 'merge' },
    env: byName,
    volumeMounts: { key: 'mountPath', strategy: 'merge' },
    volumeDevices: { key: 'devicePath', strategy: 'merge' },
  },
  PodStatus: {
    conditions,
    podIPs: { key: 'ip', strategy: 'merge' },
    hostIPs: { key: 'ip', strategy: 'merge' },
  },
  ConditionsStatus: { conditions },
  DeploymentSpec: { template: { type: 'PodTemplateSpec' }, strategy: { strategy: 'retainKeys' } },
  ReplicaSetSpec: { template: { type: 'PodTemplateSpec' } },
  ReplicationControllerSpec: { template: { type: 'PodTemplateSpec' } },
  JobSpec: { template: { type: 'PodTemplateSpec' } },
  StatefulSetSpec: { template: { type: 'PodTemplateSpec' }, updateStrategy: { strategy: 'retainKeys' } },
  DaemonSetSpec: { template: { type: 'PodTemplateSpec' }, updateStrategy: { strategy: 'retainKeys' } },
  JobTemplateSpec: { metadata: { type: 'ObjectMeta' }, spec: { type: 'JobSpec' } },
  CronJobSpec: { jobTemplate: { type: 'JobTemplateSpec' } },
  ServiceSpec: { ports: { key: 'port', strategy: 'merge' } },
  NodeSpec: { podCIDRs: { strategy: 'merge' } },
  NodeStatus: { conditions, addresses: { key: 'type', strategy: 'merge' } },
};

const metadata: FieldMeta = { type: 'ObjectMeta' };
const status: FieldMeta = { type: 'ConditionsStatus' };

/** Root types of the built-in kinds (keyed by kind; all our kinds have distinct names). */
const kinds: Record<string, TypeMeta> = {
  Pod: { metadata, spec: { type: 'PodSpec' }, status: { type: 'PodStatus' } },
  Deployment: { metadata, spec: { type: 'DeploymentSpec' }, status },
  ReplicaSet: { metadata, spec: { type: 'ReplicaSetSpec' }, status },
  ReplicationController: { metadata, spec: { type: 'ReplicationControllerSpec' }, status },
  Job: { metadata, spec: { type: 'JobSpec' }, status },
  DaemonSet: { metadata, spec: { type: 'DaemonSetSpec' }, status },
  StatefulSet: { metadata, spec: { type: 'StatefulSetSpec' }, status },
  ControllerRevision: { metadata },
  CronJob: { metadata, spec: { type: 'CronJobSpec' }, status },
  Service: { metadata, spec: { type: 'ServiceSpec' }, status },
  Node: { metadata, spec: { type: 'NodeSpec' }, status: { type: 'NodeStatus' } },
  Namespace: { metadata, status },
  PodDisruptionBudget: { metadata, status },
  ConfigMap: { metadata },
  Secret: { metadata },
  Endpoints: { metadata },
  Event: { metadata },
  Lease: { metadata },
  EndpointSlice: { metadata },
  PriorityClass: { metadata },
};

/** Patch metadata of a built-in kind's top level, or undefined for kinds without a schema here. */
export function kindMeta(kind: string): TypeMeta | undefined {
  return Object.hasOwn(kinds, kind) ? kinds[kind] : undefined;
}

/** The fields of a named type ({} for types without list metadata). */
export function typeMeta(type: string | undefined): TypeMeta {
  return type !== undefined && Object.hasOwn(types, type) ? types[type]! : {};
}

/** The metadata of `field` inside a type (empty when the field has none). */
export function fieldMeta(meta: TypeMeta, field: string): FieldMeta {
  return Object.hasOwn(meta, field) ? meta[field]! : {};
}
