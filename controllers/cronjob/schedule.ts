// When a CronJob should have started last, how many starts it missed, and when it starts next
// (pkg/controller/cronjob/utils.go mostRecentScheduleTime), on the CronJob's time zone.
import { cron, type CronJob } from '../../api/index.js';

/** More missed starts than this are reported (TooManyMissedTimes) rather than made up for. */
export const maxMissedReported = 100;

/** Without spec.timeZone, the controller manager's own zone (as upstream uses time.Local). */
export const localZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export interface ScheduleView {
  /** The most recent start time ≤ now not yet taken, if any. */
  mostRecent?: number;
  /** Start times between the last one taken and now (only the most recent is run). */
  missed: number;
  /** The first start time after now. */
  next?: number;
}

export function scheduleView(cj: CronJob, now: number): ScheduleView {
  const spec = cj.spec!;
  const schedule = cron.parseSchedule(spec.schedule);
  const zone = spec.timeZone ?? localZone();
  let earliest = Date.parse(cj.status?.lastScheduleTime ?? cj.metadata?.creationTimestamp ?? '');
  if (!Number.isFinite(earliest)) earliest = now;
  if (spec.startingDeadlineSeconds !== undefined) earliest = Math.max(earliest, now - spec.startingDeadlineSeconds * 1000);
  let missed = 0;
  let mostRecent: number | undefined;
  for (let t = cron.nextTime(schedule, earliest, zone); t !== undefined && t <= now; t = cron.nextTime(schedule, t, zone)) {
    mostRecent = t;
    missed++;
  }
  const next = cron.nextTime(schedule, now, zone);
  return { ...(mostRecent !== undefined ? { mostRecent } : {}), missed, ...(next !== undefined ? { next } : {}) };
}

/** The Job's name for a start time: `<cronjob>-<minutes since the epoch>`, so each start makes one Job. */
export function jobNameFor(cj: CronJob, scheduled: number): string {
  return `${cj.metadata?.name}-${Math.floor(scheduled / 60_000)}`;
}

/** RFC 3339 with the zone's offset, as the `batch.kubernetes.io/cronjob-scheduled-timestamp` annotation. */
export function zonedTimestamp(t: number, zone: string): string {
  const offset = cron.zoneOffsetMs(t, zone);
  const wall = new Date(t + offset).toISOString().replace(/\.\d{3}Z$/, '');
  if (offset === 0) return `${wall}Z`;
  const m = Math.abs(offset) / 60_000;
  return `${wall}${offset < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
