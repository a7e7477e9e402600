// OpenAPI v3 component schemas generated from the api/ zod schemas (zod 4's toJSONSchema), named
// as Kubernetes names its definitions (`io.k8s.api.core.v1.Pod`, `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`)
// and linked by `$ref`, with `x-kubernetes-group-version-kind` on each kind and the strategic
// merge extensions patch-meta.ts knows. Enough for `kubectl explain` to walk fields and types.
import { z } from 'zod';
import * as appsControllerRevision from '../../api/apps/v1/controllerrevision.js';
import * as appsDaemonSet from '../../api/apps/v1/daemonset.js';
import * as appsDeployment from '../../api/apps/v1/deployment.js';
import * as appsReplicaSet from '../../api/apps/v1/replicaset.js';
import * as appsStatefulSet from '../../api/apps/v1/statefulset.js';
import * as batchCronJob from '../../api/batch/v1/cronjob.js';
import * as batchJob from '../../api/batch/v1/job.js';
import * as autoscalingScale from '../../api/autoscaling/v1/scale.js';
import * as coordinationLease from '../../api/coordination/v1/lease.js';
import * as coreAffinity from '../../api/core/v1/affinity.js';
import * as coreBinding from '../../api/core/v1/binding.js';
import * as coreCommon from '../../api/core/v1/common.js';
import * as coreConfig from '../../api/core/v1/config.js';
import * as coreContainer from '../../api/core/v1/container.js';
import * as coreEndpoints from '../../api/core/v1/endpoints.js';
import * as coreEvent from '../../api/core/v1/event.js';
import * as coreNamespace from '../../api/core/v1/namespace.js';
import * as coreNode from '../../api/core/v1/node.js';
import * as corePod from '../../api/core/v1/pod.js';
import * as corePodStatus from '../../api/core/v1/pod-status.js';
import * as coreProbe from '../../api/core/v1/probe.js';
import * as coreSecurity from '../../api/core/v1/security.js';
import * as coreReplicationController from '../../api/core/v1/replicationcontroller.js';
import * as coreService from '../../api/core/v1/service.js';
import * as coreVolume from '../../api/core/v1/volume.js';
import * as coreVolumeLegacy from '../../api/core/v1/volume-legacy.js';
import * as discoveryEndpointSlice from '../../api/discovery/v1/endpointslice.js';
import * as metaMeta from '../../api/meta/v1/meta.js';
import { IntOrStringSchema, QuantitySchema, TimeSchema } from '../../api/meta/v1/primitives.js';
import * as metaStatus from '../../api/meta/v1/status.js';
import * as policyPdb from '../../api/policy/v1/poddisruptionbudget.js';
import type { ResourceType } from '../../api/resource.js';
import * as schedulingPriorityClass from '../../api/scheduling/v1/priorityclass.js';
import { descriptionOf } from './openapi-descriptions.js';
import { typeMeta } from './patch-meta.js';

type Json = Record<string, unknown>;

/** Each module's exported `XSchema`s become definitions `<prefix>.X`. */
const modules: Array<[string, object[]]> = [
  ['io.k8s.apimachinery.pkg.apis.meta.v1', [metaMeta, metaStatus]],
  [
    'io.k8s.api.core.v1',
    [coreCommon, coreSecurity, coreProbe, coreContainer, coreVolume, coreVolumeLegacy, coreAffinity, corePod, corePodStatus, coreNode, coreService, coreEndpoints, coreConfig, coreNamespace, coreEvent, coreBinding, coreReplicationController],
  ],
  ['io.k8s.api.apps.v1', [appsDeployment, appsReplicaSet, appsDaemonSet, appsStatefulSet, appsControllerRevision]],
  ['io.k8s.api.autoscaling.v1', [autoscalingScale]],
  ['io.k8s.api.batch.v1', [batchJob, batchCronJob]],
  ['io.k8s.api.coordination.v1', [coordinationLease]],
  ['io.k8s.api.discovery.v1', [discoveryEndpointSlice]],
  ['io.k8s.api.scheduling.v1', [schedulingPriorityClass]],
  ['io.k8s.api.policy.v1', [policyPdb]],
];

const refPrefix = '#/components/schemas/';

/** Scalar wire types, named as in Kubernetes' documents. Without a `type`, kubectl explain prints their name (`<IntOrString>`). */
const scalars: Array<[z.ZodType, string, Json]> = [
  [IntOrStringSchema, 'io.k8s.apimachinery.pkg.util.intstr.IntOrString', {
    description: 'IntOrString is a type that can hold an int32 or a string. When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.',
    format: 'int-or-string',
  }],
  [QuantitySchema, 'io.k8s.apimachinery.pkg.api.resource.Quantity', {
    description: 'Quantity is a fixed-point representation of a number, written with an optional SI or binary suffix: "500m", "1Gi", "2".',
  }],
  [TimeSchema, 'io.k8s.apimachinery.pkg.apis.meta.v1.Time', {
    description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON, in RFC 3339 form.',
    type: 'string',
    format: 'date-time',
  }],
];
const intOrStringRef = { $ref: `${refPrefix}io.k8s.apimachinery.pkg.util.intstr.IntOrString` };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const shortName = (id: string): string => id.slice(id.lastIndexOf('.') + 1);

