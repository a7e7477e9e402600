// Taints: NoSchedule and NoExecute taints the pod does not tolerate reject the node;
// PreferNoSchedule taints only lower its score (fewer untolerated ones score higher).
import { defaultNormalize, SUCCESS, unresolvable, type FilterPlugin, type ScorePlugin } from '../framework.js';
import { anyTolerates } from './tolerations.js';

export const taintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter: (_state, pod, node) => {
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!anyTolerates(pod.tolerations, taint)) return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    }
    return SUCCESS;
  },
  score: (_state, pod, node) => {
    let n = 0;
    const prefer = pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !anyTolerates(prefer, taint)) n++;
    return n;
  },
  normalize: (_state, _pod, _nodes, scores) => defaultNormalize(scores, true),
};
