// The client library against a real apiserver and etcd.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ConfigMap } from '../api/index.js';
import { startApiServer, type ApiServer } from '../apiserver/index.js';
import { testEtcdUrl } from '../testing/etcd.js';
import { Clientset } from './clientset.js';
import { Controller, done, retry, requeueAfter } from './controller.js';
import { ApiError, isConflict, isNotFound } from './errors.js';
import { EventRecorder } from './events.js';
import { InformerFactory } from './informer-factory.js';
import { sleep } from './informer.js';
import { LeaderElector } from './leader.js';

async function eventually(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

const cm = (name: string, data: Record<string, string> = {}, labels: Record<string, string> = { app: 'x' }): ConfigMap => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data,
});

describe('client library', function () {
  let server: ApiServer;
  let prefix: string;
  let cs: Clientset;
  const ns = 'default';

  beforeEach(async () => {
    prefix = `/t-${randomBytes(6).toString('hex')}/registry`;
    server = await startApiServer({ etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: prefix, watchCacheSize: 20 });
    cs = new Clientset({ server: server.url });
  });
  afterEach(async () => {
    cs.close();
    await server.close();
  });

  it('creates, reads, updates, patches and deletes, with typed errors', async () => {
    const created = await cs.configMaps.create(ns, cm('one', { a: '1' }));
    assert.equal(created.metadata?.namespace, ns);
    const got = await cs.configMaps.get(ns, 'one');
    assert.deepEqual(got.data, { a: '1' });
    await cs.configMaps.update({ ...got, data: { a: '2' } });
    // A stale resourceVersion is a conflict, told apart from other failures.
    await assert.rejects(cs.configMaps.update({ ...got, data: { a: '3' } }), (err) => isConflict(err));
    const patched = await cs.configMaps.patch(ns, 'one', { data: { b: '2' } });
    assert.deepEqual(patched.data, { a: '2', b: '2' });
    await cs.configMaps.delete(ns, 'one');
    await assert.rejects(cs.configMaps.get(ns, 'one'), (err) => isNotFound(err) && (err as ApiError).reason === 'NotFound');
  });

  it('lists every page at one resourceVersion', async () => {
    for (let i = 0; i < 7; i++) await cs.configMaps.create(ns, cm(`p${i}`));
    const all = await cs.configMaps.listAll(ns, { pageSize: 3, labelSelector: 'app=x' });
    assert.equal(all.items.length, 7);
    assert.ok(all.metadata.resourceVersion);
  });

  it('informer: fills its cache, reports add/update/delete, and indexes', async () => {
    const factory = new InformerFactory(cs);
    const inf = factory.informer<ConfigMap>('configmaps', { labelSelector: 'app=x' });
    inf.addIndexer('tier', (o) => [o.metadata?.labels?.tier ?? '']);
    const seen: string[] = [];
    inf.on({
      add: (o) => seen.push(`add ${o.metadata?.name}`),
      update: (_, o) => seen.push(`update ${o.metadata?.name}`),
      delete: (o) => seen.push(`delete ${o.metadata?.name}`),
    });
    await cs.configMaps.create(ns, cm('before'));
    await factory.start();
    assert.ok(inf.store.get(`${ns}/before`));
    await cs.configMaps.create(ns, cm('after', {}, { app: 'x', tier: 'web' }));
    await cs.configMaps.create(ns, cm('other', {}, { app: 'y' }));
    await cs.configMaps.patch(ns, 'before', { data: { k: 'v' } });
    await cs.configMaps.delete(ns, 'before');
    await eventually('all events', () => seen.length >= 4);
    assert.deepEqual(seen, ['add before', 'add after', 'update before', 'delete before']);
    assert.deepEqual(inf.store.byIndex('tier', 'web').map((o) => o.metadata?.name), ['after']);
    factory.stop();
  });

  it('informer: resumes after an apiserver restart and relists on 410, seeing what changed meanwhile', async () => {
    const factory = new InformerFactory(cs);
    const inf = factory.informer<ConfigMap>('configmaps');
    const deleted: string[] = [];
    inf.on({ delete: (o) => deleted.push(o.metadata?.name ?? '') });
    await cs.configMaps.create(ns, cm('keep'));
    await cs.configMaps.create(ns, cm('gone'));
    await factory.start();
    const port = server.port;
    await server.close();
    // While this apiserver is down, another one changes the data.
    const other = await startApiServer({ etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: prefix });
    const cs2 = new Clientset({ server: other.url });
    await cs2.configMaps.delete(ns, 'gone');
    for (let i = 0; i < 30; i++) await cs2.configMaps.create(ns, cm(`new${i}`));
    cs2.close();
    await other.close();
    // The first apiserver comes back on the same port with a fresh watch cache: the informer's
    // old resourceVersion is too old for it (410), so the informer relists.
    server = await startApiServer({ etcdServers: [testEtcdUrl()], port, etcdPrefix: prefix, watchCacheSize: 20 });
    await eventually('relist after restart', () => inf.store.size === 31, 30_000);
    assert.deepEqual(deleted, ['gone']);
    await cs.configMaps.create(ns, cm('later'));
    await eventually('watch resumed', () => inf.store.get(`${ns}/later`) !== undefined);
    factory.stop();
  });

  it('controller: one reconcile per burst of changes, retries on failure, requeues after a delay', async () => {
    const factory = new InformerFactory(cs);
    const inf = factory.informer<ConfigMap>('configmaps');
    const calls = new Map<string, number>();
    let failOnce = true;
    const ctrl = new Controller({
      name: 'test',
      reconcile: async (key) => {
        calls.set(key, (calls.get(key) ?? 0) + 1);
        if (key.endsWith('/flaky') && failOnce) {
          failOnce = false;
          return retry(new Error('transient'));
        }
        if (key.endsWith('/later') && calls.get(key) === 1) return requeueAfter(50);
        return done;
      },
    }).watch(inf);
    const stop = new AbortController();
    const running = ctrl.run(stop.signal);
    await factory.start();
    await cs.configMaps.create(ns, cm('flaky'));
    await cs.configMaps.create(ns, cm('later'));
    await eventually('flaky retried', () => (calls.get(`${ns}/flaky`) ?? 0) >= 2);
    await eventually('later requeued', () => (calls.get(`${ns}/later`) ?? 0) >= 2);
    stop.abort();
    await running;
    factory.stop();
  });

  it('leader election: one leader at a time; a released lease passes at once, a dead leader after its lease', async function () {
    const mk = (identity: string): LeaderElector =>
      new LeaderElector({ clientset: cs, namespace: ns, name: 'lock', identity, leaseDurationMs: 1500, renewDeadlineMs: 1000, retryPeriodMs: 200 });
    const leading = new Set<string>();
    let overlap = false;
    const campaign = (id: string, signal: AbortSignal): Promise<void> =>
      mk(id).run({
        onStartedLeading: async (s) => {
          if (leading.size > 0) overlap = true;
          leading.add(id);
          await new Promise<void>((r) => s.addEventListener('abort', () => r(), { once: true }));
          leading.delete(id);
        },
      }, signal);
    const a = new AbortController();
    const b = new AbortController();
    const ra = campaign('a', a.signal);
    await eventually('a leads', () => leading.has('a'));
    const rb = campaign('b', b.signal);
    await sleep(600); // b campaigns several retry periods against a live leader
    assert.deepEqual([...leading], ['a']);
    const released = Date.now();
    a.abort(); // a releases on shutdown
    await ra;
    await eventually('b leads', () => leading.has('b'));
    assert.ok(Date.now() - released < 1500, 'took over before the lease would have expired');
    assert.equal(overlap, false);
    b.abort();
    await rb;
    const lease = await cs.leases.get(ns, 'lock');
    assert.equal(lease.spec?.holderIdentity, '', 'released on shutdown');
    // A holder that died without releasing: taken over once its lease runs out on our clock.
    await cs.leases.update({ ...lease, spec: { ...lease.spec, holderIdentity: 'dead', leaseDurationSeconds: 1, renewTime: new Date().toISOString() } });
    const c = new AbortController();
    const rc = campaign('c', c.signal);
    await sleep(400);
    assert.equal(leading.size, 0, 'no one leads while the dead holder\'s lease runs');
    await eventually('c takes over', () => leading.has('c'));
    c.abort();
    await rc;
    assert.equal(overlap, false);
  });

  it('event recorder: repeats bump the count of one Event', async () => {
    const obj = await cs.configMaps.create(ns, cm('subject'));
    const rec = new EventRecorder(cs, 'tester', 'host1');
    await rec.record({ ...obj, kind: 'ConfigMap', apiVersion: 'v1' }, 'Warning', 'Broken', 'it broke');
    await rec.record({ ...obj, kind: 'ConfigMap', apiVersion: 'v1' }, 'Warning', 'Broken', 'it broke');
    const events = await cs.events.list(ns, { fieldSelector: 'involvedObject.name=subject' });
    assert.equal(events.items.length, 1);
    assert.equal(events.items[0]?.count, 2);
    assert.equal(events.items[0]?.source?.component, 'tester');
  });
});
