// The CronJob controller against a real apiserver with a fake clock the test moves forward;
// no Job controller runs, the test finishes Jobs by writing their status.
import assert from 'node:assert/strict';
import type { CronJob, Job } from '../../api/index.js';
import { eventually, startControllers, type Harness } from '../support.testkit.js';
import { cronJobController, scheduledTimestampKey } from './index.js';
import { jobNameFor, scheduleView, zonedTimestamp } from './schedule.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const minute = 60_000;
let offset = 0;
const clock = (): number => Date.now() + offset;

function cronJob(name: string, spec: Obj = {}): CronJob {
  return {
    apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name },
    spec: {
      schedule: '*/5 * * * *', timeZone: 'UTC',
      jobTemplate: { metadata: { labels: { app: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  } as CronJob;
}

describe('cronjob schedule (pure)', () => {
  const cj = (extra: Obj = {}, status: Obj = {}): CronJob => ({ ...cronJob('x', extra), metadata: { name: 'x', creationTimestamp: '2026-01-01T00:00:30Z' }, status } as CronJob);
  it('finds the most recent start, the missed count and the next start', () => {
    const v = scheduleView(cj(), Date.parse('2026-01-01T00:17:00Z'));
    assert.equal(new Date(v.mostRecent!).toISOString(), '2026-01-01T00:15:00.000Z');
    assert.equal(v.missed, 3);
    assert.equal(new Date(v.next!).toISOString(), '2026-01-01T00:20:00.000Z');
  });
  it('starts counting after lastScheduleTime, and no earlier than startingDeadlineSeconds', () => {
    assert.equal(scheduleView(cj({}, { lastScheduleTime: '2026-01-01T00:15:00Z' }), Date.parse('2026-01-01T00:17:00Z')).mostRecent, undefined);
    assert.equal(scheduleView(cj({ startingDeadlineSeconds: 60 }), Date.parse('2026-01-01T00:17:00Z')).missed, 0);
  });
  it('names Jobs by the start minute and stamps the start in the zone', () => {
    const t = Date.parse('2026-07-01T03:00:00Z');
    assert.equal(jobNameFor(cj(), t), `x-${t / minute}`);
    assert.equal(zonedTimestamp(t, 'Europe/Paris'), '2026-07-01T05:00:00+02:00');
    assert.equal(zonedTimestamp(t, 'UTC'), '2026-07-01T03:00:00Z');
  });
});

describe('cronjob controller (real apiserver, fake clock)', function () {
  this.timeout(60_000);
  let h: Harness;
  before(async () => {
    h = await startControllers([cronJobController({ now: clock })]);
  });
  after(async () => h?.stop());
  // Each CronJob is created with the clock at the real time (before its first start).
  beforeEach(() => {
    offset = 0;
  });

  /** Moves the clock to `minutes` after the CronJob's creation (rounded to a 5-minute start + 1 s) and wakes the controller. */
  async function advanceTo(name: string, starts: number): Promise<number> {
    const cj = await h.cs.cronJobs.get('default', name);
    const created = Date.parse(cj.metadata?.creationTimestamp ?? '');
    const start = Math.ceil((created + 1) / (5 * minute)) * 5 * minute + (starts - 1) * 5 * minute;
    offset = start + 1000 - Date.now();
    await h.cs.cronJobs.patch('default', name, { metadata: { annotations: { tick: String(start) } } });
    return start;
  }

  const jobsOf = async (name: string): Promise<Job[]> => (await h.cs.jobs.list('default', { labelSelector: `app=${name}` })).items.filter((j) => !j.metadata?.deletionTimestamp);
  async function finish(job: Job, type: 'Complete' | 'Failed'): Promise<void> {
    const t = new Date(clock()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await h.cs.jobs.patchStatus('default', job.metadata?.name ?? '', { status: { startTime: t, ...(type === 'Complete' ? { completionTime: t } : {}), conditions: [{ type, status: 'True', lastTransitionTime: t }] } });
  }
  const events = async (name: string, reason: string): Promise<number> =>
    (await h.cs.events.list('default')).items.filter((e) => e.involvedObject?.name === name && e.reason === reason).length;

  it('creates a Job at each start time, tracks it as active, records the last schedule and success', async () => {
    await h.cs.cronJobs.create('default', cronJob('tick'));
    const start = await advanceTo('tick', 1);
    const [job] = await eventually('a job', async () => { const js = await jobsOf('tick'); return js.length === 1 ? js : undefined; });
    assert.equal(job?.metadata?.name, `tick-${start / minute}`);
    assert.equal(job?.metadata?.annotations?.[scheduledTimestampKey], new Date(start).toISOString().replace('.000Z', 'Z'));
    assert.equal(job?.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
    const cj = await eventually('status', async () => { const c = await h.cs.cronJobs.get('default', 'tick'); return c.status?.active?.length === 1 ? c : undefined; });
    assert.equal(cj.status?.lastScheduleTime, new Date(start).toISOString().replace('.000Z', 'Z'));
    assert.equal(cj.status?.active?.[0]?.name, job?.metadata?.name);
    await finish(job!, 'Complete');
    const after = await eventually('last success', async () => { const c = await h.cs.cronJobs.get('default', 'tick'); return c.status?.lastSuccessfulTime && !c.status.active ? c : undefined; });
    assert.ok(after.status?.lastSuccessfulTime);
  });

  it('Forbid: does not start while the previous Job runs', async () => {
    await h.cs.cronJobs.create('default', cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
    await advanceTo('forbid', 1);
    await eventually('first job', async () => (await jobsOf('forbid')).length === 1);
    await advanceTo('forbid', 2);
    await eventually('JobAlreadyActive event', async () => (await events('forbid', 'JobAlreadyActive')) > 0);
    assert.equal((await jobsOf('forbid')).length, 1);
  });

  it('Replace: deletes the running Job and starts the new one', async () => {
    await h.cs.cronJobs.create('default', cronJob('replace', { concurrencyPolicy: 'Replace' }));
    const first = await advanceTo('replace', 1);
    await eventually('first job', async () => (await jobsOf('replace')).length === 1);
    const second = await advanceTo('replace', 2);
    const jobs = await eventually('only the second job', async () => { const js = await jobsOf('replace'); return js.length === 1 && js[0]?.metadata?.name === `replace-${second / minute}` ? js : undefined; });
    assert.notEqual(jobs[0]?.metadata?.name, `replace-${first / minute}`);
  });

  it('keeps successfulJobsHistoryLimit finished Jobs, deleting the oldest', async () => {
    await h.cs.cronJobs.create('default', cronJob('hist', { successfulJobsHistoryLimit: 1 }));
    for (let i = 1; i <= 3; i++) {
      await advanceTo('hist', i);
      const job = await eventually(`job ${i}`, async () => (await jobsOf('hist')).find((j) => !j.status?.conditions?.length));
      await finish(job, 'Complete');
    }
    const left = await eventually('one finished job left', async () => { const js = await jobsOf('hist'); return js.length === 1 ? js : undefined; });
    assert.match(left[0]?.metadata?.name ?? '', /^hist-\d+$/);
  });

  it('after more than 100 missed starts, warns and runs only the most recent', async () => {
    await h.cs.cronJobs.create('default', cronJob('late', { schedule: '* * * * *' }));
    const cj = await h.cs.cronJobs.get('default', 'late');
    offset = Date.parse(cj.metadata?.creationTimestamp ?? '') + 150 * minute - Date.now();
    await h.cs.cronJobs.patch('default', 'late', { metadata: { annotations: { tick: 'late' } } });
    await eventually('TooManyMissedTimes', async () => (await events('late', 'TooManyMissedTimes')) > 0);
    const jobs = await eventually('one job', async () => { const js = await jobsOf('late'); return js.length === 1 ? js : undefined; });
    assert.equal(jobs[0]?.metadata?.name, `late-${Math.floor(clock() / minute)}`);
  });

  it('starts nothing while suspended; on resume runs only the most recent missed start', async () => {
    await h.cs.cronJobs.create('default', cronJob('paused', { suspend: true }));
    const third = await advanceTo('paused', 3);
    assert.equal((await jobsOf('paused')).length, 0);
    await h.cs.cronJobs.patch('default', 'paused', { spec: { suspend: false } });
    const jobs = await eventually('a job after resume', async () => { const js = await jobsOf('paused'); return js.length > 0 ? js : undefined; });
    assert.deepEqual(jobs.map((j) => j.metadata?.name), [`paused-${third / minute}`]);
  });
});
