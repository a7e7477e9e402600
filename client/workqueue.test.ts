import assert from 'node:assert/strict';
import { WorkQueue } from './workqueue.js';

describe('WorkQueue', () => {
  it('collapses repeated adds of a waiting key into one', async () => {
    const q = new WorkQueue();
    q.add('a');
    q.add('b');
    q.add('a');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
    q.shutDown();
  });

  it('never hands a key to two workers; a key re-added while processing runs again after done()', async () => {
    const q = new WorkQueue();
    q.add('a');
    const first = await q.get();
    q.add('a'); // arrives while a worker holds it
    assert.equal(q.length, 0, 'not handed out again while processing');
    const second = q.get();
    let got: string | undefined;
    void second.then((k) => (got = k));
    await new Promise((r) => setImmediate(r));
    assert.equal(got, undefined);
    q.done(first as string);
    assert.equal(await second, 'a');
    q.shutDown();
  });

  it('backs off a failing key exponentially and forgets on success', async () => {
    const q = new WorkQueue({ baseDelayMs: 20 });
    const started = Date.now();
    q.addRateLimited('k'); // 20 ms
    assert.equal(await q.get(), 'k');
    q.done('k');
    q.addRateLimited('k'); // 40 ms
    assert.equal(await q.get(), 'k');
    assert.ok(Date.now() - started >= 55, 'second retry waited for both back-offs');
    assert.equal(q.numRequeues('k'), 2);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.shutDown();
  });

  it('get() resolves undefined after shutDown', async () => {
    const q = new WorkQueue();
    const pending = q.get();
    q.shutDown();
    assert.equal(await pending, undefined);
  });
});
