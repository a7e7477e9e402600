// Controller benchmark: a Deployment of N replicas created and fully available, the bench
// playing the nodes (marking pods Running and Ready as they appear), against the raw etcd
// put rate of pod-sized values measured in the same run. Controllers run in this process, the
// apiserver in its own, as in a cluster.
import type { ChildProcess } from 'node:child_process';
import { Etcd3 } from 'etcd3';
import { Informer } from '../client/index.js';
import type { Pod } from '../api/index.js';
import { deploymentController } from '../controllers/deployment/index.js';
import { replicaSetController } from '../controllers/replicaset/index.js';
import { eventually, runControllers } from '../controllers/replicaset/harness.testkit.js';
import { startTestEtcd } from '../testing/etcd.js';
import { startApiserverProcess } from './apiserver.js';

const concurrency = 32;

function podJson(i: number): string {
  return JSON.stringify({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `bench-abcde-${i}`, namespace: 'default', labels: { app: 'bench', 'pod-template-hash': 'abcde' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'bench-abcde', uid: '0f7e2b4c-1111-2222-3333-444455556666', controller: true, blockOwnerDeletion: true }] },
    spec: { containers: [{ name: 'c', image: 'nginx:1.27', resources: {}, terminationMessagePath: '/dev/termination-log', imagePullPolicy: 'IfNotPresent' }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  });
}

async function rawPutsPerSecond(etcdUrl: string, puts: number): Promise<{ rate: number; bytes: number }> {
  const client = new Etcd3({ hosts: etcdUrl });
  try {
    const value = podJson(0);
    let next = 0;
    const worker = async (prefix: string, total: number): Promise<void> => {
      while (next < total) await client.put(`/${prefix}/${next++}`).value(value).exec();
    };
    await Promise.all(Array.from({ length: concurrency }, () => worker('warm', 200)));
    next = 0;
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, () => worker('raw', puts)));
    return { rate: puts / ((performance.now() - start) / 1000), bytes: value.length };
  } finally {
    client.close();
  }
}

export async function benchControllers(opts: { replicas: number }): Promise<void> {
  process.env.SKIFF_LOG_LEVEL ??= 'warn';
  const n = opts.replicas;
  const etcd = await startTestEtcd();
  let api: { url: string; child: ChildProcess } | undefined;
  try {
    const raw = await rawPutsPerSecond(etcd.url, Math.max(1000, n * 2));
    api = await startApiserverProcess(etcd.url);
    const h = await runControllers(api.url, [replicaSetController, deploymentController], { concurrency });
    const pods = new Informer<Pod>(h.clientset.pods, { namespace: 'default' });
    let allCreatedAt = 0;
    const revision = async (): Promise<number> => {
      const c = new Etcd3({ hosts: etcd.url });
      try {
        return Number((await c.get('/').exec()).header.revision);
      } finally {
        c.close();
      }
    };
    const rev0 = await revision();
    const start = performance.now();
    pods.on({ add: () => void (pods.store.size >= n && !allCreatedAt && (allCreatedAt = performance.now())) });
    await pods.start();
    try {
      await h.clientset.deployments.create('default', {
        apiVersion: 'apps/v1', kind: 'Deployment',
        metadata: { name: 'bench', namespace: 'default' },
        spec: { replicas: n, selector: { matchLabels: { app: 'bench' } }, template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
      });
      await eventually(`${n} available replicas`, async () => {
        const d = await h.clientset.deployments.get('default', 'bench');
        return (d.status?.availableReplicas ?? 0) >= n && d.status?.conditions?.some((c) => c.reason === 'NewReplicaSetAvailable');
      }, 600_000);
      const secs = (performance.now() - start) / 1000;
      const writes = (await revision()) - rev0;
      const createdSecs = (allCreatedAt - start) / 1000;
      const rate = n / secs;
      console.log(`raw etcd puts:              ${raw.rate.toFixed(0).padStart(7)} /s  (concurrency ${concurrency}, ${raw.bytes}-byte pod values)`);
      console.log(`deployment → pods created:  ${(n / createdSecs).toFixed(0).padStart(7)} /s  (${n} pods in ${createdSecs.toFixed(2)} s)`);
      console.log(`deployment → available:     ${rate.toFixed(0).padStart(7)} /s  (${n} replicas fully available in ${secs.toFixed(2)} s; ${h.nodes.marked} status writes by the fake nodes)`);
      console.log(`etcd writes per pod:        ${(writes / n).toFixed(2).padStart(7)}     (${writes} writes: pod create + status, Event, ReplicaSet/Deployment status)`);
      console.log(`available pods/s ÷ raw puts/s: ${(rate / raw.rate).toFixed(2).padStart(4)}`);
    } finally {
      pods.stop();
      await h.stop();
    }
  } finally {
    api?.child.kill('SIGTERM');
    await etcd.stop();
  }
}
