// Node health: a node whose Lease in kube-node-lease (or its Ready heartbeat) has not moved for
// the grace period gets its conditions set to Unknown; its taints follow its Ready condition
// (unreachable for Unknown, not-ready for False, none for True); the pods of a node that is not
// ready are marked not Ready so Services stop sending them traffic. Staleness is judged by our
// own clock, from when we saw the lease change, so clock skew between machines does not matter.
import type { Lease, Node, Pod } from '../../api/index.js';
import { clone, done, requeueAfter, retry, type Informer, type Outcome } from '../../client/index.js';
import type { ControllerContext } from '../context.js';
import { readyCondition, reconcileTaints, wantedTaints } from './taints.js';

const now = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const pressureConditions = ['MemoryPressure', 'DiskPressure', 'PIDPressure'];

export class HealthMonitor {
  /** Node name → when (our clock) we last saw it alive, and what we saw. */
  private readonly probes = new Map<string, { at: number; renew?: string; heartbeat?: string }>();

  constructor(
    private readonly ctx: ControllerContext,
    private readonly nodes: Informer<Node>,
    private readonly pods: Informer<Pod>,
    private readonly gracePeriodMs: number,
    private readonly monitorPeriodMs: number,
  ) {}

  observeLease(lease: Lease): void {
    this.saw(lease.metadata?.name ?? '', { renew: lease.spec?.renewTime });
  }

  observeNode(node: Node): void {
    this.saw(node.metadata?.name ?? '', { heartbeat: readyCondition(node)?.lastHeartbeatTime });
  }

  forget(node: string): void {
    this.probes.delete(node);
  }

  /** Any change of renewTime or heartbeat counts as a sign of life; first sight starts the clock. */
  private saw(node: string, what: { renew?: string; heartbeat?: string }): void {
    const p = this.probes.get(node);
    if (!p) {
      this.probes.set(node, { at: Date.now(), ...what });
      return;
    }
    if ('renew' in what && what.renew !== undefined && what.renew !== p.renew) Object.assign(p, { at: Date.now(), renew: what.renew });
    if ('heartbeat' in what && what.heartbeat !== undefined && what.heartbeat !== p.heartbeat) Object.assign(p, { at: Date.now(), heartbeat: what.heartbeat });
  }

  async reconcile(name: string): Promise<Outcome> {
    let node = this.nodes.store.get(name);
    if (!node) return done;
    try {
      const probe = this.probes.get(name) ?? { at: Date.now() };
      if (!this.probes.has(name)) this.probes.set(name, probe);
      if (Date.now() - probe.at > this.gracePeriodMs) node = await this.markUnknown(node);
      const ready = readyCondition(node);
      const taints = reconcileTaints(node.spec?.taints ?? [], wantedTaints(ready), now());
      if (taints) {
        node = await this.ctx.clientset.nodes.update({ ...clone(node), spec: { ...node.spec, taints } });
        this.ctx.log.info({ node: name, taints: taints.map((t) => `${t.key}:${t.effect}`) }, 'node taints updated');
      }
      if (ready?.status !== 'True') await this.markPodsNotReady(name);
      return requeueAfter(this.monitorPeriodMs);
    } catch (err) {
      return retry(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private async markUnknown(node: Node): Promise<Node> {
    const conditions = clone(node.status?.conditions ?? []);
    const ts = now();
    let changed = false;
    const set = (type: string, neverReason: string, neverMsg: string): void => {
      const c = conditions.find((x) => x.type === type);
      if (!c) {
        conditions.push({ type, status: 'Unknown', reason: neverReason, message: neverMsg, lastHeartbeatTime: ts, lastTransitionTime: ts });
        changed = true;
      } else if (c.status !== 'Unknown') {
        Object.assign(c, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: ts });
        changed = true;
      }
    };
    set('Ready', 'NodeStatusNeverUpdated', 'Kubelet never posted node status.');
    for (const t of pressureConditions) if (conditions.some((c) => c.type === t)) set(t, 'NodeStatusNeverUpdated', 'Kubelet never posted node status.');
    if (!changed) return node;
    const updated = await this.ctx.clientset.nodes.updateStatus({ ...clone(node), status: { ...node.status, conditions } });
    const name = node.metadata?.name ?? '';
    this.ctx.log.info({ node: name }, 'node stopped posting status; Ready is Unknown');
    this.ctx.recorder.event({ apiVersion: 'v1', kind: 'Node', ...node }, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    return updated;
  }

  private async markPodsNotReady(node: string): Promise<void> {
    for (const pod of this.pods.store.byIndex('nodeName', node)) {
      const conds = pod.status?.conditions ?? [];
      const ready = conds.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False' || pod.metadata?.deletionTimestamp) continue;
      const next = clone(pod);
      for (const c of next.status?.conditions ?? []) {
        if (c.type === 'Ready') Object.assign(c, { status: 'False', reason: 'NodeNotReady', lastTransitionTime: now() });
      }
      try {
        await this.ctx.clientset.pods.updateStatus(next);
        this.ctx.recorder.event({ apiVersion: 'v1', kind: 'Pod', ...pod }, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        // The next pass tries again; one pod must not stop the others.
        this.ctx.log.debug({ pod: `${pod.metadata?.namespace}/${pod.metadata?.name}`, err: (err as Error).message }, 'could not mark pod not ready');
      }
    }
  }
}
