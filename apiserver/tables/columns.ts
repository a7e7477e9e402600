// Shared pieces of the `as=Table` printers: column definitions, the row shape, and the
// formatting helpers of Kubernetes' pkg/printers (HumanDuration, label and selector strings).

// Printers read arbitrary stored JSON the way Kubernetes' printers read typed structs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface RowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface Printed {
  cells: unknown[];
  conditions?: RowCondition[];
}

/** A kind's printer: its columns (wide ones at priority 1) and one row per object. */
export interface Printer {
  columns: Column[];
  /** `now` in milliseconds, so ages are computed once per response (and in tests, fixed). */
  row(obj: Obj, now: number): Printed;
}

export function col(name: string, type: string, description: string, priority = 0, format = ''): Column {
  return { name, type, format, description, priority };
}

export const nameColumn = col('Name', 'string',
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  0, 'name');

export const ageColumn = col('Age', 'string',
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: `<unknown>` for an unset time. */
export function since(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return '<unknown>';
  return humanDuration(now - t);
}

export function age(obj: Obj, now: number): string {
  return since(obj.metadata?.creationTimestamp, now);
}

export function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? (v as Obj[]) : [];
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** labels.FormatLabels: sorted `k=v` pairs, `<none>` when empty. */
export function formatLabels(m: unknown): string {
  const entries = m && typeof m === 'object' ? Object.entries(m as Record<string, string>) : [];
  if (entries.length === 0) return '<none>';
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join(',');
}

/** metav1.LabelSelectorAsSelector(sel).String(): requirements sorted by key, `in` values sorted. */
export function formatSelector(sel: Obj | undefined): string {
  if (!sel) return '';
  const reqs: [string, string][] = [];
  for (const [k, v] of Object.entries((sel.matchLabels ?? {}) as Record<string, string>)) reqs.push([k, `${k}=${v}`]);
  for (const e of arr(sel.matchExpressions)) {
    const key = str(e.key);
    const values = [...new Set(arr(e.values) as unknown as string[])].sort();
    switch (e.operator) {
      case 'In': reqs.push([key, `${key} in (${values.join(',')})`]); break;
      case 'NotIn': reqs.push([key, `${key} notin (${values.join(',')})`]); break;
      case 'Exists': reqs.push([key, key]); break;
      case 'DoesNotExist': reqs.push([key, `!${key}`]); break;
      default: break;
    }
  }
  return reqs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s).join(',');
}

/** `+ N more...` lists of Kubernetes' endpoint printers. */
export function listWithMore(list: string[], more: boolean, count: number, max: number, empty: string): string {
  const ret = list.join(',');
  if (more) return `${ret} + ${count - max} more...`;
  return ret === '' ? empty : ret;
}

export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Containers and Images cells of the workload printers. */
export function containerCells(podSpec: Obj | undefined): [string, string] {
  const cs = arr(podSpec?.containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

/** The default table of kinds without a printer: Name and Created At. */
export const defaultPrinter: Printer = {
  columns: [
    nameColumn,
    col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.', 0),
  ],
  row: (o) => ({ cells: [str(o.metadata?.name), o.metadata?.creationTimestamp ?? null] }),
};
