// Event recording against a real apiserver: repeats of one event, even concurrent ones, become
// one Event whose count says how often it happened.
import assert from 'node:assert/strict';
import type { Event } from '../api/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { Clientset } from './clientset.js';
import { EventRecorder } from './events.js';

describe('EventRecorder', () => {
  let server: TestApiServer;
  let cs: Clientset;
  before(async () => {
    server = await startTestApiServer();
    cs = new Clientset({ server: server.url });
  });
  after(async () => {
    cs.close();
    await server.close();
  });

  it('concurrent repeats of one event make one Event with the full count', async () => {
    const rec = new EventRecorder(cs, 'test');
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u-1' } };
    await Promise.all(Array.from({ length: 5 }, () => rec.record(pod, 'Warning', 'BackOff', 'Back-off restarting')));
    const events = (await cs.events.list('default')).items.filter((e: Event) => e.involvedObject?.uid === 'u-1');
    assert.equal(events.length, 1, events.map((e) => e.metadata?.name).join(', '));
    assert.equal(events[0]?.count, 5);
  });
});
