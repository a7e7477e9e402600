// A pod that names its node (spec.nodeName) fits only there.
import { SUCCESS, unresolvable, type FilterPlugin } from '../framework.js';

export const ERR_NODE_NAME = "node(s) didn't match the requested node name";
const rejected = unresolvable(ERR_NODE_NAME);

export const nodeName: FilterPlugin = {
  name: 'NodeName',
  filter: (_state, pod, node) => {
    const want = pod.pod.spec?.nodeName;
    return !want || want === node.name ? SUCCESS : rejected;
  },
};
