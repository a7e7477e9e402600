// Backups end to end with real processes: save a snapshot of a running cluster, restore it into a
// new home, start that home, and find every object with the same UID and resourceVersion — and
// nothing written after the snapshot.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../host/process.js';
import { etcdPorts, homeApi, runSkiff, waitForOutput, type SkiffRun } from '../testing/skiff-run.js';

interface Meta {
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string };
}

/** What a user would compare: every object of these resources, by key, with UID and resourceVersion. */
const resources = ['/api/v1/namespaces', '/api/v1/configmaps', '/api/v1/secrets', '/api/v1/services', '/api/v1/endpoints', '/apis/apps/v1/deployments', '/apis/scheduling.k8s.io/v1/priorityclasses'];

describe('skiff etcd-snapshot', function () {
  this.timeout(180_000);
  let root: string;
  const runs: SkiffRun[] = [];
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'skiff-snap-'));
  });
  after(async () => {
    for (const r of runs) if (r.proc.exitCode === null) r.proc.kill('SIGTERM');
    await Promise.all(runs.map((r) => r.exit));
    rmSync(root, { recursive: true, force: true });
  });

  const up = async (home: string, port: number, etcdPort: number): Promise<SkiffRun> => {
    const r = runSkiff(['up', '--home', home, '--port', String(port), '--etcd-port', String(etcdPort), '--nodes', '0']);
    runs.push(r);
    await waitForOutput(r, 'Press Ctrl-C to stop', 90_000);
    return r;
  };
  const api = homeApi;
  const everything = async (call: ReturnType<typeof api>): Promise<Map<string, string>> => {
    const out = new Map<string, string>();
    for (const path of resources) {
      const res = await call(path);
      assert.equal(res.status, 200, `${path}: ${res.body}`);
      for (const o of (JSON.parse(res.body) as { items: Meta[] }).items) out.set(`${path} ${o.metadata.namespace ?? ''}/${o.metadata.name}`, `${o.metadata.uid} rv=${o.metadata.resourceVersion}`);
    }
    return out;
  };
  const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });

  it('save from a running cluster, restore into a new home, start: every object back with the same UID and resourceVersion', async () => {
    const homeA = join(root, 'a');
    const a = await up(homeA, await freePort(), await etcdPorts());
    const callA = api(homeA);
    for (let i = 0; i < 20; i++) assert.equal((await callA('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm(`kept-${i}`) })).status, 201);
    const ns = JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    assert.equal((await callA('/api/v1/namespaces', { method: 'POST', body: ns })).status, 201);

    const beforeSave = await everything(callA);
    const file = join(root, 'snap.db');
    const save = runSkiff(['etcd-snapshot', 'save', file, '--home', homeA]);
    assert.equal(await save.exit, 0, save.output());
    assert.match(save.output(), /saved .*snap\.db \(\d+ bytes, revision \d+\)/);
    assert.ok(statSync(file).size > 0);
    const afterSave = await everything(callA);
    // Written after the snapshot: must not come back.
    assert.equal((await callA('/api/v1/namespaces/default/configmaps', { method: 'POST', body: cm('too-late') })).status, 201);

    const homeB = join(root, 'b');
    const portB = await freePort();
    const etcdB = await etcdPorts();
    const restore = runSkiff(['etcd-snapshot', 'restore', file, '--home', homeB, '--etcd-port', String(etcdB)]);
    assert.equal(await restore.exit, 0, restore.output());
    assert.match(restore.output(), /restored .* start it with: skiff up --home/);
    const again = runSkiff(['etcd-snapshot', 'restore', file, '--home', homeB, '--etcd-port', String(etcdB)]);
    assert.equal(await again.exit, 1);
    assert.match(again.output(), /already exists; restore into a new home/);

    const b = await up(homeB, portB, etcdB);
    assert.match(b.output(), /existing cluster data/);
    const restored = await everything(api(homeB));
    // Objects that did not change while the snapshot was taken are exactly as they were.
    const stable = [...beforeSave].filter(([k, v]) => afterSave.get(k) === v);
    assert.ok(stable.length >= 25, `compared ${stable.length} objects`);
    // The new apiserver rewrites the `kubernetes` Service and Endpoints to its own address (a new
    // home, a new port): the same objects (UID), a newer resourceVersion.
    const rewrittenOnStart = (key: string): boolean => key.endsWith(' default/kubernetes');
    for (const [key, value] of stable) {
      if (rewrittenOnStart(key)) assert.equal(restored.get(key)?.split(' ')[0], value.split(' ')[0], key);
      else assert.equal(restored.get(key), value, key);
    }
    assert.ok(![...restored.keys()].some((k) => k.endsWith('/too-late')), 'nothing written after the snapshot');
    process.stdout.write(`      ${stable.length} objects restored with the same UID and resourceVersion\n`);

    for (const r of [a, b]) {
      r.proc.kill('SIGTERM');
      assert.equal(await r.exit, 0, r.output());
    }
    assert.ok(existsSync(join(homeB, 'etcd', 'member')));
  });

  it('save says clearly when no cluster runs from the home', async () => {
    const r = runSkiff(['etcd-snapshot', 'save', join(root, 'x.db'), '--home', join(root, 'nothing')]);
    assert.equal(await r.exit, 1);
    assert.match(r.output(), /no cluster is running from .*nothing/);
  });
});
