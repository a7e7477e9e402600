import assert from 'node:assert/strict';
import { nextTime, parseSchedule } from './cron.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (t: number | undefined): string => (t === undefined ? 'none' : new Date(t).toISOString());

describe('cron schedules', () => {
  const cases: Array<[string, string, string, string?]> = [
    ['*/15 * * * *', '2026-03-01T10:07:00Z', '2026-03-01T10:15:00.000Z'],
    ['0 * * * *', '2026-03-01T10:00:00Z', '2026-03-01T11:00:00.000Z'],
    ['@hourly', '2026-03-01T10:59:59Z', '2026-03-01T11:00:00.000Z'],
    ['@daily', '2026-03-01T10:00:00Z', '2026-03-02T00:00:00.000Z'],
    ['@weekly', '2026-03-04T10:00:00Z', '2026-03-08T00:00:00.000Z'], // next Sunday
    ['@yearly', '2026-03-01T00:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['30 9 * * MON-FRI', '2026-03-06T10:00:00Z', '2026-03-09T09:30:00.000Z'], // Friday after → Monday
    ['0 0 1,15 FEB *', '2026-02-01T00:00:00Z', '2026-02-15T00:00:00.000Z'],
    ['0 12 13 * 5', '2026-03-01T00:00:00Z', '2026-03-06T12:00:00.000Z'], // dom or dow: the first Friday
    ['0 9 * * *', '2026-03-01T00:00:00Z', '2026-03-01T08:00:00.000Z', 'Europe/Paris'], // 09:00 CET
    ['30 2 * * *', '2026-03-29T00:00:00Z', '2026-03-29T01:30:00.000Z', 'Europe/Paris'], // inside the DST gap: lands just after
  ];
  for (const [schedule, after, next, zone] of cases) {
    it(`${schedule}${zone ? ` in ${zone}` : ''} after ${after} is ${next}`, () => {
      assert.equal(iso(nextTime(parseSchedule(schedule), at(after), zone)), next);
    });
  }

  it('rejects malformed schedules with a reason', () => {
    assert.throws(() => parseSchedule('* * * *'), /expected exactly 5 fields, found 4/);
    assert.throws(() => parseSchedule('@sometimes'), /unrecognized descriptor/);
    assert.throws(() => parseSchedule('*/0 * * * *'), /positive/);
    assert.throws(() => parseSchedule('5-1 * * * *'), /beyond end of range/);
    assert.throws(() => parseSchedule('x * * * *'), /failed to parse int from x/);
  });

  it('never matches February 30th', () => {
    assert.equal(nextTime(parseSchedule('0 0 30 2 *'), at('2026-01-01T00:00:00Z')), undefined);
  });
});
