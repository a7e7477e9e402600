// The watch cache on a real etcd: subscribers with a trigger are offered only the events of
// their value (before or after), which is what keeps 1,000 node watchers from each judging
// every pod event.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../api/resource.js';
import { testEtcdUrl } from '../../testing/etcd.js';
import { waitFor } from '../../testing/wait.js';
import { Store, type ListResult } from './store.js';
import { WatchCache, type CacheEvent, type Trigger } from './watch-cache.js';

const nodeOf = (o: KubeObject) => String((o.spec as { nodeName?: string } | undefined)?.nodeName ?? '');

describe('watch cache triggers', function () {
  let store: Store;
  let cache: WatchCache;
  const root = `/t-${randomBytes(6).toString('hex')}/`;
  const pods = `${root}pods/`;

  before(async function () {
    store = new Store([testEtcdUrl()]);
    cache = new WatchCache(store.client, root, 1000, () => store.currentRevision());
    await cache.start(await store.currentRevision());
  });

  after(async function () {
    await cache.stop();
    store.close();
  });

  const trigger = (value: string): Trigger => ({ scope: pods, field: 'spec.nodeName', value, get: nodeOf });
  const pod = (name: string, nodeName?: string): KubeObject =>
    ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'ns' }, spec: { ...(nodeName !== undefined ? { nodeName } : {}) } }) as KubeObject;

  it('offers each event only to the subscribers of its old and new value, and all to the plain ones', async function () {
    const offered = new Map<string, string[]>();
    const record = (who: string) => (ev: CacheEvent) => offered.set(who, [...(offered.get(who) ?? []), `${ev.type} ${ev.key.slice(pods.length)}`]);
    const from = await store.currentRevision();
    const subs = [
      cache.subscribe(pods, from, record('a'), { trigger: trigger('a') }),
      cache.subscribe(pods, from, record('b'), { trigger: trigger('b') }),
      cache.subscribe(pods, from, record('unassigned'), { trigger: trigger('') }),
      cache.subscribe(`${pods}other-ns/`, from, record('a, other namespace'), { trigger: trigger('a') }),
      cache.subscribe(pods, from, record('plain')),
    ];
    assert.equal(cache.watcherCount, 5);

    await store.create(`${pods}ns/p1`, pod('p1'));
    await store.guaranteedUpdate(`${pods}ns/p1`, (o) => ({ ...o, spec: { nodeName: 'a' } }));
    await store.guaranteedUpdate(`${pods}ns/p1`, (o) => ({ ...o, spec: { nodeName: 'b' } }));
    await store.guaranteedUpdate(`${pods}ns/p1`, () => null);
    await store.create(`${pods}ns/last`, pod('last', 'zzz'));
    await waitFor('the last event', () => offered.get('plain')?.includes('put ns/last'), 10_000);

    assert.deepEqual(offered.get('plain'), ['put ns/p1', 'put ns/p1', 'put ns/p1', 'delete ns/p1', 'put ns/last']);
    assert.deepEqual(offered.get('unassigned'), ['put ns/p1', 'put ns/p1']);
    assert.deepEqual(offered.get('a'), ['put ns/p1', 'put ns/p1']);
    assert.deepEqual(offered.get('b'), ['put ns/p1', 'delete ns/p1']);
    assert.equal(offered.get('a, other namespace'), undefined);

    for (const unsubscribe of subs) unsubscribe!();
    assert.equal(cache.watcherCount, 0);
  });
});

describe('watch cache lists', function () {
  let store: Store;
  let cache: WatchCache;
  const root = `/t-${randomBytes(6).toString('hex')}/`;
  const cms = `${root}configmaps/`;
  const cm = (ns: string, name: string, app: string): KubeObject =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { app } }, data: { n: name } }) as KubeObject;

  before(async function () {
    store = new Store([testEtcdUrl()]);
    // Objects written before the cache starts are loaded; later ones arrive through the watch.
    for (let i = 0; i < 12; i++) await store.create(`${cms}ns-a/early-${String(i).padStart(2, '0')}`, cm('ns-a', `early-${i}`, i % 2 ? 'odd' : 'even'));
    cache = new WatchCache(store.client, root, 1000, () => store.currentRevision());
    await cache.start(await store.currentRevision());
    for (let i = 0; i < 12; i++) await store.create(`${cms}ns-b/late-${String(i).padStart(2, '0')}`, cm('ns-b', `late-${i}`, i % 2 ? 'odd' : 'even'));
    await store.guaranteedUpdate(`${cms}ns-a/early-03`, () => null);
    await store.guaranteedUpdate(`${cms}ns-b/late-04`, (o) => ({ ...o, data: { n: 'changed' } }));
    await store.create(`${root}pods/ns-a/not-a-configmap`, cm('ns-a', 'x', 'odd'));
    const rev = await store.currentRevision();
    await cache.waitFor(rev, 10_000);
    assert.ok(cache.revision >= rev);
  });

  after(async function () {
    await cache.stop();
    store.close();
  });

  /** Every page of a list, with its continue key and remaining count. */
  async function pages(list: (startKey?: string) => Promise<ListResult>): Promise<Array<{ names: string[]; next?: string; remaining?: number }>> {
    const out = [];
    let startKey: string | undefined;
    do {
      const page = await list(startKey);
      out.push({ names: page.items.map((o) => `${o.metadata.namespace}/${o.metadata.name}@${o.metadata.resourceVersion}`), next: page.nextKey, remaining: page.remaining });
      startKey = page.nextKey;
    } while (startKey && out.length < 50);
    return out;
  }

  for (const [what, prefix, limit, filter] of [
    ['a whole collection', cms, 0, undefined],
    ['a collection in pages of 5', cms, 5, undefined],
    ['one namespace in pages of 4', `${cms}ns-b/`, 4, undefined],
    ['a label filter in pages of 3', cms, 3, (o: KubeObject) => o.metadata.labels?.app === 'odd'],
    ['one key', `${cms}ns-b/late-04`, 0, undefined],
  ] as const) {
    it(`pages ${what} exactly as etcd does at the same revision`, async function () {
      const revision = cache.revision;
      const opts = { ...(limit ? { limit } : {}), ...(filter ? { filter } : {}) };
      const fromCache = await pages((startKey) => cache.list(prefix, { ...opts, ...(startKey ? { startKey } : {}) }));
      const fromEtcd = await pages((startKey) => store.list(prefix, { ...opts, revision, ...(startKey ? { startKey } : {}) }));
      assert.deepEqual(fromCache, fromEtcd);
      assert.ok(fromCache.flatMap((p) => p.names).length > 0);
    });
  }
});
