// Standard five-field cron expressions (minute hour day-of-month month day-of-week), as
// `--etcd-snapshot-schedule` takes them: numbers, `*`, ranges `a-b`, steps `*/n` and `a-b/n`,
// and lists. As in cron, when both day fields are restricted a day matching either one counts.
// Times are local, like cron's.

interface Field {
  name: string;
  min: number;
  max: number;
}

const fields: Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 }, // 0 and 7 are both Sunday
];

export interface Cron {
  expression: string;
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Whether each day field was `*`. */
  anyDay: boolean;
  anyWeekday: boolean;
}

function parseField(text: string, f: Field): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`${f.name}: cannot read ${JSON.stringify(part)}`);
    const from = m[1] === '*' ? f.min : Number(m[2]);
    const to = m[1] === '*' ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? f.max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < f.min || to > f.max || from > to || step < 1) throw new Error(`${f.name}: ${JSON.stringify(part)} is outside ${f.min}-${f.max}`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expression: string): Cron {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`a cron expression has 5 fields (minute hour day-of-month month day-of-week), not ${parts.length}: ${JSON.stringify(expression)}`);
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, fields[i] as Field)) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (weekdays.has(7)) weekdays.add(0);
  return { expression, minutes, hours, days, months, weekdays, anyDay: parts[2] === '*', anyWeekday: parts[4] === '*' };
}

function dayMatches(c: Cron, d: Date): boolean {
  const dom = c.days.has(d.getDate());
  const dow = c.weekdays.has(d.getDay());
  if (c.anyDay || c.anyWeekday) return dom && dow;
  return dom || dow;
}

/** The first minute strictly after `after` that the expression names (within 4 years). */
export function nextRun(c: Cron, after: Date): Date {
  const t = new Date(after.getTime());
  t.setSeconds(0, 0);
  t.setMinutes(t.getMinutes() + 1);
  const limit = after.getTime() + 4 * 366 * 24 * 3600_000;
  while (t.getTime() <= limit) {
    if (!c.months.has(t.getMonth() + 1)) {
      t.setMonth(t.getMonth() + 1, 1);
      t.setHours(0, 0);
    } else if (!dayMatches(c, t)) {
      t.setDate(t.getDate() + 1);
      t.setHours(0, 0);
    } else if (!c.hours.has(t.getHours())) {
      t.setHours(t.getHours() + 1, 0);
    } else if (!c.minutes.has(t.getMinutes())) {
      t.setMinutes(t.getMinutes() + 1);
    } else {
      return t;
    }
  }
  throw new Error(`${JSON.stringify(c.expression)} never runs`);
}
