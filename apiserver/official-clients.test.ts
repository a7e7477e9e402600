// The official Python client (Debian's python3-kubernetes) against the apiserver: its watches
// send `watch=True`, which must stream events rather than answer a list. And the wire details
// clients compare: Status bodies end in a newline and carry no `details.group` for core kinds.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { waitFor } from '../testing/wait.js';
import { createNamespace, TestClient } from './client.testkit.js';

const python = '/usr/bin/python3';

// Watches pods in a namespace with the official client and prints one JSON line per event,
// until the named pod is DELETED.
const watchScript = `
import json, sys
from kubernetes import client, watch
cfg = client.Configuration()
cfg.host = sys.argv[1]
v1 = client.CoreV1Api(client.ApiClient(cfg))
print("watching", flush=True)
for ev in watch.Watch().stream(v1.list_namespaced_pod, sys.argv[2], timeout_seconds=60):
    print(json.dumps({"type": ev["type"], "name": ev["object"].metadata.name, "labels": ev["object"].metadata.labels}), flush=True)
    if ev["type"] == "DELETED" and ev["object"].metadata.name == sys.argv[3]:
        break
`;

describe('official clients on the wire', function () {
  let server: TestApiServer;
  let c: TestClient;

  before(async function () {
    if (!existsSync(python)) this.skip();
    server = await startTestApiServer();
    c = new TestClient(server.url);
  });

  after(async function () {
    await server?.close();
  });

  it('the Python client watch (watch=True) sees ADDED, MODIFIED and DELETED', async function () {
    const ns = await createNamespace(c, 'py-watch');
    const child = spawn(python, ['-c', watchScript, server.url, ns, 'web'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitFor('the Python client to start watching', () => out.includes('watching'), 20_000);
      const pods = `/api/v1/namespaces/${ns}/pods`;
      const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
      assert.equal((await c.post(pods, pod)).status, 201);
      assert.equal((await c.patch(`${pods}/web`, { metadata: { labels: { tier: 'front' } } }, 'application/merge-patch+json')).status, 200);
      const del = await c.delete(`${pods}/web`, { gracePeriodSeconds: 0 });
      assert.ok(del.status === 200 || del.status === 202, del.text);
      assert.equal(await exited, 0, err);
    } finally {
      child.kill();
    }
    const events = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { type: string; name: string; labels: Record<string, string> | null });
    assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED'], out + err);
    assert.deepEqual(events[1]!.labels, { tier: 'front' });
  });

  it('reads query booleans as Go ParseBool does, and names a parameter it cannot read', async function () {
    const ns = await createNamespace(c, 'py-bool');
    for (const v of ['True', 'TRUE', 't', '1']) {
      const w = await c.watch(`/api/v1/namespaces/${ns}/configmaps?watch=${v}&timeoutSeconds=1`);
      await w.done;
      assert.equal(w.status, 200);
      // A list would be one object with `items`; a watch that saw nothing has no events at all.
      assert.deepEqual(w.events, [], `watch=${v} answered a list`);
    }
    const list = await c.get(`/api/v1/namespaces/${ns}/configmaps?watch=False`);
    assert.equal(list.body.kind, 'ConfigMapList');
    const bad = await c.get(`/api/v1/namespaces/${ns}/configmaps?watch=yes`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.reason, 'BadRequest');
    assert.match(bad.body.message, /^watch: Invalid value: "yes"/);
  });

  it('writes Status bodies as Kubernetes does: a trailing newline, no details.group for the core group', async function () {
    const core = await c.get('/api/v1/namespaces/default/pods/missing');
    assert.equal(core.status, 404);
    assert.ok(core.text.endsWith('}\n'), JSON.stringify(core.text));
    assert.deepEqual(core.body.details, { name: 'missing', kind: 'pods' });
    const apps = await c.get('/apis/apps/v1/namespaces/default/deployments/missing');
    assert.deepEqual(apps.body.details, { name: 'missing', group: 'apps', kind: 'deployments' });
  });
});
