// What a StatefulSet sync does, as plain data (pkg/controller/statefulset/stateful_set_control.go):
// create missing ordinals in order (OrderedReady: one at a time, each Ready before the next;
// Parallel: all at once), remove ordinals past replicas from the highest down, then roll pods
// to the update revision from the highest ordinal down to the partition, one at a time.
import type { Pod, StatefulSet, StatefulSetStatus } from '../../api/index.js';
import { revisionHashLabel } from '../history/revisions.js';
import { isPodAvailable, isPodReady } from '../replicaset/index.js';

export interface StatefulPlan {
  create: Array<{ ordinal: number; revision: string }>;
  delete: Pod[];
  status: StatefulSetStatus;
}

export function ordinalOf(sts: StatefulSet, pod: Pod): number | undefined {
  const prefix = `${sts.metadata?.name}-`;
  const name = pod.metadata?.name ?? '';
  const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
  return /^(0|[1-9][0-9]*)$/.test(rest) ? Number(rest) : undefined;
}

const finished = (p: Pod): boolean => p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded';
const healthy = (p: Pod): boolean => p.status?.phase === 'Running' && isPodReady(p) && !p.metadata?.deletionTimestamp;

export function planStatefulSet(sts: StatefulSet, pods: Pod[], currentRevision: string, updateRevision: string, now: number): StatefulPlan {
  const spec = sts.spec!;
  const replicas = spec.replicas ?? 1;
  const start = spec.ordinals?.start ?? 0;
  const ordered = spec.podManagementPolicy !== 'Parallel';
  const rolling = spec.updateStrategy?.type !== 'OnDelete';
  const partition = rolling ? spec.updateStrategy?.rollingUpdate?.partition ?? 0 : 0;
  const plan: StatefulPlan = { create: [], delete: [], status: { replicas: 0 } };
  const byOrdinal = new Map<number, Pod>();
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const o = ordinalOf(sts, pod);
    if (o === undefined) continue;
    if (o < start || o >= start + replicas) condemned.push(pod);
    else byOrdinal.set(o, pod);
  }
  const revisionFor = (ordinal: number): string => (rolling && ordinal - start < partition ? currentRevision : updateRevision);

  const manage = (): boolean => {
    for (let o = start; o < start + replicas; o++) {
      const pod = byOrdinal.get(o);
      if (!pod) {
        plan.create.push({ ordinal: o, revision: revisionFor(o) });
        if (ordered) return false;
        continue;
      }
      if (pod.metadata?.deletionTimestamp) {
        if (ordered) return false;
        continue;
      }
      // A pod that ended is replaced under the same name.
      if (finished(pod)) {
        plan.delete.push(pod);
        if (ordered) return false;
        continue;
      }
      if (ordered && !healthy(pod)) return false;
    }
    // Scale down: the highest ordinal first; in order, one at a time.
    for (const pod of [...condemned].sort((a, b) => (ordinalOf(sts, b) ?? 0) - (ordinalOf(sts, a) ?? 0))) {
      if (pod.metadata?.deletionTimestamp) {
        if (ordered) return false;
        continue;
      }
      plan.delete.push(pod);
      if (ordered) return false;
    }
    return true;
  };

  if (manage() && rolling && plan.create.length === 0 && plan.delete.length === 0) {
    // One pod down at a time, from the top to the partition, each back Ready before the next.
    for (let o = start + replicas - 1; o >= start + partition; o--) {
      const pod = byOrdinal.get(o);
      if (!pod) break;
      if (pod.metadata?.labels?.[revisionHashLabel] !== updateRevision) {
        if (!pod.metadata?.deletionTimestamp) plan.delete.push(pod);
        break;
      }
      if (!healthy(pod)) break;
    }
  }

  const s = plan.status;
  const all = [...byOrdinal.values(), ...condemned].filter((p) => !finished(p));
  s.replicas = all.length;
  s.readyReplicas = all.filter(isPodReady).length;
  s.availableReplicas = all.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, now)).length;
  s.currentReplicas = all.filter((p) => p.metadata?.labels?.[revisionHashLabel] === currentRevision).length;
  s.updatedReplicas = all.filter((p) => p.metadata?.labels?.[revisionHashLabel] === updateRevision).length;
  s.currentRevision = currentRevision;
  s.updateRevision = updateRevision;
  // Every pod on the update revision: it becomes the current one.
  if (s.updatedReplicas === replicas && all.length === replicas) {
    s.currentRevision = updateRevision;
    s.currentReplicas = s.updatedReplicas;
  }
  s.observedGeneration = sts.metadata?.generation;
  return plan;
}
