// The express application: health, metrics, discovery, OpenAPI and the resource endpoints,
// with every error rendered as a Kubernetes Status.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { ResourceType } from '../../api/resource.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ApiMetrics } from '../metrics.js';
import type { TokenAuthenticator } from './authn.js';
import { maxBodyBytes } from './body.js';
import type { Discovery } from './discovery.js';
import { version } from './discovery.js';
import { parseResourcePath, resourceLookup, type RequestInfo } from './request-info.js';
import type { ResourceHandler } from './resources.js';

export interface AppDeps {
  resources: ResourceType[];
  discovery: Discovery;
  handler: ResourceHandler;
  metrics: ApiMetrics;
  log: Logger;
  ready: () => Promise<boolean>;
  serverAddress: () => string;
  /** With a token file: every request but the probes and /version needs a bearer token. */
  authn?: TokenAuthenticator;
  /** pods/log and pods/exec relayed to the node's kubelet (node-proxy.ts). */
  nodeProxy?: RequestHandler;
}

function verbOf(req: Request, info: RequestInfo | undefined): string {
  const m = req.method;
  if (m === 'GET') return req.query.watch === 'true' || req.query.watch === '1' ? 'WATCH' : info?.name ? 'GET' : 'LIST';
  return m;
}

function sendStatus(res: Response, err: ApiError): void {
  res.status(err.code).type('application/json').send(JSON.stringify(err.toStatus()));
}

/** Buffers the request body (at most 3 MiB) into req.body; cheaper than body-parser on the hot path. */
function readRawBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD' || req.headers['content-length'] === '0') return next();
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBodyBytes) return next(tooLarge());
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > maxBodyBytes && !failed) {
      failed = true;
      req.unpipe();
      next(tooLarge());
      return;
    }
    if (!failed) chunks.push(chunk);
  });
  req.on('end', () => {
    if (failed) return;
    req.body = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    next();
  });
  req.on('error', (err) => {
    if (!failed) next(err);
  });
}

const tooLarge = () => new ApiError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${maxBodyBytes} bytes`);

export function buildApp(deps: AppDeps): express.Express {
  const { discovery, handler, metrics, log } = deps;
  const lookup = resourceLookup(deps.resources);
  const nsSubresources = new Set(deps.resources.find((r) => r.group === '' && r.plural === 'namespaces')?.subresources ?? []);
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  if (deps.authn) app.use(deps.authn.middleware());
  app.use(readRawBody);
  if (deps.nodeProxy) app.use(deps.nodeProxy);

  app.get('/healthz', (_req, res) => void res.type('text/plain').send('ok'));
  app.get('/livez', (_req, res) => void res.type('text/plain').send('ok'));
  app.get('/readyz', (_req, res, next) => {
    deps.ready().then((ok) => void res.status(ok ? 200 : 500).type('text/plain').send(ok ? 'ok' : 'etcd is not reachable'), next);
  });
  app.get('/metrics', (_req, res, next) => {
    metrics.registry.metrics().then((text) => void res.type(metrics.registry.contentType).send(text), next);
  });
  app.get('/version', (_req, res) => void res.json(version));
  app.get('/api', (_req, res) => void res.json(discovery.apiVersions(deps.serverAddress())));
  app.get('/apis', (_req, res) => void res.json(discovery.apiGroupList()));
  app.get('/openapi/v3', (_req, res) => void res.json(discovery.openapiIndex()));
  app.get(/^\/openapi\/v3\/(.+)$/, (req, res, next) => {
    const doc = discovery.openapiDocument(String(req.params[0]));
    if (!doc) return next(new ApiError(404, 'NotFound', 'the server could not find the requested resource'));
    res.type('application/json').send(doc);
  });

  app.use(async (req, res, next) => {
    const started = process.hrtime.bigint();
    let info: RequestInfo | undefined;
    try {
      info = parseResourcePath(req.path, nsSubresources);
    } catch (err) {
      return next(err);
    }
    const verb = verbOf(req, info);
    // Only served resources label metrics, so arbitrary paths cannot grow the label set.
    const resourceLabel = info && lookup(info.group, info.version, info.resource) ? info.resource : '';
    res.on('finish', () => {
      metrics.requests.inc({ verb, resource: resourceLabel, code: String(res.statusCode) });
      if (verb !== 'WATCH') metrics.latency.observe({ verb, resource: resourceLabel }, Number(process.hrtime.bigint() - started) / 1e9);
    });
    try {
      if (!info) {
        // Group and group-version discovery documents.
        const parts = req.path.split('/').filter(Boolean);
        const doc =
          req.method !== 'GET' ? undefined
          : parts[0] === 'api' && parts.length === 2 ? discovery.resourceList(parts[1]!)
          : parts[0] === 'apis' && parts.length === 2 ? discovery.apiGroupDoc(parts[1]!)
          : parts[0] === 'apis' && parts.length === 3 ? discovery.resourceList(`${parts[1]}/${parts[2]}`)
          : undefined;
        if (doc === undefined) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
        res.json(doc);
        return;
      }
      const rt = lookup(info.group, info.version, info.resource);
      if (!rt) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
      const out = await handler.handle(req, res, rt, info);
      if (out.streamed) return;
      for (const w of out.warnings ?? []) res.append('Warning', `299 - ${JSON.stringify(w)}`);
      res.status(out.status).type('application/json').send(JSON.stringify(out.body));
    } catch (err) {
      next(err);
    }
  });

  // Every failure becomes a Status; anything unexpected is logged with its request and answered 500.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) {
      log.error({ err, method: req.method, path: req.path }, 'error after response started');
      res.end();
      return;
    }
    if (err instanceof ApiError) return sendStatus(res, err);
    const e = err as { type?: string; status?: number; message?: string };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      return sendStatus(res, new ApiError(e.status, 'BadRequest', e.message ?? 'bad request'));
    }
    log.error({ err, method: req.method, path: req.path }, 'internal error');
    sendStatus(res, new ApiError(500, 'InternalError', `Internal error occurred: ${e.message ?? String(err)}`));
  });
  return app;
}
