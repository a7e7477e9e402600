// A pending pod whose required pod affinity cannot be met is parked as unschedulable; when a pod
// it wants to join gets placed, it is retried at once (a queueing hint), not after the 60 s flush.
import assert from 'node:assert/strict';
import { pino } from 'pino';
import type { Node, Pod } from '../api/index.js';
import { Clientset } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { waitFor } from '../testing/wait.js';
import { makeNode, makePod } from './fixtures.testkit.js';
import { startScheduler, type RunningScheduler } from './run.js';

function forApi(p: Pod): Pod {
  const { uid: _uid, creationTimestamp: _c, ...metadata } = p.metadata ?? {};
  return { ...p, metadata };
}

describe('scheduler: required pod affinity wakes on the target being placed', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let cs: Clientset;
  let sched: RunningScheduler;
  before(async () => {
    api = await startTestApiServer();
    cs = new Clientset({ server: api.url });
    const n: Node = makeNode({ name: 'n1', cpu: '4', memory: '8Gi' });
    const created = await cs.nodes.create(undefined, { ...n, status: {} });
    await cs.nodes.patchStatus(undefined, created.metadata!.name!, { status: n.status }, 'merge');
    sched = await startScheduler({ config: { server: api.url }, port: 0, log: pino({ level: 'silent' }), retryPeriodMs: 200, leaseDurationMs: 2000, renewDeadlineMs: 1500 });
  });
  after(async () => {
    await sched.stop();
    cs.close();
    await api.close();
  });

  it('binds the waiting pod within seconds of its target being scheduled', async () => {
    const affinity = { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname' }] } };
    await cs.pods.create('default', forApi(makePod({ name: 'web', cpu: '100m', affinity })));
    await waitFor('web to be reported unschedulable', async () =>
      (await cs.pods.get('default', 'web')).status?.conditions?.some((c) => c.type === 'PodScheduled' && c.status === 'False'), 20_000);

    const t0 = Date.now();
    await cs.pods.create('default', forApi(makePod({ name: 'db', cpu: '100m', labels: { app: 'db' } })));
    const node = await waitFor('web to be bound', async () => (await cs.pods.get('default', 'web')).spec?.nodeName, 15_000, 50);
    assert.equal(node, 'n1');
    process.stdout.write(`      web bound ${Date.now() - t0} ms after db was created\n`);
  });
});
