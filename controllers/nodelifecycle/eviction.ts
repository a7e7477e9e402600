// The NoExecute taint manager: a pod on a node with NoExecute taints is deleted at once when it
// does not tolerate one of them, or when its shortest tolerationSeconds has run out; until then
// its key is requeued for that moment. As upstream, the toleration time counts from when this
// process first saw the taint (timeAdded has only second precision, and a restart starts afresh).
import type { Node, Pod, Taint } from '../../api/index.js';
import { done, isConflict, isNotFound, requeueAfter, retry, type Informer, type Outcome } from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { evictionTime } from './taints.js';

export class TaintEvictor {
  /** `node|key|value` → when we first saw that NoExecute taint on that node. */
  private readonly firstSeen = new Map<string, number>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly nodes: Informer<Node>,
    private readonly pods: Informer<Pod>,
  ) {}

  /** A node's taints changed: taints it no longer has start afresh if they come back. */
  taintsChanged(node: Node): void {
    const name = node.metadata?.name ?? '';
    const present = new Set((node.spec?.taints ?? []).map((t) => `${name}|${t.key}|${t.value ?? ''}`));
    for (const id of this.firstSeen.keys()) if (id.startsWith(`${name}|`) && !present.has(id)) this.firstSeen.delete(id);
  }

  async reconcile(key: string): Promise<Outcome> {
    const pod = this.pods.store.get(key);
    const nodeName = pod?.spec?.nodeName;
    if (!pod || !nodeName || pod.metadata?.deletionTimestamp) return done;
    const taints = (this.nodes.store.get(nodeName)?.spec?.taints ?? []).filter((t) => t.effect === 'NoExecute');
    if (taints.length === 0) return done;
    const seen = (t: Taint): number => {
      const id = `${nodeName}|${t.key}|${t.value ?? ''}`;
      const at = this.firstSeen.get(id) ?? Date.now();
      this.firstSeen.set(id, at);
      return at;
    };
    const at = evictionTime(pod.spec?.tolerations ?? [], taints, seen);
    if (at === Infinity) return done;
    const wait = at - Date.now();
    if (wait > 0) return requeueAfter(wait);
    const m = pod.metadata ?? {};
    try {
      await this.ctx.clientset.pods.delete(m.namespace, m.name ?? '', m.uid ? { preconditions: { uid: m.uid } } : {});
      this.ctx.log.info({ pod: key, node: nodeName, taints: taints.map((t) => t.key) }, 'evicted pod from tainted node');
      this.ctx.recorder.event({ apiVersion: 'v1', kind: 'Pod', ...pod }, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
      return done;
    } catch (err) {
      if (isNotFound(err) || isConflict(err)) return done;
      return retry(err instanceof Error ? err : new Error(String(err)));
    }
  }
}
