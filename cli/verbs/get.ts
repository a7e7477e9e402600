// `skiff get`: tables from the server (`as=Table`), or objects as yaml/json/name; -w streams rows.
import { Command } from 'commander';
import type { IncomingMessage } from 'node:http';
import { stringify } from 'yaml';
import type { ResourceType } from '../../api/resource.js';
import { apiVersionOf } from '../../api/resource.js';
import { isNotFound, type KubeObject } from '../../client/index.js';
import { alignRows } from './format.js';
import { sleep } from './wait.js';
import { clientFor, kindPrefix, parseTargets, type Target } from './resources.js';
import { action, CliError, errorLine, withClientFlags, type Session } from './session.js';
import { getTable, tableAccept, tableCells, type Table, type TableLayout, type TableRow } from './table.js';

interface GetFlags {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  showLabels?: boolean;
}

export function getCommand(): Command {
  return withClientFlags(new Command('get'))
    .description('list objects as tables (kubectl columns), or print them as yaml/json/name')
    .argument('<type[/name]...>', 'TYPE [NAME...], TYPE1,TYPE2, or TYPE/NAME...')
    .option('-o, --output <format>', 'wide, yaml, json or name')
    .option('-l, --selector <selector>', 'label selector, e.g. app=web,tier!=db')
    .option('--field-selector <selector>', 'field selector, e.g. status.phase=Running')
    .option('-A, --all-namespaces', 'list across all namespaces')
    .option('-w, --watch', 'after listing, stream changes as rows')
    .option('--show-labels', 'add a LABELS column')
    .action(action(async (s: Session, args: string[], flags: GetFlags) => {
      const format = flags.output ?? 'table';
      if (!['table', 'wide', 'yaml', 'json', 'name'].includes(format)) {
        throw new CliError(`unable to match a printer suitable for the output format "${format}", allowed formats are: json,name,wide,yaml`);
      }
      const targets = parseTargets(args);
      if (flags.allNamespaces && targets.some((t) => t.name !== undefined)) throw new CliError('a resource cannot be retrieved by name across all namespaces');
      if (flags.watch && new Set(targets.map((t) => t.rt)).size > 1) throw new CliError('you may only specify a single resource type with --watch');
      const ok = format === 'table' || format === 'wide'
        ? await printTables(s, targets, flags, format === 'wide')
        : await printObjects(s, targets, flags, format);
      if (!ok) process.exitCode = 1;
    }));
}

/** Targets grouped by type, in the order given; `names` empty means "list". */
function groupTargets(targets: Target[]): Array<{ rt: ResourceType; names: string[] }> {
  const groups: Array<{ rt: ResourceType; names: string[] }> = [];
  for (const t of targets) {
    let g = groups.find((x) => x.rt === t.rt);
    if (!g) groups.push((g = { rt: t.rt, names: [] }));
    if (t.name !== undefined) g.names.push(t.name);
  }
  return groups;
}

function scope(s: Session, rt: ResourceType, flags: GetFlags): string | undefined {
  return rt.namespaced && !flags.allNamespaces ? s.namespace : undefined;
}

function listQuery(flags: GetFlags): Record<string, string | undefined> {
  return { labelSelector: flags.selector, fieldSelector: flags.fieldSelector };
}

async function printTables(s: Session, targets: Target[], flags: GetFlags, wide: boolean): Promise<boolean> {
  const groups = groupTargets(targets);
  let ok = true;
  let printed = 0;
  for (const { rt, names } of groups) {
    const client = clientFor(s.cs, rt);
    const ns = scope(s, rt, flags);
    const tables: Table[] = [];
    if (names.length === 0) {
      tables.push(await getTable(client, ns, undefined, listQuery(flags)));
    } else {
      for (const name of names) {
        try {
          tables.push(await getTable(client, s.namespace, name));
        } catch (err) {
          ok = false;
          process.stderr.write(`${errorLine(err)}\n`);
        }
      }
    }
    const rows = tables.flatMap((t) => t.rows ?? []);
    const columns = tables[0]?.columnDefinitions ?? [];
    const layout: TableLayout = {
      wide,
      withNamespace: flags.allNamespaces === true && rt.namespaced,
      showLabels: flags.showLabels === true,
      ...(groups.length > 1 ? { nameOf: (r: TableRow) => `${kindPrefix(rt)}/${r.object?.metadata?.name ?? ''}` } : {}),
    };
    if (rows.length > 0 || flags.watch) {
      if (printed++ > 0) process.stdout.write('\n');
      const cells = tableCells(columns, rows, layout);
      process.stdout.write(`${alignRows(rows.length > 0 ? cells : cells.slice(0, 1))}\n`);
      if (flags.watch) await watchRows(s, rt, ns, names[0], tables[0]?.metadata?.resourceVersion, flags, cells, layout);
    }
  }
  if (printed === 0 && ok) process.stderr.write(`${noResources(s, groups[0]!.rt, flags)}\n`);
  return ok;
}

