// Lists by resourceVersion as Kubernetes serves them: none → consistent (etcd), 0 → any
// (the watch cache), N → not older than N (the cache once it holds N), Exact → that revision.
import assert from 'node:assert/strict';
import { configMap, show, useTestApiServer, waitFor, type Obj } from './client.testkit.js';

const names = (body: Obj): string[] => (body.items as Obj[]).map((i) => i.metadata.name as string);

describe('apiserver list by resourceVersion', function () {
  const f = useTestApiServer('rv');
  const coll = () => `/api/v1/namespaces/${f.ns}/configmaps`;

  it('"not older than" the version of a write just made includes that write', async function () {
    for (let i = 0; i < 5; i++) {
      const made = await f.c.post(coll(), configMap(`fresh-${i}`));
      assert.equal(made.status, 201, show(made));
      const rv: string = made.body.metadata.resourceVersion;
      for (const q of [`resourceVersion=${rv}`, `resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`]) {
        const r = await f.c.get(`${coll()}?${q}`);
        assert.equal(r.status, 200, show(r));
        assert.ok(names(r.body).includes(`fresh-${i}`), `${q}: ${names(r.body).join(',')}`);
        assert.ok(Number(r.body.metadata.resourceVersion) >= Number(rv), `list at ${r.body.metadata.resourceVersion} is older than ${rv}`);
      }
    }
  });

  it('resourceVersion=0 answers with the objects the server holds', async function () {
    const made = await f.c.post(coll(), configMap('any'));
    assert.equal(made.status, 201, show(made));
    // "Any" may be a moment behind: it catches up without another write.
    await waitFor('resourceVersion=0 to show the new object', async () => {
      const r = await f.c.get(`${coll()}?resourceVersion=0`);
      assert.equal(r.status, 200, show(r));
      return names(r.body).includes('any');
    }, 10_000, 50);
  });

  it('Exact reads the collection as it was at that version; no resourceVersion reads it as it is now', async function () {
    const made = await f.c.post(coll(), configMap('short-lived'));
    assert.equal(made.status, 201, show(made));
    const at: string = made.body.metadata.resourceVersion;
    assert.equal((await f.c.delete(`${coll()}/short-lived`)).status, 200);
    const then = await f.c.get(`${coll()}?resourceVersion=${at}&resourceVersionMatch=Exact`);
    assert.equal(then.status, 200, show(then));
    assert.equal(then.body.metadata.resourceVersion, at);
    assert.ok(names(then.body).includes('short-lived'));
    const now = await f.c.get(coll());
    assert.ok(!names(now.body).includes('short-lived'), 'a consistent read still shows a deleted object');
  });

  it('lists more than gRPC’s default 4 MiB in one answer, from etcd and from the cache', async function () {
    const ns = `${f.ns}-big`;
    assert.equal((await f.c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })).status, 201);
    let last = '';
    for (let i = 0; i < 6; i++) {
      const r = await f.c.post(`/api/v1/namespaces/${ns}/configmaps`, configMap(`big-${i}`, { blob: 'x'.repeat(900_000) }));
      assert.equal(r.status, 201, show(r));
      last = r.body.metadata.resourceVersion;
    }
    for (const q of ['', `?resourceVersion=${last}`]) {
      const r = await f.c.get(`/api/v1/namespaces/${ns}/configmaps${q}`);
      assert.equal(r.status, 200, show(r));
      assert.equal(r.body.items.length, 6, q);
    }
  });

  it('a version the server has not reached yet is a 504 Timeout naming ResourceVersionTooLarge', async function () {
    this.timeout(20_000);
    const r = await f.c.get(`${coll()}?resourceVersion=999999999`);
    assert.equal(r.status, 504, show(r));
    assert.equal(r.body.reason, 'Timeout');
    assert.match(r.body.message, /Too large resource version: 999999999, current: \d+/);
    assert.equal(r.body.details?.causes?.[0]?.reason, 'ResourceVersionTooLarge');
  });

  for (const [q, says] of [
    ['resourceVersionMatch=NotOlderThan', /resourceVersionMatch is forbidden unless resourceVersion is provided/],
    ['resourceVersion=0&resourceVersionMatch=Exact', /"Exact" is forbidden for resourceVersion "0"/],
    ['resourceVersion=5&resourceVersionMatch=Newest', /resourceVersionMatch: Unsupported value: "Newest"/],
    ['resourceVersion=abc', /resourceVersion: Invalid value: "abc"/],
  ] as const) {
    it(`answers ${q} with 400 naming the field`, async function () {
      const r = await f.c.get(`${coll()}?${q}`);
      assert.equal(r.status, 400, show(r));
      assert.match(r.body.message, says);
    });
  }
});
