// --max-requests-inflight / --max-mutating-requests-inflight: beyond so many requests under
// way, the next gets 429 with Retry-After, as kube-apiserver's max-in-flight filter. Long-running
// requests (watches, logs, exec) are not counted, and system:masters is never turned away.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { mastersGroup } from '../auth/user.js';
import { ApiError } from '../errors.js';
import type { RequestContext } from './pipeline.js';

const longRunningSubresources = new Set(['log', 'exec', 'attach', 'portforward', 'proxy']);
const mutating = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface InflightLimits {
  /** 0 = no limit. */
  readonly: number;
  mutating: number;
}

export class InflightLimiter {
  private readonly current = { readonly: 0, mutating: 0 };

  constructor(private readonly limits: InflightLimits) {}

  /** Counts the request until its response closes; throws the 429 when its kind is at the limit. */
  admit(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): void {
    const a = ctx.attributes;
    if (a.verb === 'watch' || longRunningSubresources.has(a.subresource)) return;
    if (ctx.user.groups.includes(mastersGroup)) return;
    const kind = mutating.has(req.method ?? '') ? 'mutating' : 'readonly';
    const limit = this.limits[kind];
    if (limit <= 0) return;
    if (this.current[kind] >= limit) {
      res.setHeader('Retry-After', '1');
      throw new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 1 });
    }
    this.current[kind]++;
    res.once('close', () => this.current[kind]--);
  }
}
