// NodeRestriction: a kubelet may change only its own Node (not the labels under
// node-restriction.kubernetes.io/) and only the pods bound to it, as kube-apiserver's plugin.
import { nodeNameOf } from '../auth/node-authorizer.js';
import { forbidden } from '../errors.js';
import type { AdmissionPlugin, AdmissionRequest } from './chain.js';

const restrictedPrefix = 'node-restriction.kubernetes.io/';
const mirrorAnnotation = 'kubernetes.io/config.mirror';

function restrictedLabelChanges(a: AdmissionRequest): string[] {
  const now = a.object?.metadata.labels ?? {};
  const before = a.oldObject?.metadata.labels ?? {};
  const keys = new Set([...Object.keys(now), ...Object.keys(before)]);
  return [...keys].filter((k) => k.startsWith(restrictedPrefix) && now[k] !== before[k]).sort();
}

export const nodeRestrictionPlugin: AdmissionPlugin = {
  name: 'NodeRestriction',
  validate(a) {
    const node = nodeNameOf(a.user);
    if (!node || a.rt.group !== '') return;
    if (a.rt.plural === 'nodes') {
      if (a.name !== node) throw forbidden(a.rt, a.name, `node "${node}" is not allowed to modify node "${a.name}"`);
      const changed = restrictedLabelChanges(a);
      if (changed.length > 0) throw forbidden(a.rt, a.name, `node "${node}" is not allowed to modify labels: ${changed.join(', ')}`);
      return;
    }
    if (a.rt.plural !== 'pods') return;
    const pod = a.oldObject ?? a.object;
    const boundTo = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
    if (a.operation === 'CREATE') {
      if (!pod?.metadata.annotations?.[mirrorAnnotation]) throw forbidden(a.rt, a.name, `pod does not have "${mirrorAnnotation}" annotation, node "${node}" can only create mirror pods`);
      if (boundTo !== node) throw forbidden(a.rt, a.name, `node "${node}" can only create pods with spec.nodeName set to itself`);
      return;
    }
    if (boundTo !== node) {
      const what = a.operation === 'DELETE' ? 'delete pods' : 'update pod status for pods';
      throw forbidden(a.rt, a.name, `node "${node}" can only ${what} with spec.nodeName set to itself`);
    }
  },
};
