// The disruption controller: budget arithmetic as a table (int and percent, minAvailable and
// maxUnavailable, pending evictions), then the loop with the real apiserver, ReplicaSet and
// Deployment controllers: evictions spend the budget, 429 when it is spent, and replacements that
// become ready give it back.
import assert from 'node:assert/strict';
import type { Pod, PodDisruptionBudget } from '../../api/index.js';
import { ApiError } from '../../client/index.js';
import { deploymentController } from '../deployment/index.js';
import { replicaSetController } from '../replicaset/index.js';
import { eventually, setPodStatus, startControllers, type Harness } from '../support.testkit.js';
import { budgetStatus, deletionTimeoutMs, disruptionController } from './index.js';

const now = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
const pod = (name: string, ready: boolean, extra: Partial<Pod['metadata']> = {}): Pod => ({
  metadata: { name, namespace: 'ns', labels: { app: 'a' }, ...extra },
  spec: { containers: [] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});
const pdb = (spec: PodDisruptionBudget['spec'], status: PodDisruptionBudget['status'] = {}): PodDisruptionBudget => ({
  metadata: { name: 'b', namespace: 'ns', generation: 2 },
  spec: { selector: { matchLabels: { app: 'a' } }, ...spec },
  status,
});

describe('disruption budget status', () => {
  const cases: Array<[string, PodDisruptionBudget, Pod[], number, [number, number, number, number]]> = [
    // name, budget, pods, controllers' replicas → [expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed]
    ['minAvailable 2 of 3 ready pods', pdb({ minAvailable: 2 }), [pod('x', true), pod('y', true), pod('z', true)], 99, [3, 2, 3, 1]],
    ['minAvailable 2 with one unready', pdb({ minAvailable: 2 }), [pod('x', true), pod('y', false), pod('z', true)], 99, [3, 2, 2, 0]],
    ['minAvailable 50% of 5 replicas rounds up', pdb({ minAvailable: '50%' }), [pod('x', true), pod('y', true), pod('z', true)], 5, [5, 3, 3, 0]],
    ['maxUnavailable 1 of 3 replicas', pdb({ maxUnavailable: 1 }), [pod('x', true), pod('y', true), pod('z', true)], 3, [3, 2, 3, 1]],
    ['maxUnavailable 34% of 3 replicas', pdb({ maxUnavailable: '34%' }), [pod('x', true), pod('y', true), pod('z', true)], 3, [3, 1, 3, 2]],
    ['terminating pods are not healthy', pdb({ minAvailable: 1 }), [pod('x', true, { deletionTimestamp: iso(now) }), pod('y', true)], 2, [2, 1, 1, 0]],
    ['no pods: nothing allowed', pdb({ maxUnavailable: 1 }), [], 0, [0, 0, 0, 0]],
  ];
  for (const [name, budget, pods, replicas, [expected, desired, healthy, allowed]] of cases) {
    it(name, async () => {
      const { status } = await budgetStatus({ pdb: budget, pods, expectedScale: async () => replicas, now });
      assert.deepEqual([status.expectedPods, status.desiredHealthy, status.currentHealthy, status.disruptionsAllowed], [expected, desired, healthy, allowed]);
      assert.equal(status.observedGeneration, 2);
      const cond = status.conditions?.find((c) => c.type === 'DisruptionAllowed');
      assert.deepEqual([cond?.status, cond?.reason], allowed > 0 ? ['True', 'SufficientPods'] : ['False', 'InsufficientPods']);
    });
  }

  it('does not count a pod with a pending eviction as healthy until the record expires, and says when to look again', async () => {
    const budget = pdb({ minAvailable: 1 }, { disruptedPods: { x: iso(now - 30_000), gone: iso(now) } });
    const first = await budgetStatus({ pdb: budget, pods: [pod('x', true), pod('y', true)], expectedScale: async () => 2, now });
    assert.deepEqual(first.status.disruptedPods, { x: iso(now - 30_000) }, 'entries of pods that are gone are dropped');
    assert.equal(first.status.currentHealthy, 1);
    assert.equal(first.recheckMs, deletionTimeoutMs - 30_000);
    const later = await budgetStatus({ pdb: budget, pods: [pod('x', true), pod('y', true)], expectedScale: async () => 2, now: now + deletionTimeoutMs });
    assert.equal(later.status.disruptedPods, undefined);
    assert.equal(later.status.currentHealthy, 2);
  });

  it('allows nothing, with a SyncFailed condition, when the controllers\' scale is unknown', async () => {
    const { status } = await budgetStatus({ pdb: pdb({ maxUnavailable: 1 }, { disruptionsAllowed: 3 }), pods: [pod('x', true)], expectedScale: async () => { throw new Error('found no controllers for pod "x"'); }, now });
    assert.equal(status.disruptionsAllowed, 0);
    const cond = status.conditions?.find((c) => c.type === 'DisruptionAllowed');
    assert.deepEqual([cond?.status, cond?.reason, cond?.message], ['False', 'SyncFailed', 'found no controllers for pod "x"']);
  });
});

describe('disruption controller with evictions', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startControllers([disruptionController, replicaSetController, deploymentController]);
  });
  after(async () => h?.stop());

  const pods = async (): Promise<Pod[]> => (await h.cs.pods.list('default', { labelSelector: 'app=guarded' })).items.filter((p) => !p.metadata?.deletionTimestamp);
  const budget = () => h.cs.podDisruptionBudgets.get('default', 'guard');
  const evict = (name: string) => h.cs.pods.evict('default', name);

  it('counts a Deployment through its scale, spends the budget on eviction, refuses when spent, and recovers as replacements become ready', async () => {
    const labels = { app: 'guarded' };
    await h.cs.deployments.create('default', {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'guarded' },
      spec: { replicas: 3, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await h.cs.podDisruptionBudgets.create('default', {
      apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guard' },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    });
    let ip = 10;
    const readyAll = async (): Promise<void> => {
      for (const p of await pods()) if (p.status?.phase !== 'Running') await setPodStatus(h.cs, 'default', p.metadata!.name!, `10.244.0.${ip++}`, true);
    };
    await eventually('three pods', async () => (await pods()).length === 3);
    await readyAll();
    const s = await eventually('budget counted', async () => {
      const b = await budget();
      return b.status?.currentHealthy === 3 && b.status.disruptionsAllowed === 1 ? b.status : undefined;
    });
    assert.deepEqual([s.expectedPods, s.desiredHealthy], [3, 2]);
    assert.equal(s.observedGeneration, (await budget()).metadata?.generation);
    assert.equal(s.conditions?.find((c) => c.type === 'DisruptionAllowed')?.status, 'True');

    const [a, b] = await pods();
    await evict(a!.metadata!.name!);
    await assert.rejects(evict(b!.metadata!.name!), (err) => err instanceof ApiError && err.code === 429 && err.reason === 'TooManyRequests');
    // The ReplicaSet replaces the evicted pod; once it is ready the budget allows one again.
    await eventually('a replacement pod', async () => (await pods()).length === 3 && !(await pods()).some((p) => p.metadata?.name === a!.metadata!.name));
    await readyAll();
    await eventually('budget allows a disruption again', async () => (await budget()).status?.disruptionsAllowed === 1);
    await evict(b!.metadata!.name!);
  });
});
