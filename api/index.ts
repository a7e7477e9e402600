// Public surface of the object model: schemas and types per group/version, defaulting,
// validation, decoding and the resource registry.
export * from './resource.js';
export * from './validation.js';
export * from './decode.js';
export * from './registry.js';

export * from './meta/v1/primitives.js';
export * from './meta/v1/meta.js';
export * from './meta/v1/status.js';
export * from './meta/v1/validation.js';
export * from './meta/v1/query.js';

export * from './core/v1/common.js';
export * from './core/v1/security.js';
export * from './core/v1/probe.js';
export * from './core/v1/container.js';
export * from './core/v1/volume.js';
export * from './core/v1/volume-legacy.js';
export * from './core/v1/affinity.js';
export * from './core/v1/node-match.js';
export * from './core/v1/pod.js';
export * from './core/v1/pod-status.js';
export * from './core/v1/node.js';
export * from './core/v1/service.js';
export * from './core/v1/endpoints.js';
export * from './core/v1/config.js';
export * from './core/v1/namespace.js';
export * from './core/v1/event.js';
export * from './core/v1/binding.js';
export * from './core/v1/pod-defaults.js';
export * from './core/v1/container-validation.js';
export * from './core/v1/scheduling-validation.js';
export * from './core/v1/pod-validation.js';
export * from './core/v1/service-rules.js';
export * from './core/v1/config-rules.js';
export * from './core/v1/cluster-rules.js';
export * from './core/v1/replicationcontroller.js';
export * from './core/v1/replicationcontroller-rules.js';

export * from './apps/v1/deployment.js';
export * from './apps/v1/replicaset.js';
export * from './apps/v1/rules.js';
export * from './apps/v1/daemonset.js';
export * from './apps/v1/controllerrevision.js';
export * from './apps/v1/daemonset-rules.js';
export * from './apps/v1/statefulset.js';
export * from './apps/v1/statefulset-rules.js';
export * from './batch/v1/job.js';
export * from './batch/v1/cronjob.js';
export * from './batch/v1/job-rules.js';
export * from './batch/v1/cronjob-rules.js';
export * as cron from './batch/v1/cron.js';
export * from './autoscaling/v1/scale.js';
export * from './autoscaling/v1/rules.js';
export * from './coordination/v1/lease.js';
export * from './coordination/v1/rules.js';
export * from './discovery/v1/endpointslice.js';
export * from './discovery/v1/rules.js';
export * from './scheduling/v1/priorityclass.js';
export * from './scheduling/v1/rules.js';
export * from './policy/v1/poddisruptionbudget.js';
export * from './policy/v1/rules.js';

// Label and field selector parsing (kubectl's `-l` / `--field-selector` syntax). Namespaced because
// labels.LabelSelector (a parsed selector) differs from the metav1 LabelSelector type above.
export * as labels from './labels.js';
export * as fields from './fields.js';
