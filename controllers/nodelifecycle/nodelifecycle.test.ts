import assert from 'node:assert/strict';
import type { Node, Pod } from '../../api/index.js';
import { createNode, eventually, podSpec, renewLease, setPodStatus, startControllers, type Harness } from '../support.testkit.js';
import { nodeLifecycleController } from './index.js';
import { evictionTime, reconcileTaints, tolerates } from './taints.js';

describe('node lifecycle', () => {
  it('matches tolerations and computes eviction times', () => {
    const taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' };
    assert.ok(tolerates({ operator: 'Exists' }, taint));
    assert.ok(tolerates({ key: taint.key, operator: 'Exists', effect: 'NoExecute' }, taint));
    assert.ok(!tolerates({ key: taint.key, operator: 'Exists', effect: 'NoSchedule' }, taint));
    assert.ok(!tolerates({ key: 'other', operator: 'Exists' }, taint));
    assert.ok(tolerates({ key: 'k', value: 'v' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
    assert.equal(evictionTime([], [taint], () => 0), -Infinity);
    assert.equal(evictionTime([{ operator: 'Exists' }], [taint], () => 0), Infinity);
    assert.equal(evictionTime([{ operator: 'Exists', tolerationSeconds: 300 }, { key: taint.key, operator: 'Exists', tolerationSeconds: 2 }], [taint], () => 1000), 3000);
    assert.equal(reconcileTaints([{ key: 'mine', effect: 'NoSchedule' }], [], 'now'), undefined);
    assert.deepEqual(reconcileTaints([{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }], [], 'now'), []);
  });

  describe('with a short grace period', () => {
    let h: Harness;
    let stopBeat: () => Promise<void> = async () => undefined;
    /** Plays the kubelets of `nodes`: their leases renewed every 200 ms until the returned stop. */
    const heartbeat = (nodes: string[]): (() => Promise<void>) => {
      let on = true;
      const loop = (async () => {
        while (on) {
          for (const n of nodes) await renewLease(h.cs, n).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 200));
        }
      })();
      return async () => {
        on = false;
        await loop;
      };
    };
    before(async () => {
      h = await startControllers([nodeLifecycleController({ gracePeriodMs: 2500, monitorPeriodMs: 200 })]);
      for (const n of ['n1', 'n2']) {
        await createNode(h.cs, n);
        await renewLease(h.cs, n);
      }
      stopBeat = heartbeat(['n1', 'n2']);
    });
    after(async () => {
      await stopBeat();
      await h?.stop();
    });

    const node = (name: string): Promise<Node> => h.cs.nodes.get(undefined, name);
    const terminating = async (name: string): Promise<Pod | undefined> => {
      const p = await h.cs.pods.get('default', name).catch(() => undefined);
      return p === undefined || p.metadata?.deletionTimestamp ? (p ?? ({} as Pod)) : undefined;
    };

    it('a silent node becomes Unknown and tainted; its pods are evicted as their tolerations say', async () => {
      const unreachable = 'node.kubernetes.io/unreachable';
      // 'defaults' gets the apiserver's default 300 s toleration of unreachable (DefaultTolerationSeconds).
      const pods: Array<[string, Pod['spec']]> = [
        ['defaults', {} as Pod['spec']],
        ['two-seconds', { tolerations: [{ key: unreachable, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 }] } as Pod['spec']],
        ['forever', { tolerations: [{ key: unreachable, operator: 'Exists', effect: 'NoExecute' }] } as Pod['spec']],
      ];
      for (const [name, extra] of pods) {
        await h.cs.pods.create('default', podSpec(name, {}, { ...extra, nodeName: 'n1' }));
        await setPodStatus(h.cs, 'default', name, '10.244.0.5', true);
      }
      // Healthy for longer than the grace period: nothing happens.
      await new Promise((r) => setTimeout(r, 3000));
      assert.equal((await node('n1')).spec?.taints, undefined);

      // n1's kubelet falls silent; n2's keeps going.
      await stopBeat();
      stopBeat = heartbeat(['n2']);

      const n1 = await eventually('n1 Unknown and tainted', async () => {
        const n = await node('n1');
        const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
        return ready?.status === 'Unknown' && (n.spec?.taints ?? []).length === 2 ? n : undefined;
      }, 10_000);
      const tainted = Date.now();
      const ready = n1.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.reason, 'NodeStatusUnknown');
      assert.equal(ready?.message, 'Kubelet stopped posting node status.');
      assert.deepEqual(n1.spec?.taints?.map((t) => `${t.key}:${t.effect}`).sort(), [`${unreachable}:NoExecute`, `${unreachable}:NoSchedule`]);

      assert.equal(await terminating('two-seconds'), undefined, 'the 2 s toleration still holds');
      await eventually('two-seconds pod evicted', () => terminating('two-seconds'), 8000);
      assert.ok(Date.now() - tainted >= 1500, `evicted ${Date.now() - tainted} ms after the taint`);
      for (const name of ['forever', 'defaults']) {
        const p = await h.cs.pods.get('default', name);
        assert.equal(p.metadata?.deletionTimestamp, undefined, `${name} tolerates the taint for now`);
        assert.equal(p.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False', 'pods of an unreachable node are not Ready');
      }
      const events = await h.cs.events.list('default');
      assert.ok(events.items.some((e) => e.reason === 'TaintManagerEviction' && e.involvedObject?.name === 'two-seconds'));

      // The kubelet comes back: lease and Ready. The taints go.
      await stopBeat();
      stopBeat = heartbeat(['n1', 'n2']);
      const cur = await node('n1');
      const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      await h.cs.nodes.updateStatus({ ...cur, status: { ...cur.status, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: t, lastTransitionTime: t }] } });
      await eventually('n1 untainted', async () => ((await node('n1')).spec?.taints ?? []).length === 0, 10_000);
    });

    it('a pod that does not tolerate a NoExecute taint is evicted at once', async () => {
      await h.cs.pods.create('default', podSpec('intolerant', {}, { nodeName: 'n2' }));
      await h.cs.pods.create('default', podSpec('tolerant', {}, { nodeName: 'n2', tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoExecute' }] }));
      const cur = await node('n2');
      await h.cs.nodes.update({ ...cur, spec: { ...cur.spec, taints: [{ key: 'dedicated', value: 'db', effect: 'NoExecute' }] } });
      await eventually('intolerant pod evicted', () => terminating('intolerant'), 5000);
      assert.equal((await h.cs.pods.get('default', 'tolerant')).metadata?.deletionTimestamp, undefined);
      const fresh = await node('n2');
      await h.cs.nodes.update({ ...fresh, spec: { ...fresh.spec, taints: [] } });
    });

    it('a node reporting NotReady gets the not-ready taints', async () => {
      const cur = await node('n2');
      const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      await h.cs.nodes.updateStatus({ ...cur, status: { ...cur.status, conditions: [{ type: 'Ready', status: 'False', reason: 'KubeletNotReady', lastHeartbeatTime: t, lastTransitionTime: t }] } });
      const n2 = await eventually('n2 tainted not-ready', async () => {
        const n = await node('n2');
        return (n.spec?.taints ?? []).length === 2 ? n : undefined;
      });
      assert.deepEqual(n2.spec?.taints?.map((x) => `${x.key}:${x.effect}`).sort(), ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
      assert.equal(n2.status?.conditions?.find((c) => c.type === 'Ready')?.status, 'False', 'a fresh lease keeps the reported condition');
    });
  });
});
