// The default RBAC policy, reconciled at every apiserver start as kube-apiserver does: the
// user-facing roles (cluster-admin; admin, edit, view by aggregation), discovery and basic-user
// for everyone signed in, public-info-viewer for everyone, and one role per component.
import type { ClusterRole, PolicyRule, RoleBinding, Subject } from '../../api/rbac/v1/rbac.js';

const group = 'rbac.authorization.k8s.io';
const read = ['get', 'list', 'watch'];
const write = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const r = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({ verbs, apiGroups, resources });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });

const bootstrapLabels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
const autoupdate = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };
const aggregateTo = (...levels: string[]) => Object.fromEntries(levels.map((l) => [`rbac.authorization.k8s.io/aggregate-to-${l}`, 'true']));

function role(name: string, rules: PolicyRule[], labels: Record<string, string> = {}): ClusterRole {
  return { apiVersion: `${group}/v1`, kind: 'ClusterRole', metadata: { name, labels: { ...bootstrapLabels, ...labels }, annotations: autoupdate }, rules };
}

function aggregated(name: string, level: string, labels: Record<string, string> = {}): ClusterRole {
  return {
    apiVersion: `${group}/v1`, kind: 'ClusterRole', metadata: { name, labels: { ...bootstrapLabels, ...labels }, annotations: autoupdate },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: aggregateTo(level) }] }, rules: [],
  };
}

