// Every served kind, as the apiserver, discovery and clients see it.
import type { z } from 'zod';
import { apiVersionOf, type FieldError, type KubeObject, type ResourceType } from './resource.js';
import { ControllerRevisionSchema } from './apps/v1/controllerrevision.js';
import { DaemonSetSchema } from './apps/v1/daemonset.js';
import { setDaemonSetDefaults, validateControllerRevision, validateDaemonSet } from './apps/v1/daemonset-rules.js';
import { DeploymentSchema } from './apps/v1/deployment.js';
import { CronJobSchema } from './batch/v1/cronjob.js';
import { setCronJobDefaults, validateCronJob } from './batch/v1/cronjob-rules.js';
import { JobSchema } from './batch/v1/job.js';
import { prepareJobForCreate, setJobDefaults, validateJob } from './batch/v1/job-rules.js';
import { ReplicaSetSchema } from './apps/v1/replicaset.js';
import { StatefulSetSchema } from './apps/v1/statefulset.js';
import { setStatefulSetDefaults, validateStatefulSet } from './apps/v1/statefulset-rules.js';
import { setDeploymentDefaults, setReplicaSetDefaults, validateDeployment, validateReplicaSet } from './apps/v1/rules.js';
import { LeaseSchema } from './coordination/v1/lease.js';
import { validateLease } from './coordination/v1/rules.js';
import { setNamespaceDefaults, setNodeDefaults, validateEvent, validateNamespace, validateNode } from './core/v1/cluster-rules.js';
import { ConfigMapSchema, SecretSchema } from './core/v1/config.js';
import { setSecretDefaults, validateConfigMap, validateSecret } from './core/v1/config-rules.js';
import { EndpointsSchema } from './core/v1/endpoints.js';
import { EventSchema } from './core/v1/event.js';
import { NamespaceSchema } from './core/v1/namespace.js';
import { NodeSchema } from './core/v1/node.js';
import { PodSchema } from './core/v1/pod.js';
import { setPodDefaults } from './core/v1/pod-defaults.js';
import { validatePod } from './core/v1/pod-validation.js';
import { ReplicationControllerSchema } from './core/v1/replicationcontroller.js';
import { setReplicationControllerDefaults, validateReplicationController } from './core/v1/replicationcontroller-rules.js';
import { ServiceSchema } from './core/v1/service.js';
import { setEndpointsDefaults, setServiceDefaults, validateEndpoints, validateService } from './core/v1/service-rules.js';
import { EndpointSliceSchema } from './discovery/v1/endpointslice.js';
import { setEndpointSliceDefaults, validateEndpointSlice } from './discovery/v1/rules.js';
import { PodDisruptionBudgetSchema } from './policy/v1/poddisruptionbudget.js';
import { validatePodDisruptionBudget } from './policy/v1/rules.js';
import { PriorityClassSchema } from './scheduling/v1/priorityclass.js';
import { setPriorityClassDefaults, validatePriorityClass } from './scheduling/v1/rules.js';
import { ClusterRoleSchema, RoleBindingSchema, RoleSchema } from './rbac/v1/rbac.js';
import { setSubjectDefaults, validateClusterRole, validateClusterRoleBinding, validateRole, validateRoleBinding } from './rbac/v1/rules.js';
import {
  noValidation, SelfSubjectAccessReviewSchema, SelfSubjectReviewSchema, SelfSubjectRulesReviewSchema, SubjectAccessReviewSchema,
  validateLocalSubjectAccessReview, validateSelfSubjectAccessReview, validateSubjectAccessReview,
} from './authorization/v1/reviews.js';

type Selectable = Record<string, (obj: KubeObject) => string | undefined>;

interface KindDef<T> {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  schema: z.ZodType<T>;
  setDefaults?: (obj: T, old?: T) => void;
  validate: (obj: T, old?: T) => FieldError[];
  prepareForCreate?: (obj: T) => void;
  selectableFields?: Selectable;
  verbs?: string[];
}

