// Server-side printing: ask the apiserver for meta.k8s.io Tables (the columns kubectl shows) and
// lay them out as kubectl does: upper-case headers, priority-1 columns only with -o wide,
// NAMESPACE first with -A, LABELS last with --show-labels.
import type { ObjectMeta } from '../../api/index.js';
import type { KubeObject, ResourceClient, Query } from '../../client/index.js';

export const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

export interface ColumnDefinition {
  name: string;
  type?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: ObjectMeta };
}

export interface Table {
  kind?: string;
  columnDefinitions?: ColumnDefinition[];
  rows?: TableRow[];
  metadata?: { resourceVersion?: string; continue?: string };
}

export interface TableLayout {
  wide: boolean;
  withNamespace: boolean;
  showLabels: boolean;
  /** Replaces the NAME cell (e.g. `deployment.apps/web` when several kinds are printed). */
  nameOf?: (row: TableRow) => string;
}

export function getTable(client: ResourceClient<KubeObject>, ns: string | undefined, name: string | undefined, query: Query = {}): Promise<Table> {
  return client.transport.request<Table>('GET', client.path(ns, name), { query, headers: { accept: tableAccept } });
}

/** Header and rows as strings, ready for alignRows. */
export function tableCells(columns: ColumnDefinition[], rows: TableRow[], layout: TableLayout): string[][] {
  const shown = columns.map((c, i) => ({ c, i })).filter(({ c }) => layout.wide || (c.priority ?? 0) === 0);
  const header = shown.map(({ c }) => c.name.toUpperCase());
  if (layout.withNamespace) header.unshift('NAMESPACE');
  if (layout.showLabels) header.push('LABELS');
  const body = rows.map((row) => {
    const cells = shown.map(({ c, i }) => (c.name === 'Name' && layout.nameOf ? layout.nameOf(row) : cellText(row.cells[i])));
    if (layout.withNamespace) cells.unshift(row.object?.metadata?.namespace ?? '');
    if (layout.showLabels) cells.push(labelsText(row.object?.metadata?.labels));
    return cells;
  });
  return [header, ...body];
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function labelsText(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}
