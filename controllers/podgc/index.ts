// Pod garbage collection, every period: pods bound to a node that no longer exists (confirmed
// by a live GET) are force-deleted; terminating pods that were never scheduled are
// force-deleted; and terminated pods (Succeeded/Failed) beyond the threshold are deleted,
// oldest first.
import type { Node, Pod } from '../../api/index.js';
import { isConflict, isNotFound, sleep, type Clientset, type Informer, type Logger } from '../../client/index.js';
import type { ControllerDef } from '../context.js';

export interface PodGcOptions {
  periodMs: number;
  terminatedThreshold: number;
}

export function podGcController(opts: PodGcOptions): ControllerDef {
  return {
    name: 'podgc',
    setup(ctx) {
      const pods = ctx.factory.informer<Pod>('pods');
      const nodes = ctx.factory.informer<Node>('nodes');
      return {
        async run(signal: AbortSignal) {
          while (!signal.aborted) {
            try {
              await gcOnce(ctx.clientset, pods, nodes, opts.terminatedThreshold, ctx.log);
            } catch (err) {
              ctx.log.warn({ err: (err as Error).message }, 'pod gc pass failed');
            }
            await sleep(opts.periodMs, signal);
          }
        },
      };
    },
  };
}

export async function gcOnce(clientset: Clientset, pods: Informer<Pod>, nodes: Informer<Node>, threshold: number, log: Logger): Promise<number> {
  let deleted = 0;
  const force = async (pod: Pod, why: string): Promise<void> => {
    const m = pod.metadata ?? {};
    try {
      await clientset.pods.delete(m.namespace, m.name ?? '', { gracePeriodSeconds: 0, ...(m.uid ? { preconditions: { uid: m.uid } } : {}) });
      deleted++;
      log.info({ pod: `${m.namespace}/${m.name}`, why }, 'pod garbage collected');
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  };
  const all = pods.store.list();
  // Orphans: the node is not in our cache; ask the apiserver before believing it.
  const missing = new Map<string, boolean>();
  for (const pod of all) {
    const node = pod.spec?.nodeName;
    if (!node || nodes.store.get(node)) continue;
    if (!missing.has(node)) missing.set(node, await nodeGone(clientset, node));
    if (missing.get(node)) await force(pod, `node ${node} does not exist`);
  }
  for (const pod of all) if (!pod.spec?.nodeName && pod.metadata?.deletionTimestamp) await force(pod, 'terminating and never scheduled');
  const terminated = all
    .filter((p) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')
    .sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? '') || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
  for (const pod of terminated.slice(0, Math.max(0, terminated.length - threshold))) await force(pod, `more than ${threshold} terminated pods`);
  return deleted;
}

async function nodeGone(clientset: Clientset, name: string): Promise<boolean> {
  try {
    await clientset.nodes.get(undefined, name);
    return false;
  } catch (err) {
    if (isNotFound(err)) return true;
    throw err;
  }
}
