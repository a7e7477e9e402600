// The endpointslice controller: for every Service with a selector, discovery.k8s.io/v1
// EndpointSlices of its pods (conditions ready/serving/terminating), owned by the Service and
// labelled as kube-proxy and CoreDNS look for them. Slices managed by anyone else are left alone.
import type { EndpointSlice, Pod, Service } from '../../api/index.js';
import { Controller, done, indexers, isNotFound, requeueAfter, retry, splitKey, type Informer, type Outcome } from '../../client/index.js';
import type { ControllerContext, ControllerDef } from '../context.js';
import { isApiserverService, sameJson, selectedPods, servicesForPod } from '../endpoints/index.js';
import { desiredSlices, managedBy, managedByLabel, planSlices, serviceNameLabel, type DesiredSlice } from './slices.js';

export * from './slices.js';

const byService = 'service';

export const endpointSliceController: ControllerDef = {
  name: 'endpointslice',
  setup(ctx) {
    const services = ctx.factory.informer<Service>('services');
    const pods = ctx.factory.informer<Pod>('pods');
    const slices = ctx.factory.informer<EndpointSlice>('endpointslices');
    services.addIndexer('namespace', indexers.namespace);
    pods.addIndexer('namespace', indexers.namespace);
    slices.addIndexer(byService, (s) => {
      const key = sliceOwnerKey(s);
      return key ? [key] : [];
    });
    const created = new Expectations();
    const controller = new Controller({
      name: 'endpointslice',
      workers: 4,
      log: ctx.log,
      reconcile: (key) => reconcile(ctx, key, services, pods, slices, created),
    });
    controller.watch(services).watch(pods, (p) => servicesForPod(p, services)).watch(slices, sliceOwnerKey);
    return controller;
  },
};

function sliceOwnerKey(s: EndpointSlice): string | undefined {
  const svc = s.metadata?.labels?.[serviceNameLabel];
  return svc && s.metadata?.labels?.[managedByLabel] === managedBy ? `${s.metadata?.namespace ?? ''}/${svc}` : undefined;
}

/**
 * Slices we created that the cache has not shown yet: until it does, a reconcile would not see
 * them and create them again. Forgotten after 30 s in case a create event never comes.
 */
class Expectations {
  private readonly pending = new Map<string, Map<string, number>>();

  expect(service: string, slice: string): void {
    const m = this.pending.get(service) ?? new Map<string, number>();
    m.set(slice, Date.now());
    this.pending.set(service, m);
  }

  /** True when every slice we created for `service` is in `seen`. */
  satisfied(service: string, seen: EndpointSlice[]): boolean {
    const m = this.pending.get(service);
    if (!m) return true;
    const names = new Set(seen.map((s) => s.metadata?.name));
    for (const [slice, at] of m) if (names.has(slice) || Date.now() - at > 30_000) m.delete(slice);
    if (m.size === 0) this.pending.delete(service);
    return m.size === 0;
  }
}

async function reconcile(
  ctx: ControllerContext, key: string, services: Informer<Service>, pods: Informer<Pod>, slices: Informer<EndpointSlice>, created: Expectations,
): Promise<Outcome> {
  const { namespace, name } = splitKey(key);
  const svc = services.store.get(key);
  const existing = slices.store.byIndex(byService, key);
  if (!created.satisfied(key, existing)) return requeueAfter(100);
  const api = ctx.clientset.endpointSlices;
  try {
    const selector = svc?.spec?.selector;
    if (!svc || !selector || Object.keys(selector).length === 0 || isApiserverService(svc)) {
      // No Service (or no selector any more): the slices we made for it go.
      for (const s of existing) await api.delete(namespace, s.metadata?.name ?? '').catch(ignoreNotFound);
      return done;
    }
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}), [serviceNameLabel]: name, [managedByLabel]: managedBy };
    if (svc.spec?.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    const ownerReferences = [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }];
    const build = (want: DesiredSlice, base?: EndpointSlice): EndpointSlice => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: base ? { ...base.metadata, labels, ownerReferences } : { generateName: `${name}-`, namespace, labels, ownerReferences },
      addressType: 'IPv4',
      endpoints: want.endpoints,
      ports: want.ports,
    });
    const plan = planSlices(desiredSlices(svc, selectedPods(svc, pods)), existing);
    for (const { slice, want } of plan.update) {
      const next = build(want, slice);
      const same = sameJson(slice.endpoints ?? [], next.endpoints) && sameJson(slice.metadata?.labels ?? {}, labels)
        && sameJson(slice.metadata?.ownerReferences ?? [], ownerReferences) && slice.addressType === 'IPv4';
      if (!same) await api.update(next);
    }
    for (const want of plan.create) {
      const made = await api.create(namespace, build(want));
      created.expect(key, made.metadata?.name ?? '');
    }
    for (const s of plan.remove) await api.delete(namespace, s.metadata?.name ?? '').catch(ignoreNotFound);
    return done;
  } catch (err) {
    return retry(err instanceof Error ? err : new Error(String(err)));
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
