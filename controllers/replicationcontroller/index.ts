// The ReplicationController controller: the legacy ReplicaSet, run by the ReplicaSet reconcile
// with the RC's plain-map selector read as matchLabels.
import type { ReplicaSet } from '../../api/index.js';
import type { ResourceClient } from '../../client/index.js';
import type { ControllerDef } from '../context.js';
import { replicaController, type ReplicaKind } from '../replicaset/index.js';

export const replicationControllerKind: ReplicaKind = {
  apiVersion: 'v1',
  kind: 'ReplicationController',
  plural: 'replicationcontrollers',
  // Same spec/status shape as a ReplicaSet but for the selector, which `selector` adapts.
  client: (cs) => cs.replicationControllers as unknown as ResourceClient<ReplicaSet>,
  selector: (rc) => ({ matchLabels: (rc.spec?.selector ?? {}) as unknown as Record<string, string> }),
};

export const replicationControllerController: ControllerDef = replicaController('replicationcontroller', replicationControllerKind);
