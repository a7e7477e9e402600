// Watch streams as kubectl get -w and informers consume them: chunked NDJSON read incrementally.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testEtcdUrl } from '../testing/etcd.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { startApiServer, type ApiServer } from './index.js';
import { createLogger } from './log.js';
import { configMap, createNamespace, pod, show, TestClient, uniqueName, waitFor, type Obj, type WatchEvent, type WatchStream } from './client.testkit.js';

const named = (type: string, name: string) => (e: WatchEvent) => e.type === type && e.object?.metadata?.name === name;
const binding = (name: string, node: string) => ({ apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });

describe('apiserver watch', function () {
  let server: TestApiServer;
  let c: TestClient;
  const streams: WatchStream[] = [];

  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
  });

  afterEach(function () {
    for (const s of streams.splice(0)) s.close();
  });

  after(async function () {
    await server?.close();
  });

  async function watch(path: string): Promise<WatchStream> {
    const w = await c.watch(path);
    streams.push(w);
    return w;
  }

  it('without a resourceVersion sends ADDED for existing objects, then live ADDED, MODIFIED, DELETED', async function () {
    const ns = await createNamespace(c, 'w-live');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    assert.equal((await c.post(coll, configMap('existing'))).status, 201);

    const w = await watch(`${coll}?watch=true`);
    assert.equal(w.status, 200);
    assert.match(w.response.headers.get('content-type') ?? '', /application\/json/);
    const first = await w.next(undefined, 10_000, 'the ADDED event for the existing object');
    assert.equal(first.type, 'ADDED');
    assert.equal(first.object.metadata.name, 'existing');
    assert.equal(first.object.kind, 'ConfigMap');
    assert.equal(first.object.apiVersion, 'v1');

    const created = await c.post(coll, configMap('live', { a: '1' }));
    assert.equal(created.status, 201, show(created));
    const added = await w.next(undefined, 10_000, 'ADDED live');
    assert.equal(added.type, 'ADDED');
    assert.equal(added.object.metadata.name, 'live');
    assert.equal(added.object.metadata.resourceVersion, created.body.metadata.resourceVersion);

    const updated = await c.put(`${coll}/live`, { ...created.body, data: { a: '2' } });
    assert.equal(updated.status, 200, show(updated));
    const modified = await w.next(undefined, 10_000, 'MODIFIED live');
    assert.equal(modified.type, 'MODIFIED');
    assert.equal(modified.object.data.a, '2');
    assert.equal(modified.object.metadata.resourceVersion, updated.body.metadata.resourceVersion);

    assert.equal((await c.delete(`${coll}/live`)).status, 200);
    const deleted = await w.next(undefined, 10_000, 'DELETED live');
    assert.equal(deleted.type, 'DELETED');
    assert.equal(deleted.object.metadata.name, 'live');
    assert.deepEqual(w.summary(), ['ADDED existing', 'ADDED live', 'MODIFIED live', 'DELETED live']);
  });

  it('with resourceVersion=0 also starts with the current state', async function () {
    const ns = await createNamespace(c, 'w-zero');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    assert.equal((await c.post(coll, configMap('there'))).status, 201);
    const w = await watch(`${coll}?watch=true&resourceVersion=0`);
    const e = await w.next(undefined, 10_000, 'ADDED there');
    assert.equal(e.type, 'ADDED');
    assert.equal(e.object.metadata.name, 'there');
  });

  it('resumes from a resourceVersion with only the later events', async function () {
    const ns = await createNamespace(c, 'w-resume');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const a = await c.post(coll, configMap('a', { v: '1' }));
    assert.equal(a.status, 201, show(a));
    const a2 = await c.put(`${coll}/a`, { ...a.body, data: { v: '2' } });
    assert.equal(a2.status, 200, show(a2));
    const b = await c.post(coll, configMap('b'));
    assert.equal(b.status, 201, show(b));

    const w = await watch(`${coll}?watch=true&resourceVersion=${a.body.metadata.resourceVersion}`);
    const e1 = await w.next(undefined, 10_000, 'MODIFIED a');
    assert.equal(`${e1.type} ${e1.object.metadata.name}`, 'MODIFIED a');
    assert.equal(e1.object.metadata.resourceVersion, a2.body.metadata.resourceVersion);
    const e2 = await w.next(undefined, 10_000, 'ADDED b');
    assert.equal(`${e2.type} ${e2.object.metadata.name}`, 'ADDED b');

    // And live events keep coming after the replay.
    assert.equal((await c.post(coll, configMap('c'))).status, 201);
    const e3 = await w.next(undefined, 10_000, 'ADDED c');
    assert.equal(`${e3.type} ${e3.object.metadata.name}`, 'ADDED c');
    assert.deepEqual(w.summary(), ['MODIFIED a', 'ADDED b', 'ADDED c']);
  });

  it('resumes after a DELETED event from its resourceVersion without replaying the deletion', async function () {
    const ns = await createNamespace(c, 'w-delrv');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const created = await c.post(coll, configMap('doomed'));
    assert.equal(created.status, 201, show(created));
    const w = await watch(`${coll}?watch=true&resourceVersion=${created.body.metadata.resourceVersion}`);
    assert.equal((await c.delete(`${coll}/doomed`)).status, 200);
    const del = await w.next(named('DELETED', 'doomed'), 10_000, 'DELETED doomed');
    const delRv = Number(del.object.metadata.resourceVersion);
    assert.ok(delRv > Number(created.body.metadata.resourceVersion), `DELETED carries resourceVersion ${delRv}`);
    w.close();

    const resumed = await watch(`${coll}?watch=true&resourceVersion=${delRv}`);
    assert.equal((await c.post(coll, configMap('next'))).status, 201);
    const e = await resumed.next(undefined, 10_000, 'ADDED next');
    assert.equal(`${e.type} ${e.object.metadata.name}`, 'ADDED next');
  });

  it('watches a kind across namespaces at /api/v1/configmaps and a cluster-scoped kind at /api/v1/nodes', async function () {
    const run = uniqueName('run');
    const ns1 = await createNamespace(c, 'w-all-a');
    const ns2 = await createNamespace(c, 'w-all-b');
    const w = await watch(`/api/v1/configmaps?watch=true&labelSelector=run%3D${run}`);
    for (const ns of [ns1, ns2]) assert.equal((await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('x', {}, { run }))).status, 201);
    const a = await w.next(undefined, 10_000, 'the first ADDED');
    const b = await w.next(undefined, 10_000, 'the second ADDED');
    assert.deepEqual([a.object.metadata.namespace, b.object.metadata.namespace].sort(), [ns1, ns2].sort());

    const node = uniqueName('node');
    const nodes = await watch(`/api/v1/nodes?watch=true&fieldSelector=metadata.name%3D${node}`);
    assert.equal((await c.post('/api/v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: node } })).status, 201);
    const e = await nodes.next(undefined, 10_000, `ADDED ${node}`);
    assert.equal(`${e.type} ${e.object.metadata.name}`, `ADDED ${node}`);
    assert.equal(e.object.kind, 'Node');
  });

  it('delivers changes made between a list and a watch from the list’s resourceVersion (the informer contract)', async function () {
    const ns = await createNamespace(c, 'w-inform');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    assert.equal((await c.post(coll, configMap('listed'))).status, 201);
    const list = await c.get(coll);
    assert.deepEqual((list.body.items as Obj[]).map((o) => o.metadata.name), ['listed']);
    assert.equal((await c.post(coll, configMap('between'))).status, 201);
    const w = await watch(`${coll}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}&allowWatchBookmarks=true`);
    const e = await w.next((x) => x.type !== 'BOOKMARK', 10_000, 'ADDED between');
    assert.equal(`${e.type} ${e.object.metadata.name}`, 'ADDED between');
  });

  it('delivers every one of many concurrent writes once, in resourceVersion order', async function () {
    const ns = await createNamespace(c, 'w-burst');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const w = await watch(`${coll}?watch=true`);
    const count = 25;
    const results = await Promise.all(Array.from({ length: count }, (_, i) => c.post(coll, configMap(`burst-${i}`))));
    assert.ok(results.every((r) => r.status === 201), results.filter((r) => r.status !== 201).map(show).join('\n'));
    const got: WatchEvent[] = [];
    for (let i = 0; i < count; i++) got.push(await w.next(undefined, 15_000, `event ${i + 1} of ${count}`));
    assert.ok(got.every((e) => e.type === 'ADDED'), w.summary().join(', '));
    assert.equal(new Set(got.map((e) => e.object.metadata.name)).size, count, 'duplicate or missing events');
    const rvs = got.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual(rvs, [...rvs].sort((a, b) => a - b), 'events out of resourceVersion order');
  });

  it('does not show another namespace’s events on a namespaced watch', async function () {
    const mine = await createNamespace(c, 'w-mine');
    const other = await createNamespace(c, 'w-other');
    const w = await watch(`/api/v1/namespaces/${mine}/configmaps?watch=true`);
    assert.equal((await c.post(`/api/v1/namespaces/${other}/configmaps`, configMap('elsewhere'))).status, 201);
    assert.equal((await c.post(`/api/v1/namespaces/${mine}/configmaps`, configMap('here'))).status, 201);
    const e = await w.next(undefined, 10_000, 'ADDED here');
    assert.equal(`${e.type} ${e.object.metadata.name}`, 'ADDED here');
  });

  it('sends DELETED when an object stops matching a label-selector watch, ADDED when it matches again', async function () {
    const ns = await createNamespace(c, 'w-labels');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const w = await watch(`${coll}?watch=true&labelSelector=color%3Dblue`);
    const created = await c.post(coll, configMap('shifty', {}, { color: 'blue' }));
    assert.equal(created.status, 201, show(created));
    assert.equal((await w.next(undefined, 10_000, 'ADDED shifty')).type, 'ADDED');

    const red = await c.patch(`${coll}/shifty`, { metadata: { labels: { color: 'red' } } }, 'application/merge-patch+json');
    assert.equal(red.status, 200, show(red));
    const gone = await w.next(undefined, 10_000, 'DELETED shifty');
    assert.equal(gone.type, 'DELETED');
    assert.equal(gone.object.metadata.name, 'shifty');

    const blue = await c.patch(`${coll}/shifty`, { metadata: { labels: { color: 'blue' } } }, 'application/merge-patch+json');
    assert.equal(blue.status, 200, show(blue));
    const back = await w.next(undefined, 10_000, 'ADDED shifty again');
    assert.equal(back.type, 'ADDED');
    assert.equal(back.object.metadata.labels.color, 'blue');
  });

  it('filters a watch by fieldSelector=metadata.name', async function () {
    const ns = await createNamespace(c, 'w-name');
    const coll = `/api/v1/namespaces/${ns}/configmaps`;
    const w = await watch(`${coll}?watch=true&fieldSelector=metadata.name%3Dtarget`);
    const other = await c.post(coll, configMap('target-2'));
    assert.equal(other.status, 201, show(other));
    const target = await c.post(coll, configMap('target'));
    assert.equal(target.status, 201, show(target));
    assert.equal((await c.patch(`${coll}/target-2`, { data: { x: '1' } }, 'application/merge-patch+json')).status, 200);
    assert.equal((await c.patch(`${coll}/target`, { data: { x: '1' } }, 'application/merge-patch+json')).status, 200);
    await w.next(named('MODIFIED', 'target'), 10_000, 'MODIFIED target');
    assert.deepEqual(w.summary(), ['ADDED target', 'MODIFIED target']);
  });

  it('sends a BOOKMARK with allowWatchBookmarks=true', async function () {
    this.timeout(45_000);
    const ns = await createNamespace(c, 'w-bookmark');
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&allowWatchBookmarks=true`);
    const e = await w.next((x) => x.type === 'BOOKMARK', 30_000, 'a BOOKMARK');
    assert.equal(e.object.kind, 'ConfigMap');
    assert.match(e.object.metadata.resourceVersion, /^[1-9]\d*$/);
  });

  it('ends the stream after timeoutSeconds', async function () {
    const ns = await createNamespace(c, 'w-timeout');
    const w = await watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&timeoutSeconds=1`);
    assert.equal(w.status, 200);
    await w.waitEnd(15_000);
  });

  describe('by an indexed field (watch cache triggers: kubelets watch spec.nodeName=<node>)', function () {
    async function create(coll: string, body: Obj): Promise<Obj> {
      const r = await c.post(coll, body);
      assert.equal(r.status, 201, show(r));
      return r.body;
    }

    it('a pod bound to a node leaves the unassigned watch (DELETED) and arrives at its node’s (ADDED); other nodes see nothing', async function () {
      const ns = await createNamespace(c, 'wt-bind');
      const coll = `/api/v1/namespaces/${ns}/pods`;
      const [a, b] = [uniqueName('node-a'), uniqueName('node-b')];
      const onA = await watch(`/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3D${a}`);
      const onB = await watch(`/api/v1/pods?watch=true&fieldSelector=spec.nodeName%3D${b}`);
      const unassigned = await watch(`${coll}?watch=true&fieldSelector=spec.nodeName%3D`);
      const all = await watch(`${coll}?watch=true`);

      await create(coll, pod('p1'));
      assert.equal((await c.post(`${coll}/p1/binding`, binding('p1', a))).status, 201);
      const running = await c.patch(`${coll}/p1/status`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
      assert.equal(running.status, 200, show(running));
      assert.equal((await c.delete(`${coll}/p1?gracePeriodSeconds=0`)).status, 200);
      // One last pod per watcher tells when each has received everything before it.
      await create(coll, pod('last-a', { spec: { nodeName: a } }));
      await create(coll, pod('last-b', { spec: { nodeName: b } }));
      await create(coll, pod('last-unassigned'));

      await onA.next(named('ADDED', 'last-a'), 10_000, 'ADDED last-a');
      await onB.next(named('ADDED', 'last-b'), 10_000, 'ADDED last-b');
      await unassigned.next(named('ADDED', 'last-unassigned'), 10_000, 'ADDED last-unassigned');
      await all.next(named('ADDED', 'last-unassigned'), 10_000, 'ADDED last-unassigned');
      assert.deepEqual(onA.summary(), ['ADDED p1', 'MODIFIED p1', 'DELETED p1', 'ADDED last-a']);
      assert.deepEqual(onB.summary(), ['ADDED last-b']);
      assert.deepEqual(unassigned.summary(), ['ADDED p1', 'DELETED p1', 'ADDED last-unassigned']);
      assert.deepEqual(all.summary(), ['ADDED p1', 'MODIFIED p1', 'MODIFIED p1', 'DELETED p1', 'ADDED last-a', 'ADDED last-b', 'ADDED last-unassigned']);
      // The DELETED sent when p1 left the unassigned selection carries the binding's version.
      const left = unassigned.events[1]!;
      assert.equal(left.object.metadata.resourceVersion, onA.events[0]!.object.metadata.resourceVersion);
    });

    it('a pod whose status.phase changes moves from the Pending watch to the Running watch', async function () {
      const ns = await createNamespace(c, 'wt-phase');
      const coll = `/api/v1/namespaces/${ns}/pods`;
      const pending = await watch(`${coll}?watch=true&fieldSelector=status.phase%3DPending`);
      const running = await watch(`${coll}?watch=true&fieldSelector=status.phase%3DRunning`);
      // A label selector on top of the pinned field is still applied.
      const labelled = await watch(`${coll}?watch=true&fieldSelector=status.phase%3DRunning&labelSelector=tier%3Dweb`);

      await create(coll, pod('web', { labels: { tier: 'web' } }));
      await create(coll, pod('db', { labels: { tier: 'db' } }));
      for (const name of ['web', 'db']) {
        const r = await c.patch(`${coll}/${name}/status`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
        assert.equal(r.status, 200, show(r));
      }
      await pending.next(named('DELETED', 'db'), 10_000, 'DELETED db');
      await running.next(named('ADDED', 'db'), 10_000, 'ADDED db');
      await labelled.next(named('ADDED', 'web'), 10_000, 'ADDED web');
      assert.deepEqual(pending.summary(), ['ADDED web', 'ADDED db', 'DELETED web', 'DELETED db']);
      assert.deepEqual(running.summary(), ['ADDED web', 'ADDED db']);
      assert.equal(running.events[0]!.object.status.phase, 'Running');
      assert.equal(pending.events[2]!.object.status.phase, 'Pending', 'DELETED shows the object as it last matched');
      // Nothing more arrives for the labelled watch: db is not tier=web.
      await create(coll, pod('sentinel', { labels: { tier: 'web' } }));
      const r = await c.patch(`${coll}/sentinel/status`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
      assert.equal(r.status, 200, show(r));
      await labelled.next(named('ADDED', 'sentinel'), 10_000, 'ADDED sentinel');
      assert.deepEqual(labelled.summary(), ['ADDED web', 'ADDED sentinel']);
    });

    it('resumes from a resourceVersion with exactly the later events of its node, in order', async function () {
      const ns = await createNamespace(c, 'wt-resume');
      const coll = `/api/v1/namespaces/${ns}/pods`;
      const node = uniqueName('node');
      const before = await create(coll, pod('before', { spec: { nodeName: node } }));
      const from: string = before.metadata.resourceVersion;
      await create(coll, pod('elsewhere', { spec: { nodeName: uniqueName('other') } }));
      await create(coll, pod('moved'));
      assert.equal((await c.post(`${coll}/moved/binding`, binding('moved', node))).status, 201);
      assert.equal((await c.delete(`${coll}/before?gracePeriodSeconds=0`)).status, 200);

      const w = await watch(`/api/v1/pods?watch=true&resourceVersion=${from}&fieldSelector=spec.nodeName%3D${node}`);
      await w.next(named('DELETED', 'before'), 10_000, 'DELETED before');
      await create(coll, pod('live', { spec: { nodeName: node } }));
      await w.next(named('ADDED', 'live'), 10_000, 'ADDED live');
      assert.deepEqual(w.summary(), ['ADDED moved', 'DELETED before', 'ADDED live']);
      const revs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
      assert.deepEqual(revs, [...revs].sort((x, y) => x - y));
      assert.ok(revs[0]! > Number(from));
    });
  });

  describe('with a small watch cache', function () {
    let small: ApiServer;
    let sc: TestClient;

    before(async function () {
      small = await startApiServer({
        etcdServers: [testEtcdUrl()],
        port: 0,
        etcdPrefix: `/t-${randomBytes(6).toString('hex')}/registry`,
        watchCacheSize: 5,
        log: createLogger('apiserver-test', 'silent'),
      });
      sc = new TestClient(small.url);
    });

    after(async function () {
      await small?.close();
    });

    it('answers a too-old resourceVersion with 410 Expired, and a fresh watch still works', async function () {
      const coll = '/api/v1/namespaces/default/configmaps';
      const list = await sc.get(coll);
      assert.equal(list.status, 200, show(list));
      const oldRv: string = list.body.metadata.resourceVersion;
      for (let i = 0; i < 12; i++) {
        const r = await sc.post(coll, configMap(uniqueName('churn')));
        assert.equal(r.status, 201, show(r));
      }
      // The cache learns of the writes asynchronously: retry until it has moved past oldRv.
      const expired = await waitFor('a 410 for a too-old resourceVersion', async () => {
        const w = await sc.watch(`${coll}?watch=true&resourceVersion=${oldRv}`);
        streams.push(w);
        try {
          const e = await w.next(undefined, 2_000, 'the first event or status');
          const status: Obj = w.status === 410 ? e.object : e.type === 'ERROR' ? e.object : {};
          return status.code === 410 ? { http: w.status, status } : undefined;
        } catch {
          return w.status === 410 ? { http: 410, status: { code: 410, reason: 'Expired', kind: 'Status' } } : undefined;
        } finally {
          w.close();
        }
      }, 20_000, 200);
      assert.equal(expired.status.kind, 'Status');
      assert.equal(expired.status.code, 410);
      assert.ok(expired.status.reason === 'Expired' || expired.status.reason === 'Gone', JSON.stringify(expired.status));

      // An informer then relists and watches from the list's version.
      const fresh = await sc.get(coll);
      const w = await sc.watch(`${coll}?watch=true&resourceVersion=${fresh.body.metadata.resourceVersion}`);
      streams.push(w);
      assert.equal(w.status, 200);
      assert.equal((await sc.post(coll, configMap('after-relist'))).status, 201);
      await w.next(named('ADDED', 'after-relist'), 10_000, 'ADDED after-relist');
    });

    it('answers a too-old resourceVersion on a node’s watch with 410, and a fresh one is routed by node', async function () {
      const coll = '/api/v1/namespaces/default/pods';
      const node = uniqueName('node');
      const oldRv: string = (await sc.get(coll)).body.metadata.resourceVersion;
      for (let i = 0; i < 8; i++) assert.equal((await sc.post(coll, pod(uniqueName('churn'), { spec: { nodeName: node } }))).status, 201);
      const code = await waitFor('a 410 for a too-old resourceVersion', async () => {
        const w = await sc.watch(`/api/v1/pods?watch=true&resourceVersion=${oldRv}&fieldSelector=spec.nodeName%3D${node}`);
        try {
          const e = await w.next(undefined, 2_000, 'the first event');
          return e.type === 'ERROR' && e.object.code === 410 ? 410 : undefined;
        } catch {
          return undefined;
        } finally {
          w.close();
        }
      }, 20_000, 200);
      assert.equal(code, 410);

      const fresh: string = (await sc.get(coll)).body.metadata.resourceVersion;
      const w = await sc.watch(`/api/v1/pods?watch=true&resourceVersion=${fresh}&fieldSelector=spec.nodeName%3D${node}`);
      streams.push(w);
      assert.equal((await sc.post(coll, pod('not-mine', { spec: { nodeName: uniqueName('other') } }))).status, 201);
      assert.equal((await sc.post(coll, pod('mine', { spec: { nodeName: node } }))).status, 201);
      await w.next(named('ADDED', 'mine'), 10_000, 'ADDED mine');
      assert.deepEqual(w.summary(), ['ADDED mine']);
    });
  });
});
