import assert from 'node:assert/strict';
import { makePod } from './fixtures.testkit.js';
import { newPodInfo } from './pod-info.js';
import { SchedulingQueue } from './queue.js';

function clockQueue(): { q: SchedulingQueue; tick: (ms: number) => void } {
  let t = 1000;
  return { q: new SchedulingQueue({ now: () => t }), tick: (ms) => (t += ms) };
}

describe('scheduling queue', () => {
  it('pops by priority, then by time queued', () => {
    const { q, tick } = clockQueue();
    q.add(newPodInfo(makePod({ name: 'old-low', priority: 0 })));
    tick(1);
    q.add(newPodInfo(makePod({ name: 'high', priority: 100 })));
    tick(1);
    q.add(newPodInfo(makePod({ name: 'new-low', priority: 0 })));
    const order = [q.tryPop(), q.tryPop(), q.tryPop()].map((x) => x?.info.pod.metadata?.name);
    assert.deepEqual(order, ['high', 'old-low', 'new-low']);
    assert.equal(q.tryPop(), undefined);
  });

  it('backs off failed pods 1 s doubling to 10 s', () => {
    const { q, tick } = clockQueue();
    q.add(newPodInfo(makePod({ name: 'p' })));
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = q.tryPop()!;
      q.failed(p, false);
      let waited = 0;
      while (q.pendingActive === 0) {
        tick(500);
        waited += 500;
        q.flush();
      }
      waits.push(waited);
    }
    assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10000, 10000]);
  });

  it('parks unschedulable pods until a cluster event, then after back-off they return', () => {
    const { q, tick } = clockQueue();
    q.add(newPodInfo(makePod({ name: 'p' })));
    q.failed(q.tryPop()!, true);
    tick(5000);
    q.flush();
    assert.equal(q.pendingActive, 0, 'still unschedulable without an event');
    q.moveAllToActiveOrBackoff();
    assert.equal(q.tryPop()?.info.key, 'default/p');
  });

  it('retries unschedulable pods after 60 s without events', () => {
    const { q, tick } = clockQueue();
    q.add(newPodInfo(makePod({ name: 'p' })));
    q.failed(q.tryPop()!, true);
    tick(59_000);
    q.flush();
    assert.equal(q.pendingActive, 0);
    tick(1000);
    q.flush();
    assert.equal(q.pendingActive, 1);
  });

  it('a cluster event during the attempt sends the pod to back-off instead of parking it', () => {
    const { q, tick } = clockQueue();
    q.add(newPodInfo(makePod({ name: 'p' })));
    const p = q.tryPop()!;
    q.moveAllToActiveOrBackoff();
    q.failed(p, true);
    tick(1000);
    q.flush();
    assert.equal(q.pendingActive, 1);
  });

  it('drops deleted pods, including one deleted while in flight', () => {
    const { q } = clockQueue();
    q.add(newPodInfo(makePod({ name: 'a' })));
    q.add(newPodInfo(makePod({ name: 'b' })));
    q.delete('default/a');
    const b = q.tryPop()!;
    assert.equal(b.info.key, 'default/b');
    q.delete('default/b');
    q.failed(b, true);
    q.moveAllToActiveOrBackoff();
    assert.equal(q.size, 0);
    assert.equal(q.pendingActive, 0);
  });

  it('pop() waits for a pod and resolves undefined on close', async () => {
    const { q } = clockQueue();
    const waiting = q.pop();
    q.add(newPodInfo(makePod({ name: 'p' })));
    assert.equal((await waiting)?.info.key, 'default/p');
    const again = q.pop();
    q.close();
    assert.equal(await again, undefined);
  });
});
