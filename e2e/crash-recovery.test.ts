// A launcher that dies without warning (`kill -9` of `skiff up`, as the OOM killer does) on a
// two-node cluster with a Deployment behind a Service: everything of the home stops by itself
// within 10 s and frees its ports, and the next `skiff up` clears what was left, brings back the
// same objects and serves traffic through the Service again.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isRunning, processesInCgroups, processesOfHome } from '../host/home-processes.js';
import { assertPortFree } from '../host/process.js';
import { podCgroupDirs } from '../runtime/index.js';
import { waitFor } from '../testing/wait.js';
import { eventually, show, useCluster, type Cluster, kubectlOk } from './support.js';
import { assertLocallyRouted, get, webApp } from './web-app.js';

const NS = 'crash';

interface Obj {
  kind: string;
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

describe('a crashed launcher (e2e)', function () {
  let c: Cluster;
  before(function () {
    if (process.getuid?.() !== 0) this.skip(); // local nodes in their own network namespaces need root
  });
  useCluster((cluster) => (c = cluster), { nodes: 2 });

  const kubectl = kubectlOk(() => c, 120_000);
  const objects = async (): Promise<Obj[]> => [
    JSON.parse(await kubectl('get', 'namespace', NS, '-o', 'json')) as Obj,
    ...(JSON.parse(await kubectl('get', 'deployment,replicaset,service,pods', '-n', NS, '-o', 'json')) as { items: Obj[] }).items,
  ];
  const uids = (items: Obj[], pods: boolean): string[] =>
    items.filter((o) => (o.kind === 'Pod') === pods && !o.metadata.deletionTimestamp).map((o) => `${o.kind}/${o.metadata.name}=${o.metadata.uid}`).sort();
  /** Container processes of the home's pods, found through the pods' cgroups. */
  const podProcesses = (): number[] => {
    const nodes = join(c.home, 'nodes');
    const roots = existsSync(nodes) ? readdirSync(nodes).map((n) => join(nodes, n, 'runtime')) : [];
    return processesInCgroups(roots.flatMap(podCgroupDirs));
  };
  const portsFree = async (): Promise<boolean> => {
    for (const p of [c.port, c.etcdPort, c.etcdPort + 1]) if (!(await assertPortFree(p, 'x').then(() => true, () => false))) return false;
    return true;
  };

  it('kill -9 of skiff up: within 10 s nothing of the home runs and its ports are free; up again brings back the same objects and traffic', async function () {
    this.timeout(400_000);
    assert.ok(c.output().indexOf('node packages present') < c.output().indexOf('starting node-1/runtime'), 'node packages are checked before any node process starts');
    await c.kubectl(['apply', '-f', '-'], { stdin: webApp(NS, 'v1') }).then((r) => assert.equal(r.code, 0, show(r)));
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=180s');
    const before = await objects();
    const components = processesOfHome(c.home).map((p) => p.pid);
    const containers = podProcesses();
    assert.ok(components.length >= 11, `etcd, 4 control-plane processes and 3 per node run (saw ${components.length})`);
    assert.ok(containers.length >= 3, `the three web containers run (saw ${containers.length})`);

    const t0 = Date.now();
    await c.crash();
    await waitFor('no process of the home (components, conmon, containers) and free ports', async () =>
      [...components, ...containers].every((pid) => !isRunning(pid)) && processesOfHome(c.home).length === 0 && podProcesses().length === 0 && (await portsFree()),
    10_000, 100);
    process.stdout.write(`      everything of the home gone ${((Date.now() - t0) / 1000).toFixed(1)} s after kill -9 of skiff up\n`);

    await c.restart();
    await kubectl('rollout', 'status', 'deployment/web', '-n', NS, '--timeout=180s');
    let after: Obj[] = [];
    await eventually('three Ready web pods', async () => {
      after = await objects();
      const pods = after.filter((o) => o.kind === 'Pod' && !o.metadata.deletionTimestamp);
      return pods.length === 3 && pods.every((p) => p.status?.conditions?.some((x) => x.type === 'Ready' && x.status === 'True'));
    }, 180_000, 1000);
    assert.deepEqual(uids(after, false), uids(before, false), 'namespace, Deployment, ReplicaSet and Service are the same objects');
    const samePods = uids(after, true).filter((u) => uids(before, true).includes(u)).length;
    process.stdout.write(`      ${samePods}/3 pods are the same objects as before the crash (the rest were replaced)\n`);

    const svc = JSON.parse(await kubectl('get', 'service', 'web', '-n', NS, '-o', 'json')) as { spec: { clusterIP: string } };
    assertLocallyRouted(svc.spec.clusterIP);
    const names = new Set(after.filter((o) => o.kind === 'Pod').map((o) => o.metadata.name));
    const seen = new Set<string>();
    await eventually('requests through the Service VIP to reach all three pods', async () => {
      for (let i = 0; i < 30; i++) seen.add((await get(`http://${svc.spec.clusterIP}/`)).split(' ')[0] ?? '');
      return seen.size === 3;
    }, 60_000);
    assert.deepEqual([...seen].sort(), [...names].sort());
  });
});
