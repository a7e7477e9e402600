// A pod that names its node (spec.nodeName) fits only there.
import { SKIP, SUCCESS, unresolvable, type FilterPlugin, type PreFilterPlugin } from '../framework.js';

export const ERR_NODE_NAME = "node(s) didn't match the requested node name";
const rejected = unresolvable(ERR_NODE_NAME);

export const nodeName: PreFilterPlugin & FilterPlugin = {
  name: 'NodeName',
  preFilter: (_state, pod) => (pod.pod.spec?.nodeName ? SUCCESS : SKIP),
  filter: (_state, pod, node) => {
    const want = pod.pod.spec?.nodeName;
    return !want || want === node.name ? SUCCESS : rejected;
  },
};
