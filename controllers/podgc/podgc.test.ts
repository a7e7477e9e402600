import assert from 'node:assert/strict';
import { isNotFound } from '../../client/index.js';
import { createNode, eventually, podSpec, startControllers } from '../support.testkit.js';
import { podGcController } from './index.js';

describe('pod GC', () => {
  it('force-deletes pods of a deleted node and the oldest terminated pods beyond the threshold', async () => {
    const h = await startControllers([podGcController({ periodMs: 200, terminatedThreshold: 2 })]);
    const { cs } = h;
    try {
      await createNode(cs, 'keep');
      await createNode(cs, 'doomed');
      for (const [name, node] of [['on-keep', 'keep'], ['on-doomed', 'doomed']] as const) {
        await cs.pods.create('default', podSpec(name, {}, { nodeName: node }));
      }
      // Terminated pods, oldest first (creationTimestamp has 1 s resolution: names break ties).
      for (const name of ['done-a', 'done-b', 'done-c', 'done-d']) {
        await cs.pods.create('default', podSpec(name, {}));
        const p = await cs.pods.get('default', name);
        await cs.pods.updateStatus({ ...p, status: { ...p.status, phase: 'Succeeded' } });
      }
      await cs.nodes.delete(undefined, 'doomed');
      const exists = async (name: string): Promise<boolean> => cs.pods.get('default', name).then(() => true, (err: unknown) => {
        if (isNotFound(err)) return false;
        throw err;
      });
      await eventually('pod of the deleted node gone', async () => !(await exists('on-doomed')));
      await eventually('two oldest terminated pods gone', async () => !(await exists('done-a')) && !(await exists('done-b')));
      assert.ok(await exists('on-keep'));
      assert.ok(await exists('done-c'));
      assert.ok(await exists('done-d'));
    } finally {
      await h.stop();
    }
  });
});