function noResources(s: Session, rt: ResourceType, flags: GetFlags): string {
  return rt.namespaced && !flags.allNamespaces ? `No resources found in ${s.namespace} namespace.` : 'No resources found';
}

/**
 * Streams a Table watch: each event carries a one-row Table; rows are padded to the first
 * table's widths. When the server ends the stream (its watch timeout), it resumes from the last
 * resourceVersion seen; SIGINT/SIGTERM end it quietly.
 */
async function watchRows(
  s: Session, rt: ResourceType, ns: string | undefined, name: string | undefined, rv: string | undefined,
  flags: GetFlags, first: string[][], layout: TableLayout,
): Promise<void> {
  const client = clientFor(s.cs, rt);
  const widths = first[0]!.map((_, i) => Math.max(...first.map((r) => r[i]?.length ?? 0)));
  let columns = undefined as Table['columnDefinitions'];
  const stopped = new AbortController();
  const stop = (): void => stopped.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  while (!stopped.signal.aborted) {
    let res: IncomingMessage;
    try {
      res = await client.transport.stream(client.path(ns), {
        query: { watch: true, resourceVersion: rv, labelSelector: flags.selector, fieldSelector: name ? `metadata.name=${name}` : flags.fieldSelector },
        headers: { accept: tableAccept },
        signal: stopped.signal,
      });
    } catch (err) {
      if (stopped.signal.aborted) return;
      throw err;
    }
    res.setEncoding('utf8');
    let buf = '';
    try {
      for await (const chunk of res as AsyncIterable<string>) {
        buf += chunk;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          const ev = JSON.parse(line) as { type: string; object: Table & { message?: string; metadata?: { resourceVersion?: string } } };
          if (ev.type === 'ERROR') throw new CliError(`watch ended by the server: ${ev.object.message ?? 'unknown error'}`);
          const rows = ev.object.rows ?? [];
          rv = rows[rows.length - 1]?.object?.metadata?.resourceVersion ?? ev.object.metadata?.resourceVersion ?? rv;
          if (ev.type === 'BOOKMARK') continue;
          columns = ev.object.columnDefinitions?.length ? ev.object.columnDefinitions : columns;
          if (!columns) continue;
          for (const row of tableCells(columns, rows, layout).slice(1)) {
            process.stdout.write(`${row.map((c, i) => (i === row.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('')}\n`);
          }
        }
      }
    } catch (err) {
      if (!stopped.signal.aborted) throw err;
    }
    if (!stopped.signal.aborted) await sleep(250);
  }
}

async function printObjects(s: Session, targets: Target[], flags: GetFlags, format: string): Promise<boolean> {
  const items: KubeObject[] = [];
  let ok = true;
  let single = targets.length === 1 && targets[0]!.name !== undefined;
  for (const { rt, names } of groupTargets(targets)) {
    const client = clientFor(s.cs, rt);
    const typed = (o: KubeObject): KubeObject => ({ apiVersion: apiVersionOf(rt), kind: rt.kind, ...o });
    if (names.length === 0) {
      single = false;
      const list = await client.listAll(scope(s, rt, flags), listQuery(flags));
      items.push(...list.items.map(typed));
    }
    for (const name of names) {
      try {
        items.push(typed(await client.get(s.namespace, name)));
      } catch (err) {
        if (!isNotFound(err)) throw err;
        ok = false;
        process.stderr.write(`${errorLine(err)}\n`);
      }
    }
    if (format === 'name') {
      for (const o of items.splice(0)) process.stdout.write(`${kindPrefix(rt)}/${o.metadata?.name ?? ''}\n`);
    }
  }
  if (format === 'name') return ok;
  if (single && items.length === 1) {
    write(items[0]!, format);
  } else if (items.length > 0 || ok) {
    write({ apiVersion: 'v1', kind: 'List', items, metadata: { resourceVersion: '' } }, format);
  }
  return ok;
}

function write(obj: unknown, format: string): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(obj, null, 4)}\n` : stringify(obj));
}
