// Building blocks of `describe` output: an indented key/value writer aligned like kubectl's
// tabwriter, and the sections several kinds share (metadata, pod template, events).
import type { Container, Event, ObjectMeta, PodTemplateSpec } from '../../api/index.js';
import { alignRows, humanDuration } from './format.js';

type Entry = { indent: number; key: string; values: string[] } | { indent: number; text: string };

/** Collects `Key:  value` lines; consecutive keys at one indent are aligned (2 spaces past the widest). */
export class Describer {
  private readonly entries: Entry[] = [];

  /** A key and its value; a list value continues on following lines under the first. */
  kv(key: string, value: string | string[] | number | boolean | undefined, indent = 0): this {
    const values = Array.isArray(value) ? (value.length ? value : ['<none>']) : [value === undefined ? '<none>' : String(value)];
    this.entries.push({ indent, key: `${key}:`, values });
    return this;
  }

  /** A line as given (a section header, or an already aligned table line). */
  line(text: string, indent = 0): this {
    this.entries.push({ indent, text });
    return this;
  }

  /** `heading` then an aligned table (header rows, then rows), or `Heading:  <none>` without rows. */
  table(heading: string, header: string[][], rows: string[][], indent = 0): this {
    if (rows.length === 0) return this.kv(heading.replace(/:.*$/, ''), '<none>', indent);
    this.line(heading, indent);
    for (const l of alignRows([...header, ...rows], '', 2).split('\n')) this.line(l.trimEnd(), indent + 1);
    return this;
  }

  toString(): string {
    const out: string[] = [];
    for (let i = 0; i < this.entries.length; i++) {
      const e = this.entries[i]!;
      const pad = '  '.repeat(e.indent);
      if ('text' in e) {
        out.push(pad + e.text);
        continue;
      }
      let j = i;
      let width = 0;
      while (j < this.entries.length) {
        const f = this.entries[j]!;
        if ('text' in f || f.indent !== e.indent) break;
        width = Math.max(width, f.key.length);
        j++;
      }
      for (let k = i; k < j; k++) {
        const f = this.entries[k] as Extract<Entry, { key: string }>;
        const [first = '', ...rest] = f.values;
        out.push(`${pad}${f.key.padEnd(width + 2)}${first}`.trimEnd());
        for (const r of rest) out.push(`${pad}${' '.repeat(width + 2)}${r}`);
      }
      i = j - 1;
    }
    return `${out.join('\n')}\n`;
  }
}

export const mapLines = (m: Record<string, string> | undefined, sep = '='): string[] =>
  Object.entries(m ?? {}).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}${sep}${v}`);

/** Annotations without the bulky last-applied copy, as kubectl shows them. */
export const annotationLines = (m: Record<string, string> | undefined): string[] =>
  mapLines(Object.fromEntries(Object.entries(m ?? {}).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')), ': ');

/** kubectl's timestamp style in describe: `Sun, 22 Nov 2026 03:41:58 +0000`. */
export function timestamp(ts: string | undefined): string | undefined {
  if (!ts) return undefined;
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toUTCString().replace('GMT', '+0000');
}

export function describeMeta(w: Describer, meta: ObjectMeta | undefined, namespaced: boolean): void {
  w.kv('Name', meta?.name ?? '');
  if (namespaced) w.kv('Namespace', meta?.namespace ?? '');
}

export function describeContainers(w: Describer, title: string, containers: Container[] | undefined, indent: number): void {
  if (!containers?.length) return;
  w.line(`${title}:`, indent);
  for (const c of containers) {
    w.line(`${c.name}:`, indent + 1);
    const ports = (c.ports ?? []).map((p) => `${p.containerPort}/${p.protocol ?? 'TCP'}`);
    w.kv('Image', c.image ?? '', indent + 2);
    w.kv('Port', ports.length ? ports.join(', ') : '<none>', indent + 2);
    if (c.command?.length) w.kv('Command', c.command, indent + 2);
    if (c.args?.length) w.kv('Args', c.args, indent + 2);
    for (const [title, list] of [['Limits', c.resources?.limits], ['Requests', c.resources?.requests]] as const) {
      if (!list || Object.keys(list).length === 0) continue;
      w.line(`${title}:`, indent + 2);
      for (const [k, v] of Object.entries(list)) w.kv(k, String(v), indent + 3);
    }
    const env = (c.env ?? []).map((e) => `${e.name}: ${e.value ?? (e.valueFrom ? '(from a reference)' : '')}`);
    w.kv('Environment', env, indent + 2);
    w.kv('Mounts', (c.volumeMounts ?? []).map((m) => `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})`), indent + 2);
  }
}

/** The `Pod Template:` section of workloads (also used by `rollout history --revision`). */
export function describeTemplate(t: PodTemplateSpec | undefined, _title = 'Pod Template'): string {
  const w = new Describer();
  templateInto(w, t, 0);
  return w.toString().trimEnd();
}

export function templateInto(w: Describer, t: PodTemplateSpec | undefined, indent: number): void {
  w.kv('Labels', mapLines(t?.metadata?.labels), indent);
  const ann = annotationLines(t?.metadata?.annotations);
  if (ann.length) w.kv('Annotations', ann, indent);
  describeContainers(w, 'Init Containers', t?.spec?.initContainers, indent);
  describeContainers(w, 'Containers', t?.spec?.containers, indent);
  w.kv('Volumes', (t?.spec?.volumes ?? []).map((v) => v.name), indent);
  if (t?.spec?.nodeSelector) w.kv('Node-Selectors', mapLines(t.spec.nodeSelector), indent);
}

/** The Events table: Type, Reason, Age (`5s (x3 over 2m)`), From, Message; oldest first. */
export function describeEvents(w: Describer, events: Event[], now = Date.now()): void {
  const when = (e: Event): string | undefined => e.lastTimestamp ?? e.series?.lastObservedTime ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const sorted = [...events].sort((a, b) => Date.parse(when(a) ?? '') - Date.parse(when(b) ?? ''));
  const rows: string[][] = [];
  for (const e of sorted) {
    const last = Date.parse(when(e) ?? '');
    const first = Date.parse(e.firstTimestamp ?? e.eventTime ?? when(e) ?? '');
    const count = e.series?.count ?? e.count ?? 1;
    let age = Number.isNaN(last) ? '<unknown>' : humanDuration(now - last);
    if (count > 1 && !Number.isNaN(first)) age = `${age} (x${count} over ${humanDuration(now - first)})`;
    rows.push([e.type ?? '', e.reason ?? '', age, e.source?.component ?? e.reportingComponent ?? '', (e.message ?? '').trim()]);
  }
  w.table('Events:', [['Type', 'Reason', 'Age', 'From', 'Message'], ['----', '------', '----', '----', '-------']], rows);
}
