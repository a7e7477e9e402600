import assert from 'node:assert/strict';
import { nextRun, parseCron } from './cron.js';

const at = (s: string): Date => new Date(s); // local time, like cron
const next = (expr: string, after: string): string => {
  const d = nextRun(parseCron(expr), at(after));
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

describe('cron expressions', () => {
  it('finds the next run', () => {
    const cases: Array<[string, string, string]> = [
      ['0 */6 * * *', '2026-12-04T17:29:30', '2026-12-04T18:00'],
      ['0 */6 * * *', '2026-12-04T18:00:00', '2026-12-05T00:00'],
      ['* * * * *', '2026-12-04T17:29:59', '2026-12-04T17:30'],
      ['*/15 9-17 * * 1-5', '2026-12-04T17:50:00', '2026-12-07T09:00'], // Friday evening → Monday
      ['30 2 1 * *', '2026-12-04T00:00:00', '2027-01-01T02:30'],
      ['0 0 29 2 *', '2026-03-01T00:00:00', '2028-02-29T00:00'],
      ['0 12 * * 7', '2026-12-04T00:00:00', '2026-12-06T12:00'], // 7 is Sunday too
      ['0 0 13 * 5', '2026-12-04T01:00:00', '2026-12-11T00:00'], // day 13 OR a Friday
      ['5,10-12/2 * * * *', '2026-12-04T17:06:00', '2026-12-04T17:10'],
    ];
    for (const [expr, after, want] of cases) assert.equal(next(expr, after), want, `${expr} after ${after}`);
  });

  it('rejects what it cannot read, naming the field', () => {
    assert.throws(() => parseCron('0 */6 * *'), /5 fields/);
    assert.throws(() => parseCron('61 * * * *'), /minute: "61" is outside 0-59/);
    assert.throws(() => parseCron('0 0 * 13 *'), /month/);
    assert.throws(() => parseCron('0 0 * * mon'), /day of week: cannot read "mon"/);
    assert.throws(() => nextRun(parseCron('0 0 31 2 *'), new Date()), /never runs/);
  });
});
