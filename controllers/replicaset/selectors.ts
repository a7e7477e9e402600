// Selector plumbing both workload controllers share.
import type { LabelSelector as LabelSelectorSpec } from '../../api/index.js';
import { labels } from '../../api/index.js';
import { keyOf, terminal, type KubeObject, type Outcome } from '../../client/index.js';

/** The parsed selector, or a terminal outcome naming what is wrong with it. */
export function parseSelector(spec: LabelSelectorSpec | undefined): labels.LabelSelector | Outcome {
  try {
    return labels.selectorFromLabelSelector(spec);
  } catch (err) {
    return terminal(new Error(`invalid selector: ${(err as Error).message}`));
  }
}

export const isOutcome = (v: labels.LabelSelector | Outcome): v is Outcome => 'kind' in v;

/** Keys of the owners among `owners` whose (non-empty, valid) selector matches `obj`: who may adopt an orphan. */
export function selectingOwners<T extends KubeObject & { spec?: { selector?: LabelSelectorSpec } }>(owners: T[], obj: KubeObject): string[] {
  const out: string[] = [];
  for (const owner of owners) {
    const sel = parseSelector(owner.spec?.selector);
    if (!isOutcome(sel) && !sel.empty && sel.matches(obj.metadata?.labels)) out.push(keyOf(owner));
  }
  return out;
}
