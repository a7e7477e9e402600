// Cron schedules as CronJobs use them (robfig/cron ParseStandard): five fields
// (minute hour day-of-month month day-of-week) with `*`, `?`, lists, ranges, steps and
// JAN-DEC / SUN-SAT names, or a macro (@yearly, @monthly, @weekly, @daily, @hourly).
// Times are computed on the wall clock of an IANA time zone (Intl), so no I/O.

export interface Schedule {
  minute: boolean[];
  hour: boolean[];
  dom: boolean[];
  month: boolean[];
  dow: boolean[];
  /** Day-of-month or day-of-week was `*`/`?`: then both must match, else either may (cron's rule). */
  domStar: boolean;
  dowStar: boolean;
}

const macros: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const dayNames = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface Bounds { min: number; max: number; names?: string[]; nameBase?: number }
const fieldBounds: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: monthNames, nameBase: 1 },
  { min: 0, max: 6, names: dayNames, nameBase: 0 },
];

function parseValue(s: string, b: Bounds): number {
  const named = b.names?.indexOf(s.toLowerCase()) ?? -1;
  if (named >= 0) return named + (b.nameBase ?? 0);
  if (!/^\d+$/.test(s)) throw new Error(`failed to parse int from ${s}`);
  return Number(s);
}

function parseField(text: string, b: Bounds): { bits: boolean[]; star: boolean } {
  const bits = new Array<boolean>(b.max + 1).fill(false);
  let star = false;
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      [lo, hi] = [b.min, b.max];
      if (stepText === undefined) star = true;
    } else {
      const [a = '', z] = range.split('-');
      lo = parseValue(a, b);
      hi = z !== undefined ? parseValue(z, b) : stepText !== undefined ? b.max : lo;
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step <= 0) throw new Error(`step of range should be a positive number: ${part}`);
    if (lo < b.min) throw new Error(`beginning of range (${lo}) below minimum (${b.min}): ${part}`);
    if (hi > b.max) throw new Error(`end of range (${hi}) above maximum (${b.max}): ${part}`);
    if (lo > hi) throw new Error(`beginning of range (${lo}) beyond end of range (${hi}): ${part}`);
    for (let v = lo; v <= hi; v += step) bits[v] = true;
  }
  return { bits, star };
}

/** Parses a schedule; throws an Error whose message says what is wrong. */
export function parseSchedule(text: string): Schedule {
  const trimmed = text.trim();
  if (trimmed.startsWith('TZ=') || trimmed.startsWith('CRON_TZ=')) throw new Error('cannot use TZ or CRON_TZ in schedule, use timeZone field instead');
  const spec = trimmed.startsWith('@') ? macros[trimmed.toLowerCase()] : trimmed;
  if (spec === undefined) throw new Error(`unrecognized descriptor: ${trimmed}`);
  const parts = spec.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) throw new Error(`expected exactly 5 fields, found ${parts.length}: ${text}`);
  const [minute, hour, dom, month, dow] = parts.map((p, i) => parseField(p, fieldBounds[i]!)) as [
    ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>,
  ];
  return { minute: minute.bits, hour: hour.bits, dom: dom.bits, month: month.bits, dow: dow.bits, domStar: dom.star, dowStar: dow.star };
}

/** Whether `zone` is an IANA zone this runtime knows (as Go's time.LoadLocation). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at instant `t` (ms): wall clock minus UTC. */
export function zoneOffsetMs(t: number, zone: string): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    formatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 1970, (p.month ?? 1) - 1, p.day ?? 1, p.hour ?? 0, p.minute ?? 0, p.second ?? 0);
  return wall - (t - (t % 1000 + 1000) % 1000);
}

function dayMatches(s: Schedule, w: Date): boolean {
  const dom = s.dom[w.getUTCDate()] === true;
  const dow = s.dow[w.getUTCDay()] === true;
  return s.domStar || s.dowStar ? dom && dow : dom || dow;
}

/** The first scheduled instant strictly after `after` (ms), on `zone`'s wall clock; undefined if none within 5 years. */
export function nextTime(s: Schedule, after: number, zone = 'UTC'): number | undefined {
  // Walk the wall clock (a Date read with UTC getters), as robfig/cron does in its location.
  const w = new Date(Math.floor((after + zoneOffsetMs(after, zone)) / 60_000) * 60_000 + 60_000);
  const limit = w.getUTCFullYear() + 5;
  while (w.getUTCFullYear() <= limit) {
    if (!s.month[w.getUTCMonth() + 1]) {
      w.setUTCMonth(w.getUTCMonth() + 1, 1);
      w.setUTCHours(0, 0, 0, 0);
    } else if (!dayMatches(s, w)) {
      w.setUTCDate(w.getUTCDate() + 1);
      w.setUTCHours(0, 0, 0, 0);
    } else if (!s.hour[w.getUTCHours()]) {
      w.setUTCHours(w.getUTCHours() + 1, 0, 0, 0);
    } else if (!s.minute[w.getUTCMinutes()]) {
      w.setUTCMinutes(w.getUTCMinutes() + 1, 0, 0);
    } else {
      // Wall time → instant: the offset at the guess, corrected once (DST edges).
      const wall = w.getTime();
      let t = wall - zoneOffsetMs(wall, zone);
      t = wall - zoneOffsetMs(t, zone);
      if (t > after) return t;
      w.setUTCMinutes(w.getUTCMinutes() + 1, 0, 0);
    }
  }
  return undefined;
}
