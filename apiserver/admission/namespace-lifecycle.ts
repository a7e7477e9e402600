// NamespaceLifecycle: nothing is created in a namespace that does not exist or is being
// deleted, and the system namespaces cannot be deleted (as kube-apiserver's plugin).
import { forbidden } from '../errors.js';
import type { NamespaceTracker } from '../registry/namespaces.js';
import type { AdmissionPlugin } from './chain.js';

export const immortalNamespaces = new Set(['default', 'kube-system', 'kube-public']);

export function namespaceLifecyclePlugin(namespaces: NamespaceTracker): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    // A mutating step, first in the chain (as upstream): a missing namespace is a 404 before any other plugin looks.
    async mutate(a) {
      if (a.operation === 'CREATE' && a.rt.namespaced && a.namespace && !a.subresource) {
        await namespaces.admitCreate(a.namespace, a.rt, a.name);
      }
      if (a.operation === 'DELETE' && a.rt.group === '' && a.rt.plural === 'namespaces' && immortalNamespaces.has(a.name)) {
        throw forbidden(a.rt, a.name, 'this namespace may not be deleted');
      }
    },
  };
}
