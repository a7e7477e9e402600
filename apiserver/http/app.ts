// The request listener: resource requests take the direct route (resource-route.ts); health,
// metrics, root discovery, OpenAPI and the node proxy go through express. Every error is a Status.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from '../errors.js';
import { version } from './discovery.js';
import { resourceRoute, sendError, type ResourceRouteDeps } from './resource-route.js';

export interface AppDeps extends ResourceRouteDeps {
  ready: () => Promise<boolean>;
  serverAddress: () => string;
  /** pods/log and pods/exec relayed to the node's kubelet (node-proxy.ts). */
  nodeProxy?: RequestHandler;
  isNodeProxyPath?: (url: string) => boolean;
}

export interface Handler {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** Resolves when the resource requests under way have finished (or after `ms`). */
  drain(ms: number): Promise<void>;
}

/** The server's request listener: resources on the direct route, everything else through express. */
export function buildHandler(deps: AppDeps): Handler {
  const app = buildApp(deps);
  const route = resourceRoute(deps);
  const inFlight = new Set<Promise<void>>();
  return {
    listener: (req, res) => {
      const url = req.url ?? '';
      if ((url.startsWith('/api/') || url.startsWith('/apis/')) && !(deps.isNodeProxyPath?.(url) ?? false)) {
        const p = route(req, res).finally(() => inFlight.delete(p));
        inFlight.add(p);
      } else app(req, res);
    },
    drain: async (ms) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => (timer = setTimeout(r, ms)))]);
      clearTimeout(timer);
    },
  };
}

function buildApp(deps: AppDeps): express.Express {
  const { discovery, metrics, log } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  if (deps.authn) app.use(deps.authn.middleware());
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
  app.get('/openapi/v2', discovery.openapiV2.handle);
  app.get('/openapi/v3', (_req, res) => void res.json(discovery.openapiIndex()));
  app.get(/^\/openapi\/v3\/(.+)$/, (req, res, next) => {
    const doc = discovery.openapiDocument(String(req.params[0]));
    if (!doc) return next(new ApiError(404, 'NotFound', 'the server could not find the requested resource'));
    res.type('application/json').send(doc);
  });

  app.use((_req, _res, next) => next(new ApiError(404, 'NotFound', 'the server could not find the requested resource')));

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => sendError(res, err, req, log));
  return app;
}