/** Adapts typed per-kind functions to the untyped ResourceType contract. */
function kind<T>(d: KindDef<T>): ResourceType {
  const setDefaults = d.setDefaults;
  const rt: ResourceType = {
    group: d.group,
    version: d.version,
    kind: d.kind,
    listKind: `${d.kind}List`,
    plural: d.plural,
    singular: d.kind.toLowerCase(),
    namespaced: d.namespaced,
    shortNames: d.shortNames ?? [],
    categories: d.categories ?? [],
    subresources: d.subresources ?? [],
    schema: d.schema,
    setDefaults: (obj, old) => setDefaults?.(obj as unknown as T, old as unknown as T | undefined),
    validate: (obj, old) => d.validate(obj as unknown as T, old as unknown as T | undefined),
  };
  if (d.selectableFields) rt.selectableFields = d.selectableFields;
  const prepare = d.prepareForCreate;
  if (prepare) rt.prepareForCreate = (obj) => prepare(obj as unknown as T);
  if (d.verbs) rt.verbs = d.verbs;
  return rt;
}

/** Reads a nested field as a field-selector value: strings as they are, numbers and booleans as text, absent as ''. */
function field(path: string): (obj: KubeObject) => string {
  const parts = path.split('.');
  return (obj) => {
    let cur: unknown = obj;
    for (const p of parts) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
    if (typeof cur === 'string') return cur;
    if (typeof cur === 'number' || typeof cur === 'boolean') return String(cur);
    return '';
  };
}

/** Like `field` for booleans that Kubernetes reports as "false" when unset. */
function boolField(path: string): (obj: KubeObject) => string {
  const get = field(path);
  return (obj) => get(obj) || 'false';
}

function fields(paths: string[]): Selectable {
  return Object.fromEntries(paths.map((p) => [p, field(p)]));
}

