// The ClusterWriter that talks to the apiserver: pods/binding, the PodScheduled condition
// (status subresource), Events, nominatedNodeName and graceful deletion of preemption victims.
import type { Pod } from '../api/index.js';
import { ApiError, EventRecorder, isNotFound, type Clientset } from '../client/index.js';
import type { BindErrorKind, ClusterWriter } from './scheduler.js';

export function classifyBindError(err: unknown): BindErrorKind {
  if (err instanceof ApiError && err.code === 404) return 'gone';
  if (err instanceof ApiError && err.code === 409) return 'taken';
  return 'retry';
}

const nameOf = (pod: Pod): { ns: string; name: string } => ({ ns: pod.metadata?.namespace ?? 'default', name: pod.metadata?.name ?? '' });

export class ApiWriter implements ClusterWriter {
  constructor(
    private readonly clientset: Clientset,
    private readonly recorder: EventRecorder,
  ) {}

  async bind(pod: Pod, nodeName: string): Promise<void> {
    const { ns, name } = nameOf(pod);
    await this.clientset.pods.bind(ns, name, nodeName, pod.metadata?.uid);
  }

  async reportUnschedulable(pod: Pod, message: string): Promise<void> {
    const { ns, name } = nameOf(pod);
    const cur = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    if (cur?.status !== 'False' || cur.reason !== 'Unschedulable' || cur.message !== message) {
      const condition = {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message,
        lastProbeTime: null,
        lastTransitionTime: cur?.status === 'False' && cur.lastTransitionTime ? cur.lastTransitionTime : new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      };
      try {
        await this.clientset.pods.patchStatus(ns, name, { status: { conditions: [condition] } }, 'strategic');
      } catch (err) {
        if (!isNotFound(err)) throw err;
        return; // deleted meanwhile
      }
    }
    await this.recorder.record(pod, 'Warning', 'FailedScheduling', message);
  }

  async preempt(preemptor: Pod, nodeName: string, victims: Pod[]): Promise<void> {
    const { ns, name } = nameOf(preemptor);
    await this.clientset.pods.patchStatus(ns, name, { status: { nominatedNodeName: nodeName } }, 'merge');
    await Promise.all(
      victims.map(async (v) => {
        const victim = nameOf(v);
        this.recorder.event(v, 'Normal', 'Preempted', `Preempted by pod ${preemptor.metadata?.uid ?? ''} on node ${nodeName}`);
        try {
          await this.clientset.pods.delete(victim.ns, victim.name);
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }),
    );
  }
}
