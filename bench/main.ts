// `npm run bench`: every benchmark prints its figures with a baseline from the same run.
import { benchApiserver } from './apiserver.js';
import { benchList } from './list.js';
import { benchScale } from './scale.js';
import { benchWatchFanout } from './watch-fanout.js';
import { benchAuthz } from './authz.js';
import { benchProtobuf } from './protobuf.js';
import { benchProxy } from './proxy.js';
import { benchControllers } from './controllers.js';
import { benchJobs } from './jobs.js';
import { benchImages } from './images.js';
import { benchKubelet } from './kubelet.js';
import { benchRuntime } from './runtime.js';
import { benchScheduler } from './scheduler.js';

const quick = process.argv.includes('--quick');

async function main(): Promise<void> {
  console.log('# apiserver');
  await benchApiserver(
    quick
      ? { creates: 1000, concurrency: 32, watchers: 100, watchEvents: 20 }
      : { creates: 5000, concurrency: 32, watchers: 1000, watchEvents: 100 },
  );
  console.log('# apiserver: watch fan-out to node watchers');
  await benchWatchFanout(quick ? { watchers: 200, pods: 1000 } : { watchers: 1000, pods: 3000 });
  console.log('# apiserver: lists');
  await benchList({ pods: quick ? 2000 : 10_000 });
  console.log('# scale: Deployment on hollow nodes, control plane in separate processes');
  await benchScale(quick ? { nodes: 200, replicas: 2000, timeoutMs: 300_000 } : { nodes: 1000, replicas: 10_000, timeoutMs: 900_000 });
  console.log('# authorization');
  await benchAuthz(quick ? { creates: 300, rounds: 3, concurrency: 16 } : { creates: 1000, rounds: 5, concurrency: 16 });
  console.log('# protobuf vs JSON');
  await benchProtobuf(quick ? { pods: 1000, lists: 5, concurrency: 32 } : { pods: 5000, lists: 10, concurrency: 32 });
  console.log('# scheduler');
  await benchScheduler(quick ? { nodes: 500, pods: 1000 } : { nodes: 5000, pods: 10_000 });
  console.log('# controllers');
  await benchControllers({ replicas: quick ? 100 : 1000 });
  console.log('# jobs');
  await benchJobs(quick ? { completions: 200, parallelism: 50 } : { completions: 1000, parallelism: 100 });
  console.log('# proxy');
  await benchProxy(quick ? { services: 20, changes: 40 } : { services: 100, changes: 200 });
  console.log('# runtime');
  await benchRuntime({ pods: quick ? 10 : 30 });
  console.log('# images');
  await benchImages(quick ? { pulls: 5, bigLayerMb: 100 } : { pulls: 10, bigLayerMb: 500 });
  console.log('# kubelet');
  await benchKubelet(quick ? { pods: 20, rate: 2, hollowSteps: [50, 100], windowMs: 25_000 } : { pods: 100, rate: 2, hollowSteps: [100, 250, 500, 1000], windowMs: 25_000 });
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
    process.exit(1);
  },
);
