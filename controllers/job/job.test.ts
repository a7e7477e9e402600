// The Job controller against a real apiserver; the test plays the kubelet by writing pod phases.
import assert from 'node:assert/strict';
import type { Job, Pod } from '../../api/index.js';
import type { Clientset } from '../../client/index.js';
import { eventually, startControllers, type Harness } from '../support.testkit.js';
import { jobController, trackingFinalizer } from './index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const backoffMs = 1000;

function job(name: string, spec: Obj = {}, podSpec: Obj = {}): Job {
  return {
    apiVersion: 'batch/v1', kind: 'Job', metadata: { name },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox' }], ...podSpec } }, ...spec },
  } as Job;
}

async function podsOf(cs: Clientset, name: string): Promise<Pod[]> {
  return (await cs.pods.list('default', { labelSelector: `batch.kubernetes.io/job-name=${name}` })).items;
}

const isPending = (p: Pod): boolean => !p.status?.phase || p.status.phase === 'Pending';

/** What a kubelet writes when the container exits. */
async function finish(cs: Clientset, pod: Pod, exitCode: number, conditions: Obj[] = []): Promise<void> {
  const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  await cs.pods.patchStatus('default', pod.metadata?.name ?? '', {
    status: {
      phase: exitCode === 0 ? 'Succeeded' : 'Failed',
      conditions,
      containerStatuses: [{ name: 'main', image: 'busybox', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: t } } }],
    },
  });
}

async function condition(cs: Clientset, name: string, type: string): Promise<Job> {
  return eventually(`job ${name} ${type}`, async () => {
    const j = await cs.jobs.get('default', name);
    return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ? j : undefined;
  }, 30_000);
}

