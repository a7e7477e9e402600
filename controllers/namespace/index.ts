// The namespace controller. Emptying a terminating namespace has one owner: the apiserver
// (apiserver/registry/namespace-finalizer.ts), which deletes its content and then removes the
// `kubernetes` finalizer. This controller only reports progress in the namespace's status
// conditions, as Kubernetes' controller does (what `kubectl describe ns` shows).
import { resources, serves, type Namespace, type NamespaceCondition } from '../../api/index.js';
import { Controller, clone, done, isConflict, isNotFound, requeueAfter, retry, type Clientset, type KubeObject, type Outcome } from '../../client/index.js';
import type { ControllerContext, ControllerDef } from '../context.js';

export interface NamespaceOptions {
  /** How often a terminating namespace is looked at again. */
  recheckMs: number;
}

interface Remaining {
  /** `pods. has 2 resource instances`, as upstream words it. */
  content: string[];
  finalizers: Map<string, number>;
}

export function namespaceController(opts: NamespaceOptions = { recheckMs: 5_000 }): ControllerDef {
  return {
    name: 'namespace',
    setup(ctx) {
      const namespaces = ctx.factory.informer<Namespace>('namespaces');
      const controller = new Controller({
        name: 'namespace',
        workers: 2,
        log: ctx.log,
        reconcile: (key) => reconcile(ctx, namespaces.store.get(key), opts),
      });
      controller.watch(namespaces);
      return controller;
    },
  };
}

async function reconcile(ctx: ControllerContext, ns: Namespace | undefined, opts: NamespaceOptions): Promise<Outcome> {
  const deleted = ns?.metadata?.deletionTimestamp;
  if (!ns || !deleted) return done;
  const name = ns.metadata?.name ?? '';
  try {
    await writeConditions(ctx, ns, await remainingIn(ctx.clientset, name));
    return requeueAfter(opts.recheckMs);
  } catch (err) {
    if (isNotFound(err)) return done;
    return retry(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Counts what is left in the namespace and the finalizers holding it. */
async function remainingIn(clientset: Clientset, namespace: string): Promise<Remaining> {
  const out: Remaining = { content: [], finalizers: new Map() };
  for (const rt of resources) {
    if (!rt.namespaced || !serves(rt, 'list')) continue;
    const client = clientset.resource<KubeObject>(rt.plural);
    const { items } = await client.listAll(namespace);
    if (items.length === 0) continue;
    out.content.push(`${rt.plural}.${rt.group} has ${items.length} resource instances`);
    for (const obj of items) {
      for (const f of obj.metadata?.finalizers ?? []) out.finalizers.set(f, (out.finalizers.get(f) ?? 0) + 1);
    }
  }
  return out;
}

/** The deletion conditions Kubernetes' namespace controller keeps, with its reasons and texts. */
export function deletionConditions(r: Remaining, now: string): NamespaceCondition[] {
  const cond = (type: string, status: boolean, reason: string, message: string): NamespaceCondition => ({
    type, status: status ? 'True' : 'False', lastTransitionTime: now, reason, message,
  });
  const finalizers = [...r.finalizers].map(([f, n]) => `${f} in ${n} resource instances`);
  return [
    cond('NamespaceDeletionDiscoveryFailure', false, 'ResourcesDiscovered', 'All resources successfully discovered'),
    cond('NamespaceDeletionGroupVersionParsingFailure', false, 'ParsedGroupVersions', 'All legacy kube types successfully parsed'),
    // The apiserver deletes the content; failures there are retried and logged by it.
    cond('NamespaceDeletionContentFailure', false, 'ContentDeleted', 'All content successfully deleted, may be waiting on finalization'),
    r.content.length
      ? cond('NamespaceContentRemaining', true, 'SomeResourcesRemain', `Some resources are remaining: ${r.content.join(', ')}`)
      : cond('NamespaceContentRemaining', false, 'ContentRemoved', 'All content successfully removed'),
    finalizers.length
      ? cond('NamespaceFinalizersRemaining', true, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`)
      : cond('NamespaceFinalizersRemaining', false, 'ContentHasNoFinalizers', 'All content-preserving finalizers finished'),
  ];
}

async function writeConditions(ctx: ControllerContext, ns: Namespace, r: Remaining): Promise<void> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const old = ns.status?.conditions ?? [];
  const wanted = deletionConditions(r, now).map((c) => {
    const prev = old.find((o) => o.type === c.type);
    // Keep the transition time unless the status really changed.
    return prev && prev.status === c.status ? { ...c, lastTransitionTime: prev.lastTransitionTime ?? now } : c;
  });
  const strip = (cs: NamespaceCondition[]): string => JSON.stringify(cs.map(({ lastTransitionTime: _t, ...c }) => c));
  if (strip(old) === strip(wanted)) return;
  const next = clone(ns);
  next.status = { ...next.status, conditions: wanted };
  try {
    await ctx.clientset.namespaces.updateStatus(next);
  } catch (err) {
    // The apiserver may have removed the namespace meanwhile, or changed it: next pass.
    if (!isNotFound(err) && !isConflict(err)) throw err;
  }
}
