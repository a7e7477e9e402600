// Defaulting and validation for the cluster-scoped core kinds Namespace and Node, and for Event.
import type { FieldError } from '../../resource.js';
import { validateObjectMeta, validateObjectMetaUpdate } from '../../meta/v1/validation.js';
import {
  forbiddenError, invalidError, isDns1123Label, isQualifiedName, isValidCIDR, notSupportedError, requiredError, validateEnum,
} from '../../validation.js';
import { validateTaints } from './scheduling-validation.js';
import type { Binding } from './binding.js';
import type { Event } from './event.js';
import type { Namespace } from './namespace.js';
import type { Node } from './node.js';

/** Label every namespace carries with its own name (SetDefaults_Namespace). */
export const namespaceNameLabel = 'kubernetes.io/metadata.name';

export function setNamespaceDefaults(ns: Namespace): void {
  const spec = (ns.spec ??= {});
  spec.finalizers ??= ['kubernetes'];
  const status = (ns.status ??= {});
  status.phase ??= 'Active';
  const name = ns.metadata?.name;
  if (name) {
    const meta = (ns.metadata ??= {});
    (meta.labels ??= {})[namespaceNameLabel] = name;
  }
}

export function validateNamespace(ns: Namespace, old?: Namespace): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, { namespaced: false, nameCheck: isDns1123Label });
  for (const [i, f] of (ns.spec?.finalizers ?? []).entries()) {
    for (const e of isQualifiedName(f)) errs.push(invalidError(`spec.finalizers[${i}]`, f, e));
  }
  errs.push(...validateEnum(ns.status?.phase, 'status.phase', ['Active', 'Terminating']));
  if (old) errs.push(...validateObjectMetaUpdate(ns.metadata, old.metadata));
  return errs;
}

/** SetDefaults_NodeStatus: allocatable defaults to capacity. */
export function setNodeDefaults(node: Node): void {
  const status = node.status;
  if (status?.capacity && !status.allocatable) status.allocatable = { ...status.capacity };
}

export function validateNode(node: Node, old?: Node): FieldError[] {
  const errs = validateObjectMeta(node.metadata, { namespaced: false });
  const spec = node.spec ?? {};
  errs.push(...validateTaints(spec.taints, 'spec.taints'));
  if (spec.podCIDR && !isValidCIDR(spec.podCIDR)) errs.push(invalidError('spec.podCIDR', spec.podCIDR, 'must be a valid CIDR'));
  for (const [i, c] of (spec.podCIDRs ?? []).entries()) {
    if (!isValidCIDR(c)) errs.push(invalidError(`spec.podCIDRs[${i}]`, c, 'must be a valid CIDR'));
  }
  if (spec.podCIDR && spec.podCIDRs?.length && spec.podCIDRs[0] !== spec.podCIDR) {
    errs.push(invalidError('spec.podCIDRs', spec.podCIDRs, 'first value must match `podCIDR`'));
  }
  for (const [i, a] of (node.status?.addresses ?? []).entries()) {
    errs.push(...validateEnum(a.type, `status.addresses[${i}].type`, ['ExternalDNS', 'ExternalIP', 'Hostname', 'InternalDNS', 'InternalIP'], true));
  }
  if (old) {
    errs.push(...validateObjectMetaUpdate(node.metadata, old.metadata));
    // podCIDR may be set once, then never changed.
    const o = old.spec ?? {};
    if (o.podCIDR && spec.podCIDR !== o.podCIDR) errs.push(forbiddenError('spec.podCIDR', 'node updates may not change podCIDR except from "" to valid'));
    if (o.providerID && spec.providerID !== o.providerID) errs.push(forbiddenError('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

export function validateEvent(ev: Event, old?: Event): FieldError[] {
  const errs = validateObjectMeta(ev.metadata, { namespaced: true });
  const ns = ev.metadata?.namespace;
  const inv = ev.involvedObject;
  // Events about cluster-scoped objects live in "default" (or no namespace); others in their object's namespace.
  const mismatch = inv.namespace ? ns !== inv.namespace : ns !== undefined && ns !== '' && ns !== 'default';
  if (mismatch) errs.push(invalidError('involvedObject.namespace', inv.namespace ?? '', 'does not match event.namespace'));
  if (old) errs.push(...validateObjectMetaUpdate(ev.metadata, old.metadata));
  return errs;
}

/** Body of POST pods/{name}/binding. */
export function validateBinding(binding: Binding): FieldError[] {
  const errs: FieldError[] = [];
  if (!binding.target.name) errs.push(requiredError('target.name'));
  if (binding.target.kind && binding.target.kind !== 'Node') {
    errs.push(notSupportedError('target.kind', binding.target.kind, ['Node']));
  }
  return errs;
}
