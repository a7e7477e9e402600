// Typed CRUD, patch, status and watch for one resource, with the Kubernetes REST paths.
import type { ClientConfig } from './config.js';
import type { KubeObject, List } from './objects.js';
import { Transport, type Query } from './transport.js';
import { watchStream, type WatchEvent } from './watch.js';

export interface ResourceInfo {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  kind: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  timeoutSeconds?: number;
}

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'merge' | 'strategic' | 'json' | 'apply';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
};

export class ResourceClient<T extends KubeObject> {
  constructor(
    readonly transport: Transport,
    readonly info: ResourceInfo,
  ) {}

  /** The collection path, e.g. /apis/apps/v1/namespaces/ns/deployments (all namespaces when ns is undefined). */
  path(namespace?: string, name?: string, sub?: string): string {
    const { group, version, plural, namespaced } = this.info;
    let p = group ? `/apis/${group}/${version}` : `/api/${version}`;
    if (namespaced && namespace) p += `/namespaces/${encodeURIComponent(namespace)}`;
    p += `/${plural}`;
    if (name !== undefined) p += `/${encodeURIComponent(name)}`;
    if (sub) p += `/${sub}`;
    return p;
  }

  list(namespace?: string, opts: ListOptions = {}): Promise<List<T>> {
    return this.transport.request<List<T>>('GET', this.path(namespace), { query: { ...opts } });
  }

  /** Every page of a list, read at one resourceVersion. */
  async listAll(namespace?: string, opts: Omit<ListOptions, 'continue' | 'limit'> & { pageSize?: number } = {}): Promise<List<T>> {
    const { pageSize = 500, ...rest } = opts;
    const items: T[] = [];
    let cont: string | undefined;
    let first: List<T> | undefined;
    do {
      const page = await this.list(namespace, { ...rest, limit: pageSize, ...(cont ? { continue: cont } : {}) });
      first ??= page;
      items.push(...page.items);
      cont = page.metadata.continue || undefined;
    } while (cont);
    return { ...(first as List<T>), metadata: { resourceVersion: first?.metadata.resourceVersion }, items };
  }

  get(namespace: string | undefined, name: string): Promise<T> {
    return this.transport.request<T>('GET', this.path(namespace, name));
  }

  create(namespace: string | undefined, obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>('POST', this.path(namespace ?? obj.metadata?.namespace), { body: obj, query: writeQuery(opts) });
  }

  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>('PUT', this.path(obj.metadata?.namespace, obj.metadata?.name ?? ''), { body: obj, query: writeQuery(opts) });
  }

  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>('PUT', this.path(obj.metadata?.namespace, obj.metadata?.name ?? '', 'status'), { body: obj, query: writeQuery(opts) });
  }

  patch(namespace: string | undefined, name: string, body: unknown, type: PatchType = 'merge', opts: WriteOptions = {}): Promise<T> {
    return this.transport.request<T>('PATCH', this.path(namespace, name), { body, contentType: patchContentTypes[type], query: writeQuery(opts) });
  }

  patchStatus(namespace: string | undefined, name: string, body: unknown, type: PatchType = 'merge'): Promise<T> {
    return this.transport.request<T>('PATCH', this.path(namespace, name, 'status'), { body, contentType: patchContentTypes[type] });
  }

  delete(namespace: string | undefined, name: string, opts: DeleteOptions = {}): Promise<unknown> {
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...opts };
    return this.transport.request('DELETE', this.path(namespace, name), { body });
  }

  /** A raw watch stream; informers wrap this with resume and relist. */
  watch(namespace: string | undefined, opts: WatchOptions, onEvent: (ev: WatchEvent<T>) => void, signal?: AbortSignal): Promise<void> {
    return watchStream<T>(this.transport, this.path(namespace), { ...opts } as Query, onEvent, signal);
  }
}

function writeQuery(opts: WriteOptions): Query {
  return { fieldManager: opts.fieldManager, dryRun: opts.dryRun ? 'All' : undefined };
}

export function newTransport(config: ClientConfig, userAgent?: string): Transport {
  return new Transport(config, userAgent);
}
