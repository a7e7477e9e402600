// The DaemonSet controller against a real apiserver; the test plays the scheduler (binding each
// pod to the node named in its affinity term) and the kubelets (marking pods Running and Ready).
import assert from 'node:assert/strict';
import type { DaemonSet, Pod } from '../../api/index.js';
import type { Clientset } from '../../client/index.js';
import { createNode, eventually, playCluster, startControllers, type Harness } from '../support.testkit.js';
import { daemonSetController } from './index.js';
import { targetNode } from './nodes.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function daemonSet(name: string, spec: Obj = {}, podSpec: Obj = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...podSpec } },
      ...spec,
    },
  } as DaemonSet;
}

const live = async (cs: Clientset, app: string): Promise<Pod[]> =>
  (await cs.pods.list('default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);

describe('daemonset controller (real apiserver, test plays scheduler and kubelets)', function () {
  this.timeout(90_000);
  let h: Harness;
  let play: { stop(): Promise<void> };
  before(async () => {
    h = await startControllers([daemonSetController()]);
    await createNode(h.cs, 'n1');
    await createNode(h.cs, 'n2');
    play = playCluster(h.cs, (pod) => targetNode(pod));
  });
  after(async () => {
    await play?.stop();
    await h?.stop();
  });

  it('runs one pod per node, placed by a node-name affinity term with the daemon tolerations, and follows a joining node', async () => {
    const cs = h.cs;
    await cs.daemonSets.create('default', daemonSet('agent'));
    const pods = await eventually('a pod on n1 and n2', async () => {
      const ps = await live(cs, 'agent');
      return ps.length === 2 && ps.every((p) => p.spec?.nodeName) ? ps : undefined;
    });
    assert.deepEqual(pods.map((p) => p.spec?.nodeName).sort(), ['n1', 'n2']);
    const terms = pods[0]?.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
    assert.deepEqual(terms, [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [pods[0]?.spec?.nodeName] }] }]);
    const tolerated = pods[0]?.spec?.tolerations?.map((t) => `${t.key}:${t.effect}`);
    for (const t of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unschedulable:NoSchedule', 'node.kubernetes.io/disk-pressure:NoSchedule']) {
      assert.ok(tolerated?.includes(t), t);
    }
    const ds = await eventually('status 2/2 available', async () => {
      const d = await cs.daemonSets.get('default', 'agent');
      return d.status?.numberAvailable === 2 && d.status.observedGeneration === d.metadata?.generation ? d : undefined;
    });
    assert.deepEqual([ds.status?.desiredNumberScheduled, ds.status?.currentNumberScheduled, ds.status?.numberReady, ds.status?.updatedNumberScheduled, ds.status?.numberMisscheduled], [2, 2, 2, 2, 0]);
    const revs = (await cs.controllerRevisions.list('default')).items.filter((r) => r.metadata?.ownerReferences?.[0]?.name === 'agent');
    assert.deepEqual(revs.map((r) => r.revision), [1]);

    await createNode(cs, 'n3');
    await eventually('a pod on n3', async () => (await live(cs, 'agent')).some((p) => p.spec?.nodeName === 'n3'));
    await eventually('desired 3', async () => (await cs.daemonSets.get('default', 'agent')).status?.desiredNumberScheduled === 3);
  });

  it('honours nodeSelector (following label changes) and untolerated taints, but runs on unschedulable nodes', async () => {
    const cs = h.cs;
    await cs.nodes.patch(undefined, 'n1', { metadata: { labels: { role: 'edge' } } });
    await cs.nodes.patch(undefined, 'n2', { metadata: { labels: { role: 'edge' } }, spec: { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] } });
    await cs.nodes.patch(undefined, 'n3', { metadata: { labels: { role: 'edge' } }, spec: { unschedulable: true } });
    await cs.daemonSets.create('default', daemonSet('edge', {}, { nodeSelector: { role: 'edge' } }));
    await eventually('pods on n1 and n3 only', async () => {
      const nodes = (await live(cs, 'edge')).map((p) => p.spec?.nodeName).sort();
      return nodes.join() === 'n1,n3';
    });
    await cs.nodes.patch(undefined, 'n1', { metadata: { labels: { role: null } } });
    await eventually('the pod on n1 removed when its label goes', async () => (await live(cs, 'edge')).map((p) => p.spec?.nodeName).join() === 'n3');
    // The taint also took agent's pod off n2; lifting it brings the pod back.
    await cs.nodes.patch(undefined, 'n2', { spec: { taints: null } });
    await eventually('agent back on n2', async () => (await live(cs, 'agent')).some((p) => p.spec?.nodeName === 'n2' && p.status?.phase === 'Running'));
  });

  it('rolls an image change out one node at a time (maxUnavailable 1) and keeps the history', async () => {
    const cs = h.cs;
    await cs.daemonSets.patch('default', 'agent', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } }, 'strategic');
    let worst = 0;
    await eventually('all pods on agent:2 and available', async () => {
      const ps = await live(cs, 'agent');
      const ready = ps.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      worst = Math.max(worst, 3 - ready);
      const d = await cs.daemonSets.get('default', 'agent');
      return ps.length === 3 && ps.every((p) => p.spec?.containers[0]?.image === 'agent:2') && d.status?.updatedNumberScheduled === 3 && d.status.numberAvailable === 3;
    }, 30_000);
    assert.ok(worst <= 1, `at most one node without a ready pod (saw ${worst})`);
    const revs = (await cs.controllerRevisions.list('default')).items.filter((r) => r.metadata?.ownerReferences?.[0]?.name === 'agent').map((r) => r.revision).sort();
    assert.deepEqual(revs, [1, 2]);
  });

  it('OnDelete: a template change waits until a pod is deleted by hand', async () => {
    const cs = h.cs;
    await cs.daemonSets.create('default', daemonSet('manual', { updateStrategy: { type: 'OnDelete' } }));
    await eventually('3 pods', async () => (await live(cs, 'manual')).filter((p) => p.status?.phase === 'Running').length === 3);
    await cs.daemonSets.patch('default', 'manual', { spec: { template: { spec: { containers: [{ name: 'agent', image: 'agent:2' }] } } } }, 'strategic');
    await eventually('revision 2 recorded', async () => (await cs.controllerRevisions.list('default')).items.some((r) => r.metadata?.name?.startsWith('manual-') && r.revision === 2));
    assert.ok((await live(cs, 'manual')).every((p) => p.spec?.containers[0]?.image === 'agent:1'), 'no pod replaced by itself');
    const victim = (await live(cs, 'manual')).find((p) => p.spec?.nodeName === 'n2');
    await cs.pods.delete('default', victim?.metadata?.name ?? '');
    await eventually('n2 gets an agent:2 pod', async () => (await live(cs, 'manual')).some((p) => p.spec?.nodeName === 'n2' && p.spec.containers[0]?.image === 'agent:2'));
    assert.equal((await live(cs, 'manual')).filter((p) => p.spec?.containers[0]?.image === 'agent:1').length, 2);
  });
});
