// The endpoints controller: for every Service with a selector, an Endpoints object of the same
// name listing its pods (ready ones in addresses, the rest in notReadyAddresses). Endpoints of
// Services without a selector belong to the user and are never touched.
import type { Endpoints, Pod, Service } from '../../api/index.js';
import {
  Controller, done, isNotFound, retry, splitKey,
  indexers, type Informer, type Outcome,
} from '../../client/index.js';
import type { ControllerContext, ControllerDef } from '../context.js';
import { isApiserverService, sameJson, selectedPods, servicesForPod } from './pods.js';
import { desiredSubsets } from './subsets.js';

export * from './pods.js';
export { desiredSubsets } from './subsets.js';

export const endpointsController: ControllerDef = {
  name: 'endpoints',
  setup(ctx) {
    const services = ctx.factory.informer<Service>('services');
    const pods = ctx.factory.informer<Pod>('pods');
    const endpoints = ctx.factory.informer<Endpoints>('endpoints');
    services.addIndexer('namespace', indexers.namespace);
    pods.addIndexer('namespace', indexers.namespace);
    const controller = new Controller({
      name: 'endpoints',
      workers: 4,
      log: ctx.log,
      reconcile: (key) => reconcile(ctx, key, services, pods, endpoints),
    });
    controller.watch(services).watch(pods, (p) => servicesForPod(p, services)).watch(endpoints);
    return controller;
  },
};

async function reconcile(ctx: ControllerContext, key: string, services: Informer<Service>, pods: Informer<Pod>, endpoints: Informer<Endpoints>): Promise<Outcome> {
  const { namespace, name } = splitKey(key);
  if (namespace === 'default' && name === 'kubernetes') return done;
  const svc = services.store.get(key);
  const current = endpoints.store.get(key);
  try {
    if (!svc) {
      // The Service is gone: so are the endpoints we kept for it.
      if (current) await ctx.clientset.endpoints.delete(namespace, name).catch(ignoreNotFound);
      return done;
    }
    if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0 || isApiserverService(svc)) return done;
    const subsets = desiredSubsets(svc, selectedPods(svc, pods));
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
    if (svc.spec.clusterIP === 'None') labels['service.kubernetes.io/headless'] = '';
    if (current && sameJson(current.subsets ?? [], subsets) && sameJson(current.metadata?.labels ?? {}, labels)) return done;
    const body: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? {}), name, namespace, labels },
      subsets,
    };
    if (current) await ctx.clientset.endpoints.update(body);
    else await ctx.clientset.endpoints.create(namespace, body);
    return done;
  } catch (err) {
    // A stale cache (conflict, already exists) heals once the informer catches up: back off.
    return retry(err instanceof Error ? err : new Error(String(err)));
  }
}

function ignoreNotFound(err: unknown): void {
  if (!isNotFound(err)) throw err;
}