describe('job controller (real apiserver, test plays the kubelet)', function () {
  this.timeout(90_000);
  let h: Harness;
  before(async () => {
    h = await startControllers([jobController({ backoff: { baseMs: backoffMs, maxMs: 10 * backoffMs } })]);
  });
  after(async () => h?.stop());

  it('runs 6 completions 2 at a time, then reports SuccessCriteriaMet, Complete and the counts', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('six', { completions: 6, parallelism: 2 }));
    let maxActive = 0;
    for (let done = 0; done < 6;) {
      const running = await eventually('pods to finish', async () => {
        const pods = (await podsOf(cs, 'six')).filter(isPending);
        return pods.length > 0 ? pods : undefined;
      });
      maxActive = Math.max(maxActive, running.length);
      for (const p of running) {
        assert.ok(p.metadata?.finalizers?.includes(trackingFinalizer), 'pods carry the tracking finalizer');
        assert.match(p.metadata?.name ?? '', /^six-[a-z0-9]{5}$/);
        await finish(cs, p, 0);
        done++;
      }
    }
    const j = await condition(cs, 'six', 'Complete');
    assert.equal(maxActive, 2, 'never more than parallelism pods at once');
    assert.equal(j.status?.succeeded, 6);
    assert.equal(j.status?.failed, 0);
    assert.equal(j.status?.active, 0);
    assert.deepEqual(j.status?.conditions?.map((c) => [c.type, c.reason]), [['SuccessCriteriaMet', 'CompletionsReached'], ['Complete', 'CompletionsReached']]);
    assert.ok(j.status?.completionTime && j.status.startTime);
    assert.deepEqual(j.status?.uncountedTerminatedPods, {});
    const pods = await podsOf(cs, 'six');
    assert.equal(pods.length, 6);
    assert.ok(pods.every((p) => !p.metadata?.finalizers?.includes(trackingFinalizer)), 'finalizers removed once counted');
  });

  it('stops at backoffLimit with Failed/BackoffLimitExceeded, re-creating pods with a doubling back-off', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('fails', { backoffLimit: 2 }));
    const seenAt: number[] = [];
    const failed = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const pod = await eventually(`pod ${i + 1}`, async () => (await podsOf(cs, 'fails')).find((p) => isPending(p) && !failed.has(p.metadata?.name ?? '')));
      seenAt.push(Date.now());
      failed.add(pod.metadata?.name ?? '');
      await finish(cs, pod, 1);
    }
    const j = await condition(cs, 'fails', 'Failed');
    assert.equal(j.status?.failed, 3);
    const cond = j.status?.conditions?.find((c) => c.type === 'Failed');
    assert.equal(cond?.reason, 'BackoffLimitExceeded');
    assert.equal(cond?.message, 'Job has reached the specified backoff limit');
    assert.ok(j.status?.conditions?.some((c) => c.type === 'FailureTarget' && c.reason === 'BackoffLimitExceeded'));
    // 1 s after the first failure, 2 s after the second (less the test's own latency).
    assert.ok(seenAt[1]! - seenAt[0]! >= backoffMs * 0.8, `first back-off ${seenAt[1]! - seenAt[0]!} ms`);
    assert.ok(seenAt[2]! - seenAt[1]! >= 2 * backoffMs * 0.8, `second back-off ${seenAt[2]! - seenAt[1]!} ms`);
    assert.equal((await podsOf(cs, 'fails')).length, 3, 'no pod after the limit');
  });

  it('gives an Indexed Job\'s pods their index: annotation, label, JOB_COMPLETION_INDEX and hostname', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
    const pods = await eventually('3 pods', async () => {
      const ps = await podsOf(cs, 'idx');
      return ps.length === 3 ? ps : undefined;
    });
    const byIndex = new Map(pods.map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
    for (const [i, p] of byIndex) {
      assert.match(p.metadata?.name ?? '', new RegExp(`^idx-${i}-[a-z0-9]{5}$`));
      assert.equal(p.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], i);
      assert.equal(p.spec?.hostname, `idx-${i}`);
      assert.deepEqual(p.spec?.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.annotations['batch.kubernetes.io/job-completion-index']");
    }
    await finish(cs, byIndex.get('1')!, 0);
    await eventually('index 1 completed', async () => (await cs.jobs.get('default', 'idx')).status?.completedIndexes === '1');
    await finish(cs, byIndex.get('0')!, 0);
    await finish(cs, byIndex.get('2')!, 0);
    const j = await condition(cs, 'idx', 'Complete');
    assert.equal(j.status?.completedIndexes, '0-2');
    assert.equal(j.status?.succeeded, 3);
  });

  it('applies podFailurePolicy: Ignore does not count a disrupted pod, FailJob fails at once', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('policy', {
      backoffLimit: 6,
      podFailurePolicy: { rules: [
        { action: 'FailJob', onExitCodes: { containerName: 'main', operator: 'In', values: [42] } },
        { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] },
      ] },
    }));
    const first = await eventually('pod', async () => (await podsOf(cs, 'policy')).find(isPending));
    await finish(cs, first, 137, [{ type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler' }]);
    const second = await eventually('a replacement', async () => (await podsOf(cs, 'policy')).find((p) => isPending(p) && p.metadata?.name !== first.metadata?.name));
    assert.equal((await cs.jobs.get('default', 'policy')).status?.failed ?? 0, 0, 'an ignored failure is not counted');
    await finish(cs, second, 42);
    const j = await condition(cs, 'policy', 'Failed');
    const cond = j.status?.conditions?.find((c) => c.type === 'Failed');
    assert.equal(cond?.reason, 'PodFailurePolicy');
    assert.equal(cond?.message, `Container main for pod default/${second.metadata?.name} failed with exit code 42 matching FailJob rule at index 0`);
    assert.equal(j.status?.failed, 1);
  });

  it('suspends (no pods, Suspended) and resumes (pods, Suspended=False JobResumed)', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('sus', { suspend: true, parallelism: 2, completions: 2 }));
    const s = await condition(cs, 'sus', 'Suspended');
    assert.equal(s.status?.conditions?.[0]?.reason, 'JobSuspended');
    assert.equal((await podsOf(cs, 'sus')).length, 0);
    await cs.jobs.patch('default', 'sus', { spec: { suspend: false } });
    await eventually('2 pods after resume', async () => (await podsOf(cs, 'sus')).length === 2);
    const r = await eventually('resumed', async () => {
      const j = await cs.jobs.get('default', 'sus');
      return j.status?.conditions?.find((c) => c.type === 'Suspended' && c.status === 'False') ? j : undefined;
    });
    assert.equal(r.status?.conditions?.find((c) => c.type === 'Suspended')?.reason, 'JobResumed');
    assert.equal(r.status?.active, 2);
    // Suspending again removes the pods without counting them as failures.
    await cs.jobs.patch('default', 'sus', { spec: { suspend: true } });
    await eventually('pods gone', async () => (await podsOf(cs, 'sus')).length === 0);
    const again = await condition(cs, 'sus', 'Suspended');
    assert.equal(again.status?.failed ?? 0, 0);
  });

  it('fails a Job past activeDeadlineSeconds (DeadlineExceeded) and deletes its pods', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('slow', { activeDeadlineSeconds: 1 }));
    const j = await condition(cs, 'slow', 'Failed');
    assert.equal(j.status?.conditions?.find((c) => c.type === 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(j.status?.conditions?.find((c) => c.type === 'Failed')?.message, 'Job was active longer than specified deadline');
    await eventually('its pod gone', async () => (await podsOf(cs, 'slow')).length === 0);
    assert.equal((await cs.jobs.get('default', 'slow')).status?.active, 0);
  });

  it('releases the pods of a deleted Job (their tracking finalizer goes)', async () => {
    const cs = h.cs;
    await cs.jobs.create('default', job('gone'));
    const pod = await eventually('pod', async () => (await podsOf(cs, 'gone'))[0]);
    // No garbage collector runs here: the pod stays, owned by a Job that is gone.
    await cs.jobs.delete('default', 'gone');
    await eventually('finalizer removed', async () => !(await cs.pods.get('default', pod.metadata?.name ?? '')).metadata?.finalizers?.includes(trackingFinalizer));
  });
});
