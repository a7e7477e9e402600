// The scale subresource of deployments and replicasets (autoscaling/v1 Scale), as
// kube-apiserver's ScaleREST: GET reads the parent as a Scale; PUT and PATCH change only the
// parent's spec.replicas (compare-and-swap on the Scale's resourceVersion when it names one).
import { ScaleSchema, type Scale } from '../../api/autoscaling/v1/scale.js';
import { validateScale } from '../../api/autoscaling/v1/rules.js';
import { selectorFromLabelSelector, type LabelSelectorSpec } from '../../api/labels.js';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { badRequest, conflict, invalid } from '../errors.js';
import type { Registry } from './rest.js';

const scaleType = { group: 'autoscaling', kind: 'Scale' };

interface Scalable {
  spec?: { replicas?: number; selector?: LabelSelectorSpec };
  status?: { replicas?: number };
}

/** The Scale view of a deployment or replicaset. */
export function scaleOf(obj: KubeObject): Scale {
  const o = obj as KubeObject & Scalable;
  const m = obj.metadata;
  let selector = '';
  try {
    // A ReplicationController's selector is a plain label map.
    const sel = o.spec?.selector as Record<string, unknown> | undefined;
    const plain = sel && !('matchLabels' in sel) && !('matchExpressions' in sel);
    selector = selectorFromLabelSelector(plain ? { matchLabels: sel as Record<string, string> } : o.spec?.selector).toString();
  } catch {
    // an unparsable selector (cannot pass validation) shows as empty
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    } as Scale['metadata'],
    spec: { replicas: o.spec?.replicas ?? 0 },
    status: { replicas: o.status?.replicas ?? 0, selector },
  };
}

function rvOf(s: unknown): number | undefined {
  if (s === undefined || s === '' || s === null) return undefined;
  const n = Number(s);
  if (typeof s !== 'string' || !Number.isInteger(n) || n <= 0) throw badRequest(`invalid resourceVersion "${String(s)}": must be a positive integer`);
  return n;
}

/** Checks a Scale body and returns its replicas (422 naming spec.replicas when wrong). */
function replicasOf(name: string, body: unknown): number {
  const parsed = ScaleSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') ?? '';
    throw invalid(scaleType, name, [{ field, reason: 'FieldValueInvalid', message: `Invalid value: ${issue?.message ?? 'malformed Scale'}` }]);
  }
  const scale = parsed.data;
  const errors = validateScale(scale);
  if (errors.length > 0) throw invalid(scaleType, name, errors);
  if (scale.metadata?.name !== undefined && scale.metadata.name !== name) {
    throw badRequest(`the name of the object (${scale.metadata.name}) does not match the name on the URL (${name})`);
  }
  // A plain omitempty int32 in Kubernetes: absent is 0 (how Go clients send a scale to zero).
  return scale.spec?.replicas ?? 0;
}

export async function getScale(registry: Registry, rt: ResourceType, ns: string | undefined, name: string): Promise<Scale> {
  return scaleOf(await registry.get(rt, ns, name));
}

/**
 * Writes a new Scale: `next` maps the current Scale to the desired one (a PUT body, or the
 * current Scale with a patch applied). It runs inside the read-modify-write loop, so a patch
 * without a resourceVersion is re-applied on a concurrent change instead of failing.
 */
export async function updateScale(
  registry: Registry,
  rt: ResourceType,
  ns: string | undefined,
  name: string,
  next: (current: Scale) => unknown,
  opts: { dryRun?: boolean } = {},
): Promise<Scale> {
  const fn = (old: KubeObject): KubeObject => {
    const desired = next(scaleOf(old));
    const replicas = replicasOf(name, desired);
    const expectRv = rvOf((desired as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion);
    // A Scale naming another resourceVersion than the parent's current one: the usual 409.
    if (expectRv !== undefined && String(expectRv) !== old.metadata.resourceVersion) throw conflict(rt, name);
    const o = old as KubeObject & Scalable;
    if (o.spec?.replicas === replicas) return old;
    o.spec = { ...o.spec, replicas };
    if (old.metadata.generation !== undefined) old.metadata.generation += 1;
    return old;
  };
  return scaleOf(await registry.guaranteedUpdate(rt, ns, name, fn, opts.dryRun ? { dryRun: true } : {}));
}
