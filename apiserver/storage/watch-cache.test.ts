// The watch cache on a real etcd: subscribers with a trigger are offered only the events of
// their value (before or after), which is what keeps 1,000 node watchers from each judging
// every pod event.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { KubeObject } from '../../api/resource.js';
import { testEtcdUrl } from '../../testing/etcd.js';
import { waitFor } from '../../testing/wait.js';
import { Store } from './store.js';
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
