// Only nodes whose Ready condition is True take new pods.
import { SUCCESS, unresolvable, type FilterPlugin } from '../framework.js';

export const ERR_NOT_READY = 'node(s) were not ready';
const notReady = unresolvable(ERR_NOT_READY);

export const nodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter: (_state, _pod, node) => (node.ready ? SUCCESS : notReady),
};
