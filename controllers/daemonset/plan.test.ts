// The DaemonSet sync plan as a pure function: placement, misplaced and failed pods, and the
// rolling update's budget with and without surge.
import assert from 'node:assert/strict';
import type { DaemonSet, Node, Pod } from '../../api/index.js';
import { revisionHashLabel, shouldRun } from './nodes.js';
import { planDaemonSet } from './plan.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const node = (name: string, extra: Partial<Node> = {}): Node => ({ metadata: { name, labels: {} }, ...extra } as Node);
const ds = (rolling: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}): DaemonSet => ({
  metadata: { name: 'd', namespace: 'default', generation: 2 },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [{ name: 'c' }], ...podSpec } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0, ...rolling } } },
} as DaemonSet);
let n = 0;
function pod(nodeName: string, hash: string, ready = true, phase = 'Running'): Pod {
  return {
    metadata: { name: `p${n++}`, namespace: 'default', creationTimestamp: `2026-01-01T00:00:${String(n).padStart(2, '0')}Z`, labels: { [revisionHashLabel]: hash } },
    spec: { nodeName, containers: [] },
    status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: '2026-01-01T00:00:00Z' }] },
  } as Pod;
}
const names = (ps: Pod[]): string[] => ps.map((p) => `${p.spec?.nodeName}/${p.metadata?.labels?.[revisionHashLabel]}`).sort();

describe('daemonset plan', () => {
  it('creates on nodes without a pod; deletes failed pods and pods on nodes that no longer qualify', () => {
    const nodes = [node('a'), node('b'), node('c', { spec: { taints: [{ key: 'x', effect: 'NoExecute' }] } })];
    const plan = planDaemonSet(ds(), nodes, [pod('b', 'new', false, 'Failed'), pod('c', 'new')], 'new', now);
    assert.deepEqual(plan.create, ['a']);
    assert.deepEqual(names(plan.delete), ['b/new', 'c/new']);
    assert.equal(plan.status.desiredNumberScheduled, 2);
    assert.equal(plan.status.numberMisscheduled, 1);
  });

  it('tolerates the default daemon taints but not others', () => {
    assert.ok(shouldRun(ds(), node('u', { spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] } })));
    assert.ok(shouldRun(ds(), node('nr', { spec: { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] } })));
    assert.ok(!shouldRun(ds(), node('g', { spec: { taints: [{ key: 'gpu', effect: 'NoSchedule' }] } })));
    assert.ok(shouldRun(ds(), node('p', { spec: { taints: [{ key: 'gpu', effect: 'PreferNoSchedule' }] } })));
    assert.ok(!shouldRun(ds({}, { nodeSelector: { disk: 'ssd' } }), node('plain')));
  });

  it('without surge replaces at most maxUnavailable available pods at a time', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const plan = planDaemonSet(ds({ maxUnavailable: 1 }), nodes, [pod('a', 'old'), pod('b', 'old'), pod('c', 'old')], 'new', now);
    assert.equal(plan.delete.length, 1);
    assert.deepEqual(plan.create, []);
    // One node already down (its new pod not ready yet): nothing more goes.
    const busy = planDaemonSet(ds({ maxUnavailable: 1 }), nodes, [pod('a', 'new', false), pod('b', 'old'), pod('c', 'old')], 'new', now);
    assert.deepEqual(busy.delete, []);
    assert.equal(busy.status.updatedNumberScheduled, 1);
    assert.equal(busy.status.numberUnavailable, 1);
  });

  it('with surge starts new pods beside old ones (maxSurge at a time) and removes an old one once its replacement is available', () => {
    const nodes = [node('a'), node('b'), node('c')];
    const start = planDaemonSet(ds({ maxUnavailable: 0, maxSurge: 1 }), nodes, [pod('a', 'old'), pod('b', 'old'), pod('c', 'old')], 'new', now);
    assert.equal(start.create.length, 1);
    assert.deepEqual(start.delete, []);
    const waiting = planDaemonSet(ds({ maxUnavailable: 0, maxSurge: 1 }), nodes, [pod('a', 'old'), pod('a', 'new', false), pod('b', 'old'), pod('c', 'old')], 'new', now);
    assert.deepEqual(waiting.delete, []);
    assert.equal(waiting.create.length, 0, 'the surge budget is in use until the new pod is available');
    const swap = planDaemonSet(ds({ maxUnavailable: 0, maxSurge: 1 }), nodes, [pod('a', 'old'), pod('a', 'new'), pod('b', 'old'), pod('c', 'old')], 'new', now);
    assert.deepEqual(names(swap.delete), ['a/old']);
    assert.equal(swap.create.length, 1, 'the next node surges');
  });
});
