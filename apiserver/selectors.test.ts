// Lists: label and field selectors, limit/continue pagination, cluster-wide collections.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { testEtcdUrl } from '../testing/etcd.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { startApiServer, type ApiServer } from './index.js';
import { createLogger } from './log.js';
import { configMap, createNamespace, pod, show, TestClient, uniqueName, waitFor, type Obj } from './client.testkit.js';

function names(list: Obj): string[] {
  return (list.items as Obj[]).map((o) => o.metadata.name as string).sort();
}

describe('apiserver list selectors and pagination', function () {
  let server: TestApiServer;
  let c: TestClient;

  before(async function () {
    server = await startTestApiServer();
    c = new TestClient(server.url);
  });

  after(async function () {
    await server?.close();
  });

  describe('label selectors', function () {
    let ns: string;
    before(async function () {
      ns = await createNamespace(c, 'labels');
      const objs = [
        configMap('a', {}, { app: 'web', tier: 'front' }),
        configMap('b', {}, { app: 'web', tier: 'back' }),
        configMap('c', {}, { app: 'db' }),
        configMap('d', {}),
      ];
      for (const o of objs) {
        const r = await c.post(`/api/v1/namespaces/${ns}/configmaps`, o);
        assert.equal(r.status, 201, show(r));
      }
    });

    const cases: [string, string[]][] = [
      ['app=web', ['a', 'b']],
      ['app==web', ['a', 'b']],
      ['app!=web', ['c', 'd']],
      ['tier in (front,middle)', ['a']],
      ['tier notin (front)', ['b', 'c', 'd']],
      ['tier', ['a', 'b']],
      ['!tier', ['c', 'd']],
      ['app=web,tier!=back', ['a']],
      ['app in (web,db),!tier', ['c']],
    ];
    for (const [selector, want] of cases) {
      it(`labelSelector=${selector} selects ${want.join(',')}`, async function () {
        const r = await c.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=${encodeURIComponent(selector)}`);
        assert.equal(r.status, 200, show(r));
        assert.deepEqual(names(r.body), want);
      });
    }

    it('rejects a malformed label selector with 400', async function () {
      const r = await c.get(`/api/v1/namespaces/${ns}/configmaps?labelSelector=${encodeURIComponent('app in (web')}`);
      assert.equal(r.status, 400, show(r));
      assert.equal(r.body.kind, 'Status');
      assert.equal(r.body.reason, 'BadRequest');
    });
  });

  describe('field selectors', function () {
    let ns: string;
    before(async function () {
      ns = await createNamespace(c, 'fields');
      const post = async (path: string, body: Obj) => {
        const r = await c.post(`/api/v1/namespaces/${ns}/${path}`, body);
        assert.equal(r.status, 201, show(r));
      };
      await post('configmaps', configMap('one'));
      await post('configmaps', configMap('two'));
      await post('pods', pod('on-node', { spec: { nodeName: 'node-1' } }));
      await post('pods', pod('unbound'));
      const st = await c.patch(`/api/v1/namespaces/${ns}/pods/on-node/status`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
      assert.equal(st.status, 200, show(st));
      await post('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'plain' }, data: {} });
      await post('secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'custom' }, type: 'example.com/custom', data: {} });
      const event = (name: string, about: string) => ({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name },
        involvedObject: { apiVersion: 'v1', kind: 'Pod', name: about, namespace: ns },
        reason: 'Testing',
        message: `about ${about}`,
        type: 'Normal',
        source: { component: 'test' },
      });
      await post('events', event('ev-1', 'on-node'));
      await post('events', event('ev-2', 'unbound'));
    });

    const cases: [string, string, string[]][] = [
      ['configmaps', 'metadata.name=one', ['one']],
      ['configmaps', 'metadata.name!=one', ['two']],
      ['pods', 'spec.nodeName=node-1', ['on-node']],
      ['pods', 'spec.nodeName=', ['unbound']],
      ['pods', 'status.phase=Running', ['on-node']],
      ['pods', 'status.phase!=Running,status.phase!=Succeeded', ['unbound']],
      ['secrets', 'type=example.com/custom', ['custom']],
      ['secrets', 'type=Opaque', ['plain']],
      ['events', 'involvedObject.name=unbound', ['ev-2']],
      ['events', 'involvedObject.name=on-node,involvedObject.kind=Pod', ['ev-1']],
    ];
    for (const [resource, selector, want] of cases) {
      it(`${resource}?fieldSelector=${selector} selects ${want.join(',')}`, async function () {
        const r = await c.get(`/api/v1/namespaces/${ns}/${resource}?fieldSelector=${encodeURIComponent(selector)}`);
        assert.equal(r.status, 200, show(r));
        assert.deepEqual(names(r.body), want);
      });
    }

    it('answers an unsupported field selector with 400 naming the field', async function () {
      const r = await c.get(`/api/v1/namespaces/${ns}/configmaps?fieldSelector=${encodeURIComponent('spec.foo=bar')}`);
      assert.equal(r.status, 400, show(r));
      assert.equal(r.body.kind, 'Status');
      assert.match(r.body.message, /spec\.foo/);
    });
  });

  describe('pagination', function () {
    let ns: string;
    const total = 7;
    before(async function () {
      ns = await createNamespace(c, 'pages');
      for (let i = 0; i < total; i++) {
        const r = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(`cm-${i}`));
        assert.equal(r.status, 201, show(r));
      }
    });

    // A list "not older than" a resourceVersion is served from the watch cache (the continue pages
    // from etcd at the cache's revision): the same answers as a consistent read.
    for (const [how, fromCache] of [['a consistent read', false], ['resourceVersion=<last write> (watch cache)', true]] as const) {
      const rvq = (last: string) => (fromCache ? `&resourceVersion=${last}` : '');
      it(`returns every item exactly once across limit/continue pages, all at one resourceVersion: ${how}`, async function () {
        const own = await createNamespace(c, 'pages');
        let last = '';
        for (let i = 0; i < total; i++) {
          const r = await c.post(`/api/v1/namespaces/${own}/configmaps`, configMap(`cm-${i}`));
          assert.equal(r.status, 201, show(r));
          last = r.body.metadata.resourceVersion;
        }
        const seen: string[] = [];
        const versions = new Set<string>();
        let token: string | undefined;
        let pages = 0;
        do {
          const q = `limit=3${token ? `&continue=${encodeURIComponent(token)}` : rvq(last)}`;
          const r = await c.get(`/api/v1/namespaces/${own}/configmaps?${q}`);
          assert.equal(r.status, 200, show(r));
          assert.ok(r.body.items.length <= 3, `page of ${r.body.items.length} items with limit=3`);
          seen.push(...names(r.body));
          versions.add(r.body.metadata.resourceVersion);
          token = r.body.metadata.continue || undefined;
          pages++;
          if (pages === 1) {
            assert.equal(r.body.metadata.remainingItemCount, total - 3);
            // A write between pages must not show up in this list.
            const late = await c.post(`/api/v1/namespaces/${own}/configmaps`, configMap('cm-late'));
            assert.equal(late.status, 201, show(late));
          }
          assert.ok(pages <= total, 'pagination does not terminate');
        } while (token);
        assert.equal(pages, 3);
        assert.deepEqual(seen, Array.from({ length: total }, (_, i) => `cm-${i}`).sort(), 'in key order');
        assert.equal(versions.size, 1, `pages reported different resourceVersions: ${[...versions].join(', ')}`);
      });

      it(`fills each page with matching items when a label selector is combined with limit: ${how}`, async function () {
        const sparse = await createNamespace(c, 'sparse');
        let last = '';
        for (let i = 0; i < 9; i++) {
          const r = await c.post(`/api/v1/namespaces/${sparse}/configmaps`, configMap(`s-${i}`, {}, { pick: i % 3 === 0 ? 'yes' : 'no' }));
          assert.equal(r.status, 201, show(r));
          last = r.body.metadata.resourceVersion;
        }
        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const r = await c.get(`/api/v1/namespaces/${sparse}/configmaps?labelSelector=pick%3Dyes&limit=2${token ? `&continue=${encodeURIComponent(token)}` : rvq(last)}`);
          assert.equal(r.status, 200, show(r));
          seen.push(...names(r.body));
          token = r.body.metadata.continue || undefined;
          if (token) assert.equal(r.body.items.length, 2, 'a page that is not the last must be full');
          assert.ok(++pages <= 5, 'pagination does not terminate');
        } while (token);
        assert.deepEqual(seen.sort(), ['s-0', 's-3', 's-6']);
      });
    }

    it('rejects a garbage continue token with 400', async function () {
      const r = await c.get(`/api/v1/namespaces/${ns}/configmaps?limit=2&continue=not-a-token`);
      assert.equal(r.status, 400, show(r));
      assert.equal(r.body.kind, 'Status');
    });
  });

  describe('after etcd compaction', function () {
    let compacting: ApiServer;
    let cc: TestClient;
    before(async function () {
      compacting = await startApiServer({
        etcdServers: [testEtcdUrl()],
        port: 0,
        etcdPrefix: `/t-${randomBytes(6).toString('hex')}/registry`,
        compactIntervalMs: 300,
        log: createLogger('apiserver-test', 'silent'),
      });
      cc = new TestClient(compacting.url);
    });
    after(async function () {
      await compacting?.close();
    });

    it('answers a continue token from before the compaction with 410 Expired', async function () {
      const coll = '/api/v1/namespaces/default/configmaps';
      for (let i = 0; i < 3; i++) assert.equal((await cc.post(coll, configMap(`old-${i}`))).status, 201);
      const first = await cc.get(`${coll}?limit=1`);
      assert.equal(first.status, 200, show(first));
      const token: string = first.body.metadata.continue;
      assert.ok(token, 'no continue token');
      // Writes after the list, so that compaction moves past its revision.
      let n = 0;
      const expired = await waitFor('the continue token to expire', async () => {
        await cc.post(coll, configMap(`new-${n++}`));
        const r = await cc.get(`${coll}?limit=1&continue=${encodeURIComponent(token)}`);
        if (r.status === 200) return undefined;
        return r;
      }, 20_000, 200);
      assert.equal(expired.status, 410, show(expired));
      assert.equal(expired.body.kind, 'Status');
      assert.equal(expired.body.reason, 'Expired');
      // A fresh list works.
      const fresh = await cc.get(`${coll}?limit=1`);
      assert.equal(fresh.status, 200, show(fresh));
    });
  });

  it('lists a namespaced kind across all namespaces at /api/v1/configmaps', async function () {
    const run = uniqueName('run');
    const ns1 = await createNamespace(c, 'all-a');
    const ns2 = await createNamespace(c, 'all-b');
    for (const ns of [ns1, ns2]) {
      const r = await c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap('shared-name', {}, { run }));
      assert.equal(r.status, 201, show(r));
    }
    const r = await c.get(`/api/v1/configmaps?labelSelector=run%3D${run}`);
    assert.equal(r.status, 200, show(r));
    assert.equal(r.body.kind, 'ConfigMapList');
    const got = (r.body.items as Obj[]).map((o) => `${o.metadata.namespace}/${o.metadata.name}`).sort();
    assert.deepEqual(got, [`${ns1}/shared-name`, `${ns2}/shared-name`].sort());
  });
});
