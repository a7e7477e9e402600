// Label and field selectors compiled once per request into one predicate over objects.
import { parseFieldSelector } from '../../api/fields.js';
import { parseLabelSelector } from '../../api/labels.js';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { ApiError, badRequest } from '../errors.js';

export interface Predicate {
  matches(obj: KubeObject): boolean;
  /** True when nothing is filtered out. */
  everything: boolean;
  /** Set when the field selector pins metadata.name, so callers can read one key. */
  name?: string;
  /**
   * A field the selector pins to one value (`spec.nodeName=node-1`), and how to read it from an
   * object: nothing without that value can match, so a watch need only be offered those.
   */
  pinned?: { field: string; value: string; get(obj: KubeObject): string };
}

/** A selectable field's value; '' when absent, as Kubernetes' fields.Set reads it. */
function fieldOf(rt: ResourceType, obj: KubeObject, field: string): string {
  if (field === 'metadata.name') return obj.metadata.name ?? '';
  if (field === 'metadata.namespace') return obj.metadata.namespace ?? '';
  return rt.selectableFields?.[field]?.(obj) ?? '';
}

function fieldGetter(rt: ResourceType, obj: KubeObject): (field: string) => string | undefined {
  return (field) => fieldOf(rt, obj, field);
}

export function buildPredicate(rt: ResourceType, labelSelector?: string, fieldSelector?: string): Predicate {
  let labels;
  let fields;
  try {
    labels = parseLabelSelector(labelSelector ?? '');
    fields = parseFieldSelector(fieldSelector ?? '');
  } catch (err) {
    throw badRequest(`unable to parse selector: ${(err as Error).message}`);
  }
  for (const r of fields.requirements) {
    if (r.field !== 'metadata.name' && r.field !== 'metadata.namespace' && !rt.selectableFields?.[r.field]) {
      const known = ['metadata.name', 'metadata.namespace', ...Object.keys(rt.selectableFields ?? {})];
      throw new ApiError(400, 'BadRequest', `field label not supported: ${r.field} (supported: ${known.join(', ')})`);
    }
  }
  const everything = labels.empty && fields.empty;
  const name = fields.fieldValue('metadata.name');
  // Namespaces already narrow a watch by key prefix; any other `field=value` term can pin.
  const pin = fields.requirements.find((r) => r.op === '=' && r.field !== 'metadata.namespace');
  const l = labels;
  const f = fields;
  return {
    everything,
    ...(name !== undefined ? { name } : {}),
    ...(pin ? { pinned: { field: pin.field, value: pin.value, get: (obj: KubeObject) => fieldOf(rt, obj, pin.field) } } : {}),
    matches: everything ? () => true : (obj) => l.matches(obj.metadata.labels ?? {}) && f.matches(fieldGetter(rt, obj)),
  };
}

export const everything: Predicate = { everything: true, matches: () => true };
