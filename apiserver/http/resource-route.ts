// Requests under /api/ and /apis/ (already past the pipeline's gate): body, metrics, the
// resource handler and the answer, straight on node's http objects. Nearly every request is one of these, and going
// through express cost about 150 µs each, more than the rest of a pod binding.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ResourceType } from '../../api/resource.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ApiMetrics } from '../metrics.js';
import { asApiRequest, type ApiRequest } from './api-request.js';
import { bufferBody } from './body.js';
import type { Discovery } from './discovery.js';
import { rememberResponseBody } from './audit.js';
import { contextOf } from './pipeline.js';
import { resourceLookup, type RequestInfo } from './request-info.js';
import type { ResourceHandler } from './resources.js';

export interface ResourceRouteDeps {
  resources: ResourceType[];
  discovery: Discovery;
  handler: ResourceHandler;
  metrics: ApiMetrics;
  log: Logger;
}

function verbOf(req: ApiRequest, info: RequestInfo | undefined): string {
  const m = req.method;
  if (m === 'GET') return req.query.watch === 'true' || req.query.watch === '1' ? 'WATCH' : info?.name ? 'GET' : 'LIST';
  return m;
}

function send(res: ServerResponse, status: number, body: string): void {
  rememberResponseBody(res, body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}

/** Every failure becomes a Status; anything unexpected is logged with its request and answered 500. */
export function sendError(res: ServerResponse, err: unknown, req: IncomingMessage, log: Logger): void {
  if (res.headersSent) {
    log.error({ err, method: req.method, url: req.url }, 'error after response started');
    res.end();
    return;
  }
  let apiErr: ApiError;
  const e = err as { status?: number; message?: string };
  if (err instanceof ApiError) apiErr = err;
  else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) apiErr = new ApiError(e.status, 'BadRequest', e.message ?? 'bad request');
  else {
    log.error({ err, method: req.method, url: req.url }, 'internal error');
    apiErr = new ApiError(500, 'InternalError', `Internal error occurred: ${e.message ?? String(err)}`);
  }
  send(res, apiErr.code, JSON.stringify(apiErr.toStatus()));
}

/** Answers an upgrade request that will not be upgraded with a Status. */
export function refuseUpgrade(socket: Duplex, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(500, 'InternalError', (err as Error).message);
  const body = JSON.stringify(e.toStatus());
  socket.end(`HTTP/1.1 ${e.code} ${e.reason}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

const notFound = () => new ApiError(404, 'NotFound', 'the server could not find the requested resource');

/** The group and group-version discovery documents under /api/ and /apis/. */
function discoveryDoc(discovery: Discovery, req: ApiRequest): unknown {
  const parts = req.path.split('/').filter(Boolean);
  if (req.method !== 'GET') return undefined;
  if (parts[0] === 'api' && parts.length === 2) return discovery.resourceList(parts[1]!);
  if (parts[0] === 'apis' && parts.length === 2) return discovery.apiGroupDoc(parts[1]!);
  if (parts[0] === 'apis' && parts.length === 3) return discovery.resourceList(`${parts[1]}/${parts[2]}`);
  return undefined;
}

export function resourceRoute(deps: ResourceRouteDeps): (raw: IncomingMessage, res: ServerResponse) => Promise<void> {
  const { discovery, handler, metrics, log } = deps;
  const lookup = resourceLookup(deps.resources);

  return async (raw, res) => {
    const started = process.hrtime.bigint();
    const req = asApiRequest(raw);
    let verb = req.method;
    let resourceLabel = '';
    // Counted when the answer is written (a streamed one when it ends): one listener per watch,
    // none per ordinary request.
    const record = (code: number): void => {
      metrics.requests.inc({ verb, resource: resourceLabel, code: String(code) });
      if (verb !== 'WATCH') metrics.latency.observe({ verb, resource: resourceLabel }, Number(process.hrtime.bigint() - started) / 1e9);
    };
    try {
      const { info } = contextOf(raw);
      verb = verbOf(req, info);
      const rt = info && lookup(info.group, info.version, info.resource);
      // Only served resources label metrics, so arbitrary paths cannot grow the label set.
      if (rt) resourceLabel = rt.plural;
      const body = await bufferBody(req);
      if (body) req.body = body;
      if (!info) {
        const doc = discoveryDoc(discovery, req);
        if (doc === undefined) throw notFound();
        send(res, 200, JSON.stringify(doc));
        return record(200);
      }
      if (!rt) throw notFound();
      const out = await handler.handle(req, res, rt, info);
      if (out.streamed) {
        if (res.writableEnded) record(res.statusCode);
        else res.once('close', () => record(res.statusCode));
        return;
      }
      for (const w of out.warnings ?? []) res.appendHeader('Warning', `299 - ${JSON.stringify(w)}`);
      send(res, out.status, JSON.stringify(out.body));
      record(out.status);
    } catch (err) {
      sendError(res, err, req, log);
      record(res.statusCode);
    }
  };
}
