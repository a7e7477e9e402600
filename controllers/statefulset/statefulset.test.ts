// The StatefulSet controller against a real apiserver; the test plays the scheduler and the
// kubelet, holding pods unready when it wants to watch the ordering.
import assert from 'node:assert/strict';
import type { Pod, StatefulSet } from '../../api/index.js';
import type { Clientset } from '../../client/index.js';
import { createNode, eventually, playCluster, startControllers, type Harness } from '../support.testkit.js';
import { statefulSetController } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function statefulSet(name: string, spec: Obj = {}): StatefulSet {
  return {
    apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name },
    spec: {
      replicas: 3, serviceName: name, selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'web:1' }] } },
      ...spec,
    },
  } as StatefulSet;
}

const live = async (cs: Clientset, app: string): Promise<Pod[]> =>
  (await cs.pods.list('default', { labelSelector: `app=${app}` })).items.filter((p) => !p.metadata?.deletionTimestamp);
const names = (ps: Pod[]): string[] => ps.map((p) => p.metadata?.name ?? '').sort();

describe('statefulset controller (real apiserver, test plays scheduler and kubelet)', function () {
  this.timeout(90_000);
  let h: Harness;
  let play: { stop(): Promise<void> };
  /** Pods the played kubelet keeps unready. */
  const held = new Set<string>();
  before(async () => {
    h = await startControllers([statefulSetController()]);
    await createNode(h.cs, 'n1');
    play = playCluster(h.cs, () => 'n1', (pod) => !held.has(pod.metadata?.name ?? ''));
  });
  after(async () => {
    await play?.stop();
    await h?.stop();
  });

  it('starts web-0, web-1, web-2 in order, each Ready before the next, with stable hostnames under the Service', async () => {
    const cs = h.cs;
    held.add('web-0');
    await cs.statefulSets.create('default', statefulSet('web'));
    const first = await eventually('web-0', async () => (await live(cs, 'web'))[0]);
    assert.equal(first.metadata?.name, 'web-0');
    assert.equal(first.spec?.hostname, 'web-0');
    assert.equal(first.spec?.subdomain, 'web');
    assert.equal(first.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    assert.equal(first.metadata?.labels?.['apps.kubernetes.io/pod-index'], '0');
    await eventually('web-0 running, unready', async () => (await cs.pods.get('default', 'web-0')).status?.phase === 'Running');
    // The controller saw web-0 unready: it must not have started web-1.
    await eventually('status seen', async () => (await cs.statefulSets.get('default', 'web')).status?.replicas === 1);
    assert.deepEqual(names(await live(cs, 'web')), ['web-0']);
    held.delete('web-0');
    const sts = await eventually('3 ready', async () => {
      const s = await cs.statefulSets.get('default', 'web');
      return s.status?.readyReplicas === 3 ? s : undefined;
    });
    assert.deepEqual(names(await live(cs, 'web')), ['web-0', 'web-1', 'web-2']);
    assert.equal(sts.status?.currentRevision, sts.status?.updateRevision);
    assert.match(sts.status?.updateRevision ?? '', /^web-[a-z0-9]+$/);
    const created = (await live(cs, 'web')).map((p) => [p.metadata?.name, Date.parse(p.metadata?.creationTimestamp ?? '')] as const).sort((a, b) => a[1] - b[1]);
    assert.deepEqual(created.map(([n]) => n), ['web-0', 'web-1', 'web-2']);
  });

  it('recreates a deleted pod under the same name', async () => {
    const cs = h.cs;
    const before = await cs.pods.get('default', 'web-1');
    await cs.pods.delete('default', 'web-1');
    await eventually('a new web-1', async () => {
      const p = await cs.pods.get('default', 'web-1').catch(() => undefined);
      return p && p.metadata?.uid !== before.metadata?.uid && !p.metadata?.deletionTimestamp;
    });
  });

  it('rolls a template change from the highest ordinal down to the partition', async () => {
    const cs = h.cs;
    await cs.statefulSets.patch('default', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 1 } }, template: { spec: { containers: [{ name: 'c', image: 'web:2' }] } } } }, 'strategic');
    await eventually('web-2 and web-1 on web:2', async () => {
      const ps = await live(cs, 'web');
      const image = (n: string): string | undefined => ps.find((p) => p.metadata?.name === n)?.spec?.containers[0]?.image;
      return image('web-2') === 'web:2' && image('web-1') === 'web:2';
    }, 30_000);
    const sts = await eventually('2 updated', async () => {
      const s = await cs.statefulSets.get('default', 'web');
      return s.status?.updatedReplicas === 2 && s.status.readyReplicas === 3 ? s : undefined;
    });
    assert.equal((await cs.pods.get('default', 'web-0')).spec?.containers[0]?.image, 'web:1', 'below the partition stays');
    assert.notEqual(sts.status?.currentRevision, sts.status?.updateRevision);
    await cs.statefulSets.patch('default', 'web', { spec: { updateStrategy: { rollingUpdate: { partition: 0 } } } }, 'strategic');
    await eventually('all on web:2 and the revision current', async () => {
      const s = await cs.statefulSets.get('default', 'web');
      return s.status?.updatedReplicas === 3 && s.status.currentRevision === s.status.updateRevision && s.status.readyReplicas === 3;
    }, 30_000);
  });

  it('scales down from the highest ordinal', async () => {
    const cs = h.cs;
    await cs.statefulSets.scale('default', 'web', 1);
    await eventually('only web-0', async () => names(await live(cs, 'web')).join() === 'web-0');
  });
});
