// Job benchmark: a Job of N completions at parallelism P run to Complete, the bench playing the
// nodes (each job pod Succeeds as soon as it appears), against the time a Deployment of N
// replicas takes to become available in the same run (same apiserver process, same fake nodes).
import type { ChildProcess } from 'node:child_process';
import { Informer, isNotFound, keyOf, type Clientset } from '../client/index.js';
import type { Pod } from '../api/index.js';
import { deploymentController } from '../controllers/deployment/index.js';
import { jobController } from '../controllers/job/index.js';
import { replicaSetController } from '../controllers/replicaset/index.js';
import { eventually, runControllers } from '../controllers/replicaset/harness.testkit.js';
import { startTestEtcd } from '../testing/etcd.js';
import { startApiserverProcess } from './apiserver.js';

const concurrency = 32;
const isJobPod = (p: Pod): boolean => p.metadata?.labels?.['batch.kubernetes.io/job-name'] !== undefined;

/** Makes every job pod Succeed as it appears (the kubelet's final status write), `concurrency` at a time. */
function completeJobPods(cs: Clientset): { informer: Informer<Pod>; writes: () => number } {
  const informer = new Informer<Pod>(cs.pods, { namespace: 'default' });
  const queue: Pod[] = [];
  const seen = new Set<string>();
  let inFlight = 0;
  let writes = 0;
  const pump = (): void => {
    while (inFlight < concurrency && queue.length > 0) {
      const pod = queue.shift()!;
      inFlight++;
      const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      void cs.pods.patchStatus('default', pod.metadata?.name ?? '', {
        status: { phase: 'Succeeded', containerStatuses: [{ name: 'c', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', finishedAt: t } } }] },
      }).then(() => void writes++, (err: unknown) => { if (!isNotFound(err)) seen.delete(keyOf(pod)); }).finally(() => {
        inFlight--;
        pump();
      });
    }
  };
  const consider = (pod: Pod): void => {
    if (!isJobPod(pod) || pod.status?.phase === 'Succeeded' || seen.has(keyOf(pod))) return;
    seen.add(keyOf(pod));
    queue.push(pod);
    pump();
  };
  informer.on({ add: consider, update: (_o, p) => consider(p) });
  return { informer, writes: () => writes };
}

export async function benchJobs(opts: { completions: number; parallelism: number }): Promise<void> {
  process.env.SKIFF_LOG_LEVEL ??= 'warn';
  const n = opts.completions;
  const etcd = await startTestEtcd();
  let api: { url: string; child: ChildProcess } | undefined;
  try {
    api = await startApiserverProcess(etcd.url);
    const h = await runControllers(api.url, [replicaSetController, deploymentController, jobController()], { concurrency, ready: (p) => !isJobPod(p) });
    const completer = completeJobPods(h.clientset);
    await completer.informer.start();
    try {
      let start = performance.now();
      await h.clientset.deployments.create('default', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench', namespace: 'default' },
        spec: { replicas: n, selector: { matchLabels: { app: 'bench' } }, template: { metadata: { labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } } },
      });
      await eventually(`${n} available replicas`, async () => ((await h.clientset.deployments.get('default', 'bench')).status?.availableReplicas ?? 0) >= n, 600_000);
      const deploySecs = (performance.now() - start) / 1000;

      start = performance.now();
      await h.clientset.jobs.create('default', {
        apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'bench-job', namespace: 'default' },
        spec: { completions: n, parallelism: opts.parallelism, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      });
      const job = await eventually('the job Complete', async () => {
        const j = await h.clientset.jobs.get('default', 'bench-job');
        return j.status?.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ? j : undefined;
      }, 600_000);
      const jobSecs = (performance.now() - start) / 1000;
      console.log(`deployment of ${n} → available:       ${deploySecs.toFixed(2).padStart(7)} s`);
      console.log(`job of ${n} (parallelism ${opts.parallelism}) → Complete: ${jobSecs.toFixed(2).padStart(7)} s  (succeeded ${job.status?.succeeded}, failed ${job.status?.failed ?? 0}; ${completer.writes()} pod completions written)`);
      console.log(`job time ÷ deployment time:         ${(jobSecs / deploySecs).toFixed(2).padStart(7)}     (goal ≤ 1.2)`);
    } finally {
      completer.informer.stop();
      await h.stop();
    }
  } finally {
    api?.child.kill('SIGTERM');
    await etcd.stop();
  }
}