export class OpenApiSchemas {
  /** Every definition, by its Kubernetes name. */
  readonly schemas: Record<string, Json> = {};
  private readonly kindIds = new Map<string, string>();

  constructor(resources: ResourceType[]) {
    const registry = z.registry<{ id: string }>();
    const seen = new Set<unknown>();
    for (const [schema, id] of scalars) {
      registry.add(schema, { id });
      seen.add(schema);
    }
    for (const [prefix, mods] of modules) {
      for (const mod of mods) {
        for (const [name, value] of Object.entries(mod)) {
          // One definition per schema object (some are exported under two names).
          if (!name.endsWith('Schema') || !(value instanceof z.ZodType) || seen.has(value) || !(value instanceof z.ZodObject)) continue;
          seen.add(value);
          registry.add(value, { id: `${prefix}.${name.slice(0, -'Schema'.length)}` });
        }
      }
    }
    const out = z.toJSONSchema(registry, { target: 'openapi-3.0', uri: (id) => `${refPrefix}${id}`, unrepresentable: 'any' }) as { schemas: Record<string, Json> };
    for (const [id, schema] of Object.entries(out.schemas)) this.schemas[id] = decorate(id, schema);
    for (const [, id, shape] of scalars) this.schemas[id] = shape;
    for (const rt of resources) {
      const id = registry.get(rt.schema)?.id;
      if (!id) continue;
      this.kindIds.set(`${rt.group}/${rt.version}/${rt.kind}`, id);
      this.schemas[id]!['x-kubernetes-group-version-kind'] = [{ group: rt.group, kind: rt.kind, version: rt.version }];
    }
  }

  /** The definition name of a served kind, e.g. `io.k8s.api.apps.v1.Deployment`. */
  idOf(rt: Pick<ResourceType, 'group' | 'version' | 'kind'>): string | undefined {
    return this.kindIds.get(`${rt.group}/${rt.version}/${rt.kind}`);
  }

  /** The definitions reachable from `roots` through `$ref`s (what one group-version document needs). */
  closure(roots: string[]): Record<string, Json> {
    const out: Record<string, Json> = {};
    const visit = (id: string): void => {
      if (out[id] || !this.schemas[id]) return;
      out[id] = this.schemas[id]!;
      for (const ref of refsIn(this.schemas[id])) visit(ref);
    };
    for (const r of roots) visit(r);
    return out;
  }
}

function refsIn(v: unknown, acc: string[] = []): string[] {
  if (Array.isArray(v)) for (const x of v) refsIn(x, acc);
  else if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === '$ref' && typeof x === 'string' && x.startsWith(refPrefix)) acc.push(x.slice(refPrefix.length));
      else refsIn(x, acc);
    }
  }
  return acc;
}

/**
 * Shapes zod's output as Kubernetes' documents: no `$id`, no closed objects, inline
 * int-or-string unions as IntOrString, descriptions, and merge keys/strategies on list fields.
 */
function decorate(id: string, schema: Json): Json {
  const clean = tidy(schema) as Json;
  delete clean.$id;
  const type = shortName(id);
  const description = descriptionOf(type);
  if (description) clean.description = description;
  const props = isObject(clean.properties) ? clean.properties : {};
  const meta = typeMeta(type);
  const conditionsMeta = typeMeta('ConditionsStatus');
  for (const [name, prop] of Object.entries(props)) {
    if (!isObject(prop)) continue;
    let p = prop;
    // A `$ref` cannot carry siblings in OpenAPI 3.0: wrap it as Kubernetes does.
    const desc = descriptionOf(`${type}.${name}`);
    const fm = meta[name] ?? (type.endsWith('Status') && name === 'conditions' ? conditionsMeta.conditions : undefined);
    if (typeof p.$ref === 'string' && (desc || fm?.strategy)) p = { allOf: [{ $ref: p.$ref }] };
    if (desc) p.description = desc;
    if (fm?.key) p['x-kubernetes-patch-merge-key'] = fm.key;
    if (fm?.strategy) p['x-kubernetes-patch-strategy'] = fm.strategy;
    props[name] = p;
  }
  return clean;
}

function tidy(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(tidy);
  if (!isObject(v)) return v;
  const anyOf = v.anyOf;
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.some((s) => isObject(s) && s.type === 'string') && anyOf.some((s) => isObject(s) && (s.type === 'integer' || s.type === 'number'))) {
    return { ...intOrStringRef };
  }
  const out: Json = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'additionalProperties' && x === false) continue;
    // zod bounds every integer to the safe range; Kubernetes' documents say int32/int64 instead.
    if ((k === 'minimum' && x === Number.MIN_SAFE_INTEGER) || (k === 'maximum' && x === Number.MAX_SAFE_INTEGER)) continue;
    out[k] = tidy(x);
  }
  return out;
}
