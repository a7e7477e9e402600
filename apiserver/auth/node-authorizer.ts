// The Node authorizer: a kubelet (user system:node:<name> in group system:nodes) may do what
// the system:node role lists, but read only the Secrets, ConfigMaps, PVCs and ServiceAccounts
// of pods bound to its node, and touch only its own Lease. Writes to Nodes and pods are further
// limited by the NodeRestriction admission plugin.
import type { PolicyRule } from '../../api/rbac/v1/rbac.js';
import { allow, noOpinion, type Attributes, type Authorizer, type Verdict } from './authorizer.js';
import type { NodeGraph } from './node-graph.js';
import { ruleAllows } from './rbac-rules.js';
import { nodesGroup, nodeUserPrefix, type UserInfo } from './user.js';

/** The node a user is, or undefined for anyone else. */
export function nodeNameOf(user: UserInfo): string | undefined {
  if (!user.name.startsWith(nodeUserPrefix) || !user.groups.includes(nodesGroup)) return undefined;
  return user.name.slice(nodeUserPrefix.length) || undefined;
}

const graphResources = new Set(['secrets', 'configmaps', 'persistentvolumeclaims', 'serviceaccounts']);

export class NodeAuthorizer implements Authorizer {
  constructor(
    private readonly graph: NodeGraph,
    /** The system:node role's rules (bootstrap policy). */
    private readonly nodeRules: PolicyRule[],
  ) {}

  authorize(a: Attributes): Verdict {
    const node = nodeNameOf(a.user);
    if (!node) return noOpinion();
    if (!a.resourceRequest) return noOpinion();
    if (a.apiGroup === '' && graphResources.has(a.resource) && !a.subresource) {
      if (a.verb !== 'get') return noOpinion(`can only get individual resources of this type`);
      if (!a.name) return noOpinion('can only get individual resources of this type');
      return this.graph.related(node, a.resource, a.namespace, a.name)
        ? allow()
        : noOpinion(`no relationship found between node '${node}' and this object`);
    }
    if (a.apiGroup === 'coordination.k8s.io' && a.resource === 'leases') {
      if (a.namespace !== 'kube-node-lease') return noOpinion(`can only access node lease in the kube-node-lease namespace`);
      if (a.name !== node && !(a.verb === 'create' && !a.name)) return noOpinion(`can only access node lease with the same name as the requesting node`);
    }
    return this.nodeRules.some((r) => ruleAllows(r, a)) ? allow() : noOpinion();
  }
}
