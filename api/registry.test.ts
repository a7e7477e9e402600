import assert from 'node:assert/strict';
import { findByKind, findByName, findResource, resources } from './registry.js';
import { apiVersionOf, type KubeObject } from './resource.js';

describe('registry', () => {
  it('serves every kind once with Kubernetes names', () => {
    const table = resources.map((r) => `${apiVersionOf(r)} ${r.kind} ${r.plural} ${r.singular} ${r.namespaced ? 'ns' : 'cluster'} [${r.shortNames.join(',')}] [${r.categories.join(',')}] [${r.subresources.join(',')}]`);
    assert.deepEqual(table, [
      'v1 Namespace namespaces namespace cluster [ns] [] [status,finalize]',
      'v1 Pod pods pod ns [po] [all] [status,binding,log,exec,eviction,portforward]',
      'v1 Node nodes node cluster [no] [] [status]',
      'v1 Service services service ns [svc] [all] [status]',
      'v1 Endpoints endpoints endpoints ns [ep] [] []',
      'v1 ConfigMap configmaps configmap ns [cm] [] []',
      'v1 Secret secrets secret ns [] [] []',
      'v1 Event events event ns [ev] [] []',
      'v1 ReplicationController replicationcontrollers replicationcontroller ns [rc] [all] [status,scale]',
      'apps/v1 Deployment deployments deployment ns [deploy] [all] [status,scale]',
      'apps/v1 ReplicaSet replicasets replicaset ns [rs] [all] [status,scale]',
      'apps/v1 DaemonSet daemonsets daemonset ns [ds] [all] [status]',
      'apps/v1 StatefulSet statefulsets statefulset ns [sts] [all] [status,scale]',
      'apps/v1 ControllerRevision controllerrevisions controllerrevision ns [] [] []',
      'batch/v1 Job jobs job ns [] [all] [status]',
      'batch/v1 CronJob cronjobs cronjob ns [cj] [all] [status]',
      'coordination.k8s.io/v1 Lease leases lease ns [] [] []',
      'discovery.k8s.io/v1 EndpointSlice endpointslices endpointslice ns [] [] []',
      'scheduling.k8s.io/v1 PriorityClass priorityclasses priorityclass cluster [pc] [] []',
      'policy/v1 PodDisruptionBudget poddisruptionbudgets poddisruptionbudget ns [pdb] [] [status]',
      'rbac.authorization.k8s.io/v1 Role roles role ns [] [] []',
      'rbac.authorization.k8s.io/v1 ClusterRole clusterroles clusterrole cluster [] [] []',
      'rbac.authorization.k8s.io/v1 RoleBinding rolebindings rolebinding ns [] [] []',
      'rbac.authorization.k8s.io/v1 ClusterRoleBinding clusterrolebindings clusterrolebinding cluster [] [] []',
      'authorization.k8s.io/v1 SelfSubjectAccessReview selfsubjectaccessreviews selfsubjectaccessreview cluster [] [] []',
      'authorization.k8s.io/v1 SelfSubjectRulesReview selfsubjectrulesreviews selfsubjectrulesreview cluster [] [] []',
      'authorization.k8s.io/v1 SubjectAccessReview subjectaccessreviews subjectaccessreview cluster [] [] []',
      'authorization.k8s.io/v1 LocalSubjectAccessReview localsubjectaccessreviews localsubjectaccessreview ns [] [] []',
      'authentication.k8s.io/v1 SelfSubjectReview selfsubjectreviews selfsubjectreview cluster [] [] []',
    ]);
    for (const r of resources) assert.equal(r.listKind, `${r.kind}List`);
  });

  it('finds resources by path, by kind and by what a user types', () => {
    assert.equal(findResource('', 'v1', 'pods')?.kind, 'Pod');
    assert.equal(findResource('apps', 'v1', 'deployments')?.kind, 'Deployment');
    assert.equal(findResource('', 'v1', 'deployments'), undefined);
    assert.equal(findByKind('apps/v1', 'ReplicaSet')?.plural, 'replicasets');
    assert.equal(findByKind('v1', 'Deployment'), undefined);
    assert.equal(findByName('deploy')?.kind, 'Deployment');
    assert.equal(findByName('pdb')?.kind, 'PodDisruptionBudget');
    assert.equal(findByName('deployments.apps')?.kind, 'Deployment');
    assert.equal(findByName('svc')?.kind, 'Service');
  });

  it('exposes field selectors with Kubernetes values', () => {
    const pods = findByKind('v1', 'Pod');
    assert.ok(pods?.selectableFields);
    const pod = { metadata: { name: 'p' }, spec: { nodeName: 'n1', containers: [] }, status: { phase: 'Running' } } as KubeObject;
    const sel = pods.selectableFields;
    assert.equal(sel['spec.nodeName']?.(pod), 'n1');
    assert.equal(sel['status.phase']?.(pod), 'Running');
    assert.equal(sel['status.podIP']?.(pod), '');
    assert.equal(sel['spec.hostNetwork']?.(pod), 'false');
    for (const f of ['spec.schedulerName', 'spec.restartPolicy', 'spec.serviceAccountName']) assert.ok(sel[f], f);
    const unscheduled = { metadata: { name: 'q' }, spec: { containers: [] } } as KubeObject;
    assert.equal(sel['spec.nodeName']?.(unscheduled), '');

    const events = findByKind('v1', 'Event')?.selectableFields ?? {};
    const ev = { metadata: {}, involvedObject: { kind: 'Pod', name: 'p', uid: 'u' }, reason: 'Pulled', type: 'Normal', source: { component: 'kubelet' } } as KubeObject;
    assert.equal(events['involvedObject.kind']?.(ev), 'Pod');
    assert.equal(events['involvedObject.uid']?.(ev), 'u');
    assert.equal(events.source?.(ev), 'kubelet');
    assert.equal(events.reason?.(ev), 'Pulled');
    for (const f of ['involvedObject.namespace', 'involvedObject.name', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'type', 'reportingComponent']) {
      assert.ok(events[f], f);
    }
    assert.equal(findByKind('v1', 'Secret')?.selectableFields?.type?.({ metadata: {}, type: 'Opaque' }), 'Opaque');
    assert.equal(findByKind('v1', 'Node')?.selectableFields?.['spec.unschedulable']?.({ metadata: {}, spec: { unschedulable: true } }), 'true');
    assert.equal(findByKind('v1', 'Namespace')?.selectableFields?.['status.phase']?.({ metadata: {}, status: { phase: 'Active' } }), 'Active');
    assert.equal(findByKind('apps/v1', 'ReplicaSet')?.selectableFields?.['status.replicas']?.({ metadata: {}, status: { replicas: 3 } }), '3');
  });
});
