import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod, ReplicaSet } from '../../api/index.js';
import { isNotFound, type Clientset } from '../../client/index.js';
import { eventually, podSpec, startControllers, type Harness } from '../support.testkit.js';
import { garbageCollectorController } from './index.js';

const kubectl = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

function run(kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['--kubeconfig', kubeconfig, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`kubectl ${args.join(' ')}: ${err.message}\n${stderr}`)) : resolve(stdout));
  });
}

async function gone(cs: Clientset, ns: string, name: string, kind: 'pods' | 'replicasets' = 'pods'): Promise<boolean> {
  try {
    await (kind === 'pods' ? cs.pods : cs.replicaSets).get(ns, name);
    return false;
  } catch (err) {
    return isNotFound(err);
  }
}

describe('garbage collector', () => {
  let h: Harness;
  let dir: string;
  let kubeconfig: string;
  before(async () => {
    h = await startControllers([garbageCollectorController]);
    dir = mkdtempSync(join(tmpdir(), 'skiff-gc-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters: [{name: t, cluster: {server: "' + h.server.url + '"}}]',
      'users: [{name: t, user: {}}]',
      'contexts: [{name: t, context: {cluster: t, user: t, namespace: default}}]', '',
    ].join('\n'));
  });
  after(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A ReplicaSet (nothing runs it here) owning `n` pods. */
  async function owner(name: string, n: number, extra: (i: number) => Partial<Pod['metadata']> = () => ({})): Promise<ReplicaSet> {
    const labels = { app: name };
    const rs = await h.cs.replicaSets.create('default', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name },
      spec: { replicas: 0, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    for (let i = 0; i < n; i++) {
      const pod = podSpec(`${name}-${i}`, labels);
      pod.metadata = {
        ...pod.metadata,
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid: rs.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
        ...extra(i),
      };
      await h.cs.pods.create('default', pod);
    }
    return rs;
  }

  it('background: kubectl delete removes the dependents after the owner', async () => {
    await owner('bg', 3);
    await run(kubeconfig, ['delete', 'replicaset', 'bg']);
    for (let i = 0; i < 3; i++) await eventually(`pod bg-${i} collected`, () => gone(h.cs, 'default', `bg-${i}`));
  });

  it('foreground: dependents go first, the owner waits for blocking ones', async () => {
    // Pod 0 holds a finalizer of its own, so it stays terminating until the test lets it go.
    await owner('fg', 2, (i) => (i === 0 ? { finalizers: ['example.com/hold'] } : {}));
    await run(kubeconfig, ['delete', 'replicaset', 'fg', '--cascade=foreground', '--wait=false']);
    await eventually('pod fg-1 deleted', () => gone(h.cs, 'default', 'fg-1'));
    const held = await eventually('pod fg-0 terminating', async () => {
      const p = await h.cs.pods.get('default', 'fg-0');
      return p.metadata?.deletionTimestamp ? p : undefined;
    });
    assert.ok(held);
    const rs = await h.cs.replicaSets.get('default', 'fg');
    assert.ok(rs.metadata?.deletionTimestamp, 'owner is being deleted');
    assert.deepEqual(rs.metadata?.finalizers, ['foregroundDeletion'], 'owner waits while a blocking dependent remains');
    await h.cs.pods.patch('default', 'fg-0', { metadata: { finalizers: null } });
    await eventually('owner gone once its dependents are', () => gone(h.cs, 'default', 'fg', 'replicasets'));
  });

  it('orphan: --cascade=orphan leaves the dependents without the owner reference', async () => {
    await owner('or', 2);
    await run(kubeconfig, ['delete', 'replicaset', 'or', '--cascade=orphan']);
    await eventually('owner gone', () => gone(h.cs, 'default', 'or', 'replicasets'));
    for (let i = 0; i < 2; i++) {
      const p = await eventually(`pod or-${i} orphaned`, async () => {
        const pod = await h.cs.pods.get('default', `or-${i}`);
        return (pod.metadata?.ownerReferences ?? []).length === 0 ? pod : undefined;
      });
      assert.equal(p.metadata?.deletionTimestamp, undefined);
    }
  });

  it('deletes dependents of a vanished owner uid, and drops only the dangling reference of a co-owned one', async () => {
    const live = await owner('alive', 0);
    const ref = (name: string, uid: string) => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name, uid });
    const ghost = podSpec('ghost-child', {});
    ghost.metadata = { ...ghost.metadata, ownerReferences: [ref('ghost', 'no-such-uid')] };
    const impostor = podSpec('stale-uid-child', {});
    // Same name as a live owner but another uid: that owner is gone.
    impostor.metadata = { ...impostor.metadata, ownerReferences: [ref('alive', 'old-uid')] };
    const shared = podSpec('shared-child', {});
    shared.metadata = { ...shared.metadata, ownerReferences: [ref('alive', live.metadata?.uid ?? ''), ref('ghost', 'no-such-uid')] };
    const kept = podSpec('kept-child', {});
    kept.metadata = { ...kept.metadata, ownerReferences: [ref('alive', live.metadata?.uid ?? '')] };
    for (const p of [ghost, impostor, shared, kept]) await h.cs.pods.create('default', p);
    await eventually('ghost-child deleted', () => gone(h.cs, 'default', 'ghost-child'));
    await eventually('stale-uid-child deleted', () => gone(h.cs, 'default', 'stale-uid-child'));
    const s = await eventually('shared-child keeps one owner', async () => {
      const p = await h.cs.pods.get('default', 'shared-child');
      return p.metadata?.ownerReferences?.length === 1 ? p : undefined;
    });
    assert.equal(s.metadata?.ownerReferences?.[0]?.uid, live.metadata?.uid);
    assert.equal((await h.cs.pods.get('default', 'kept-child')).metadata?.deletionTimestamp, undefined);
  });
});