export const resources: ResourceType[] = [
  kind({
    group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'],
    subresources: ['status', 'finalize'], schema: NamespaceSchema, setDefaults: setNamespaceDefaults, validate: validateNamespace,
    selectableFields: fields(['status.phase']),
  }),
  kind({
    group: '', version: 'v1', kind: 'Pod', plural: 'pods', namespaced: true, shortNames: ['po'], categories: ['all'],
    subresources: ['status', 'binding', 'log', 'exec', 'eviction', 'portforward'], schema: PodSchema, setDefaults: setPodDefaults, validate: validatePod,
    selectableFields: {
      ...fields(['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'status.phase', 'status.podIP', 'status.nominatedNodeName']),
      'spec.hostNetwork': boolField('spec.hostNetwork'),
    },
  }),
  kind({
    group: '', version: 'v1', kind: 'Node', plural: 'nodes', namespaced: false, shortNames: ['no'],
    subresources: ['status'], schema: NodeSchema, setDefaults: setNodeDefaults, validate: validateNode,
    selectableFields: { 'spec.unschedulable': boolField('spec.unschedulable') },
  }),
  kind({
    group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true, shortNames: ['svc'], categories: ['all'],
    subresources: ['status'], schema: ServiceSchema, setDefaults: setServiceDefaults, validate: validateService,
  }),
  kind({
    group: '', version: 'v1', kind: 'Endpoints', plural: 'endpoints', namespaced: true, shortNames: ['ep'],
    schema: EndpointsSchema, setDefaults: setEndpointsDefaults, validate: validateEndpoints,
  }),
  kind({
    group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true, shortNames: ['cm'],
    schema: ConfigMapSchema, validate: validateConfigMap,
  }),
  kind({
    group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true,
    schema: SecretSchema, setDefaults: setSecretDefaults, validate: validateSecret,
    selectableFields: fields(['type']),
  }),
  kind({
    group: '', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'],
    schema: EventSchema, validate: validateEvent,
    selectableFields: {
      ...fields([
        'involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid',
        'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath',
        'reason', 'reportingComponent', 'type',
      ]),
      source: field('source.component'),
    },
  }),
  kind({
    group: '', version: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', namespaced: true, shortNames: ['rc'],
    categories: ['all'], subresources: ['status', 'scale'], schema: ReplicationControllerSchema,
    setDefaults: setReplicationControllerDefaults, validate: validateReplicationController,
  }),
  kind({
    group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true, shortNames: ['deploy'],
    categories: ['all'], subresources: ['status', 'scale'], schema: DeploymentSchema,
    setDefaults: setDeploymentDefaults, validate: validateDeployment,
  }),
  kind({
    group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true, shortNames: ['rs'],
    categories: ['all'], subresources: ['status', 'scale'], schema: ReplicaSetSchema,
    setDefaults: setReplicaSetDefaults, validate: validateReplicaSet,
    selectableFields: fields(['status.replicas']),
  }),
  kind({
    group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true, shortNames: ['ds'],
    categories: ['all'], subresources: ['status'], schema: DaemonSetSchema,
    setDefaults: setDaemonSetDefaults, validate: validateDaemonSet,
  }),
  kind({
    group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true, shortNames: ['sts'],
    categories: ['all'], subresources: ['status', 'scale'], schema: StatefulSetSchema,
    setDefaults: setStatefulSetDefaults, validate: validateStatefulSet,
  }),
  kind({
    group: 'apps', version: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions', namespaced: true,
    schema: ControllerRevisionSchema, validate: validateControllerRevision,
  }),
  kind({
    group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'],
    subresources: ['status'], schema: JobSchema, setDefaults: setJobDefaults, validate: validateJob, prepareForCreate: prepareJobForCreate,
  }),
  kind({
    group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ['all'],
    subresources: ['status'], schema: CronJobSchema, setDefaults: setCronJobDefaults, validate: validateCronJob,
  }),
  kind({
    group: 'coordination.k8s.io', version: 'v1', kind: 'Lease', plural: 'leases', namespaced: true,
    schema: LeaseSchema, validate: validateLease,
  }),
  kind({
    group: 'discovery.k8s.io', version: 'v1', kind: 'EndpointSlice', plural: 'endpointslices', namespaced: true,
    schema: EndpointSliceSchema, setDefaults: setEndpointSliceDefaults, validate: validateEndpointSlice,
  }),
  kind({
    group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', namespaced: false,
    shortNames: ['pc'], schema: PriorityClassSchema, setDefaults: setPriorityClassDefaults, validate: validatePriorityClass,
  }),
  kind({
    group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true,
    shortNames: ['pdb'], subresources: ['status'], schema: PodDisruptionBudgetSchema, validate: validatePodDisruptionBudget,
  }),
  ...rbacKinds(),
  ...reviewKinds(),
];

function rbacKinds(): ResourceType[] {
  const group = 'rbac.authorization.k8s.io';
  return [
    kind({ group, version: 'v1', kind: 'Role', plural: 'roles', namespaced: true, schema: RoleSchema, validate: validateRole }),
    kind({ group, version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', namespaced: false, schema: ClusterRoleSchema, validate: validateClusterRole }),
    kind({
      group, version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', namespaced: true, schema: RoleBindingSchema,
      setDefaults: setSubjectDefaults, validate: validateRoleBinding,
    }),
    kind({
      group, version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', namespaced: false, schema: RoleBindingSchema,
      setDefaults: setSubjectDefaults, validate: validateClusterRoleBinding,
    }),
  ];
}

/** Created, answered at once, never stored: what `kubectl auth can-i` and `whoami` send. */
function reviewKinds(): ResourceType[] {
  const authz = { group: 'authorization.k8s.io', version: 'v1', verbs: ['create'] };
  return [
    kind({ ...authz, kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', namespaced: false, schema: SelfSubjectAccessReviewSchema, validate: validateSelfSubjectAccessReview }),
    kind({ ...authz, kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', namespaced: false, schema: SelfSubjectRulesReviewSchema, validate: noValidation }),
    kind({ ...authz, kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', namespaced: false, schema: SubjectAccessReviewSchema, validate: validateSubjectAccessReview }),
    kind({ ...authz, kind: 'LocalSubjectAccessReview', plural: 'localsubjectaccessreviews', namespaced: true, schema: SubjectAccessReviewSchema, validate: validateLocalSubjectAccessReview }),
    kind({
      group: 'authentication.k8s.io', version: 'v1', verbs: ['create'], kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', namespaced: false,
      schema: SelfSubjectReviewSchema, validate: noValidation,
    }),
  ];
}

/** The resource served at /api(s)/{group}/{version}/{plural}; group '' is the core group. */
export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return resources.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** The resource for a manifest's apiVersion (`v1`, `apps/v1`) and kind. */
export function findByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return resources.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

/** Resolves what a user typed (`po`, `pods`, `pod`, `deploy`, `deployments.apps`) to a resource. */
export function findByName(name: string): ResourceType | undefined {
  const [base, ...groupParts] = name.toLowerCase().split('.');
  const group = groupParts.join('.');
  return resources.find((r) => (groupParts.length === 0 || r.group === group)
    && (r.plural === base || r.singular === base || r.shortNames.includes(base ?? '')));
}
