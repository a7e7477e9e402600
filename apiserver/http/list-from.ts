// Where a list is read, by its resourceVersion and resourceVersionMatch, as kube-apiserver
// decides (the cacher's shouldDelegateList): a consistent read (no resourceVersion), an exact
// revision or a continued list go to etcd; resourceVersion=0 and "not older than N" are served
// from the watch cache once it holds N, which takes etcd out of every informer's relist.
import { ApiError, badRequest } from '../errors.js';
import type { WatchCache } from '../storage/watch-cache.js';

export type ListFrom = { from: 'etcd'; revision?: number } | { from: 'cache'; cache: WatchCache };

/** How long a "not older than N" list waits for the cache to reach N before answering 504. */
const waitForCacheMs = 3000;

export async function listFrom(
  cache: WatchCache,
  q: { resourceVersion?: string; resourceVersionMatch?: string; continue?: string },
): Promise<ListFrom> {
  const rvText = q.resourceVersion ?? '';
  const match = q.resourceVersionMatch ?? '';
  if (match !== '' && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  if (match !== '' && rvText === '') throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided');
  if (match !== '' && q.continue) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided');
  if (rvText === '' || q.continue) return { from: 'etcd' };
  const rv = Number(rvText);
  // Kubernetes parses it as a uint64 (400 past that); etcd revisions are int64, and ours must stay exact numbers.
  if (!/^\d+$/.test(rvText) || !Number.isSafeInteger(rv)) throw badRequest(`resourceVersion: Invalid value: "${rvText}": must be a non-negative integer`);
  if (match === 'Exact') {
    if (rv === 0) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
    return { from: 'etcd', revision: rv };
  }
  if (rv > cache.revision) await cache.waitFor(rv, waitForCacheMs);
  if (rv > cache.revision) {
    throw new ApiError(504, 'Timeout', `Too large resource version: ${rv}, current: ${cache.revision}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  }
  return { from: 'cache', cache };
}
