// Taints: NoSchedule and NoExecute taints the pod does not tolerate reject the node;
// PreferNoSchedule taints only lower its score (fewer untolerated ones score higher).
import type { Toleration } from '../../api/index.js';
import { defaultNormalize, SUCCESS, unresolvable, type FilterPlugin, type PreScorePlugin, type ScorePlugin } from '../framework.js';
import { anyTolerates } from './tolerations.js';

const PREFER_KEY = 'TaintToleration/prefer';

export const taintToleration: FilterPlugin & PreScorePlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  preScore: (state, pod) => {
    state.write(PREFER_KEY, pod.tolerations.filter((t) => !t.effect || t.effect === 'PreferNoSchedule'));
    return SUCCESS;
  },
  filter: (_state, pod, node) => {
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!anyTolerates(pod.tolerations, taint)) return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
    }
    return SUCCESS;
  },
  score: (state, pod, node) => {
    let n = 0;
    if (node.taints.length === 0) return 0;
    const prefer = state.read<Toleration[]>(PREFER_KEY) ?? pod.tolerations;
    for (const taint of node.taints) if (taint.effect === 'PreferNoSchedule' && !anyTolerates(prefer, taint)) n++;
    return n;
  },
  normalize: (_state, _pod, _nodes, scores) => defaultNormalize(scores, true),
};
