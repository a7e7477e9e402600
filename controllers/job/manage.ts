// Which pods a running Job should create and delete now (pure), given its active pods.
import type { Job, Pod } from '../../api/index.js';
import { podsToDelete } from '../replicaset/index.js';
import { parseIndexes } from './indexes.js';
import { indexFailureCount, indexOf, isIndexed } from './pods.js';

export interface PodPlan {
  /** NonIndexed: how many to create; Indexed: which indexes, with each one's failures so far. */
  create: Array<{ index?: number; failures: number }>;
  delete: Pod[];
}

/** How many pods should run: parallelism, capped by the completions still missing. */
function wantActive(job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  // A work queue (no completions): once one pod succeeded, the others finish the queue; no new ones.
  if (completions === undefined) return succeeded > 0 ? Math.min(active, parallelism) : parallelism;
  return Math.max(0, Math.min(parallelism, completions - succeeded));
}

export function planPods(job: Job, active: Pod[], all: Pod[], succeeded: number): PodPlan {
  if (!isIndexed(job)) {
    const want = wantActive(job, succeeded, active.length);
    if (active.length > want) return { create: [], delete: podsToDelete(active, active.length - want) };
    return { create: Array.from({ length: want - active.length }, () => ({ failures: 0 })), delete: [] };
  }
  const completions = job.spec?.completions ?? 0;
  const done = parseIndexes(job.status?.completedIndexes, completions);
  const failedIdx = parseIndexes(job.status?.failedIndexes, completions);
  const del: Pod[] = [];
  const running = new Map<number, Pod>();
  // One active pod per open index; the others (duplicates, finished or failed indexes) go.
  for (const pod of [...active].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''))) {
    const i = indexOf(pod);
    if (i === undefined || i >= completions || done.has(i) || failedIdx.has(i) || running.has(i)) del.push(pod);
    else running.set(i, pod);
  }
  const parallelism = job.spec?.parallelism ?? 1;
  if (running.size > parallelism) {
    const extra = [...running.entries()].sort(([a], [b]) => b - a).slice(0, running.size - parallelism);
    for (const [i, pod] of extra) {
      running.delete(i);
      del.push(pod);
    }
  }
  // Failures per index so far, from the failed pods still around (each carries the count before it).
  const failures = new Map<number, number>();
  for (const pod of all) {
    const i = indexOf(pod);
    if (i === undefined || pod.status?.phase !== 'Failed') continue;
    failures.set(i, Math.max(failures.get(i) ?? 0, indexFailureCount(pod) + 1));
  }
  const create: PodPlan['create'] = [];
  for (let i = 0; i < completions && running.size + create.length < parallelism; i++) {
    if (!done.has(i) && !failedIdx.has(i) && !running.has(i)) create.push({ index: i, failures: failures.get(i) ?? 0 });
  }
  return { create, delete: del };
}
