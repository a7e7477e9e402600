// Cordoned nodes (spec.unschedulable) take only pods that tolerate the unschedulable taint.
import { SUCCESS, unresolvable, type FilterPlugin } from '../framework.js';
import { anyTolerates } from './tolerations.js';

export const ERR_UNSCHEDULABLE = 'node(s) were unschedulable';
const rejected = unresolvable(ERR_UNSCHEDULABLE);
const unschedulableTaint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

export const nodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter: (_state, pod, node) => (!node.unschedulable || anyTolerates(pod.tolerations, unschedulableTaint) ? SUCCESS : rejected),
};