const viewRules: PolicyRule[] = [
  r(read, [''], [
    'pods', 'pods/log', 'pods/status', 'configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'replicationcontrollers',
    'replicationcontrollers/scale', 'replicationcontrollers/status', 'serviceaccounts', 'services', 'services/status', 'bindings', 'events',
    'limitranges', 'resourcequotas', 'resourcequotas/status', 'namespaces', 'namespaces/status',
  ]),
  r(read, ['apps'], ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status']),
  r(read, ['autoscaling'], ['horizontalpodautoscalers', 'horizontalpodautoscalers/status']),
  r(read, ['batch'], ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status']),
  r(read, ['policy'], ['poddisruptionbudgets', 'poddisruptionbudgets/status']),
  r(read, ['discovery.k8s.io'], ['endpointslices']),
  r(read, ['networking.k8s.io'], ['ingresses', 'ingresses/status', 'networkpolicies']),
];

const editRules: PolicyRule[] = [
  r(['create', 'delete', 'deletecollection', 'patch', 'update', 'get', 'list', 'watch'], [''], ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy']),
  r(['impersonate'], [''], ['serviceaccounts']),
  r(write, [''], ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'configmaps', 'endpoints', 'persistentvolumeclaims', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'services', 'services/proxy']),
  r(['create'], [''], ['pods/eviction', 'serviceaccounts/token']),
  r(write, ['apps'], ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale']),
  r(write, ['autoscaling'], ['horizontalpodautoscalers']),
  r(write, ['batch'], ['cronjobs', 'jobs']),
  r(write, ['policy'], ['poddisruptionbudgets']),
  r(write, ['discovery.k8s.io'], ['endpointslices']),
  r(write, ['networking.k8s.io'], ['ingresses', 'networkpolicies']),
  r(['create', 'delete', 'deletecollection', 'patch', 'update'], ['coordination.k8s.io'], ['leases']),
];

const adminRules: PolicyRule[] = [
  r([...write, ...read], [group], ['rolebindings', 'roles']),
  r(['create'], ['authorization.k8s.io'], ['localsubjectaccessreviews']),
];

const events = r(['create', 'patch', 'update'], ['', 'events.k8s.io'], ['events']);
const leaderElection = r(['create', 'get', 'list', 'watch', 'update', 'patch'], ['coordination.k8s.io'], ['leases']);
const healthUrls = ['/healthz', '/healthz/*', '/livez', '/livez/*', '/readyz', '/readyz/*', '/version', '/version/'];

export const bootstrapClusterRoles: ClusterRole[] = [
  role('cluster-admin', [r(['*'], ['*'], ['*']), urls(['*'], ['*'])]),
  aggregated('admin', 'admin'),
  aggregated('edit', 'edit', aggregateTo('admin')),
  aggregated('view', 'view', aggregateTo('edit')),
  role('system:aggregate-to-admin', adminRules, aggregateTo('admin')),
  role('system:aggregate-to-edit', editRules, aggregateTo('edit')),
  role('system:aggregate-to-view', viewRules, aggregateTo('view')),
  role('system:discovery', [urls(['get'], ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', ...healthUrls])]),
  role('system:basic-user', [r(['create'], ['authorization.k8s.io'], ['selfsubjectaccessreviews', 'selfsubjectrulesreviews']), r(['create'], ['authentication.k8s.io'], ['selfsubjectreviews'])]),
  role('system:public-info-viewer', [urls(['get'], healthUrls)]),
  role('system:monitoring', [urls(['get'], ['/metrics', '/metrics/slis', ...healthUrls])]),
  role('system:kube-scheduler', [
    events, leaderElection,
    r(['create'], [''], ['bindings', 'pods/binding']),
    r(['get', 'list', 'watch', 'delete', 'patch', 'update'], [''], ['pods']),
    r(['patch', 'update'], [''], ['pods/status']),
    r(read, [''], ['nodes', 'namespaces', 'services', 'replicationcontrollers', 'persistentvolumeclaims', 'persistentvolumes']),
    r(read, ['apps'], ['replicasets', 'statefulsets']),
    r(read, ['policy'], ['poddisruptionbudgets']),
    r(read, ['scheduling.k8s.io'], ['priorityclasses']),
    r(read, ['storage.k8s.io'], ['storageclasses', 'csinodes', 'csidrivers', 'csistoragecapacities']),
  ]),
  // One identity runs every controller (Kubernetes gives each its own ServiceAccount): the
  // garbage collector and namespace cleanup touch every kind, so it may read and write all of
  // them, but it cannot escalate, bind or impersonate.
  role('system:kube-controller-manager', [r([...read, ...write], ['*'], ['*']), events]),
  role('system:node-proxier', [events, r(read, [''], ['services', 'endpoints', 'nodes']), r(read, ['discovery.k8s.io'], ['endpointslices'])]),
  role('system:kube-dns', [r(read, [''], ['endpoints', 'services', 'pods', 'namespaces']), r(read, ['discovery.k8s.io'], ['endpointslices'])]),
  // What a kubelet may do at all; the Node authorizer narrows it to the node's own objects.
  role('system:node', [
    events,
    r(['create', 'get', 'list', 'watch', 'update', 'patch', 'delete'], [''], ['nodes']),
    r(['patch', 'update'], [''], ['nodes/status', 'pods/status']),
    r(['get', 'list', 'watch', 'create', 'delete'], [''], ['pods']),
    r(['create'], [''], ['pods/eviction', 'serviceaccounts/token']),
    r(read, [''], ['services', 'endpoints', 'secrets', 'configmaps', 'persistentvolumeclaims', 'persistentvolumes', 'serviceaccounts']),
    r(read, ['discovery.k8s.io'], ['endpointslices']),
    r(['create', 'delete', 'get', 'patch', 'update', 'list', 'watch'], ['coordination.k8s.io'], ['leases']),
    r(['create', 'get', 'list', 'watch'], ['certificates.k8s.io'], ['certificatesigningrequests']),
  ]),
];

const user = (name: string): Subject => ({ kind: 'User', apiGroup: group, name });
const groupSubject = (name: string): Subject => ({ kind: 'Group', apiGroup: group, name });

function binding(name: string, roleName: string, subjects: Subject[]): RoleBinding {
  return {
    apiVersion: `${group}/v1`, kind: 'ClusterRoleBinding', metadata: { name, labels: bootstrapLabels, annotations: autoupdate },
    roleRef: { apiGroup: group, kind: 'ClusterRole', name: roleName }, subjects,
  };
}

export const bootstrapClusterRoleBindings: RoleBinding[] = [
  binding('cluster-admin', 'cluster-admin', [groupSubject('system:masters')]),
  binding('system:discovery', 'system:discovery', [groupSubject('system:authenticated')]),
  binding('system:basic-user', 'system:basic-user', [groupSubject('system:authenticated')]),
  binding('system:public-info-viewer', 'system:public-info-viewer', [groupSubject('system:authenticated'), groupSubject('system:unauthenticated')]),
  binding('system:monitoring', 'system:monitoring', [groupSubject('system:monitoring')]),
  binding('system:kube-scheduler', 'system:kube-scheduler', [user('system:kube-scheduler')]),
  binding('system:kube-controller-manager', 'system:kube-controller-manager', [user('system:kube-controller-manager')]),
  binding('system:node-proxier', 'system:node-proxier', [user('system:kube-proxy')]),
  binding('system:kube-dns', 'system:kube-dns', [user('system:kube-dns')]),
  // The shared node token of `skiff join` and hollow nodes (until nodes join with their own certificates).
  binding('skiff:node-token', 'system:node', [groupSubject('skiff:nodes')]),
];
