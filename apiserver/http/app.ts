// The request listener: resource requests take the direct route (resource-route.ts); health,
// metrics, root discovery, OpenAPI and the node proxy go through express. Every error is a Status.
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError } from '../errors.js';
import { version } from './discovery.js';
import type { InflightLimiter } from './inflight.js';
import { gate, type PipelineDeps } from './pipeline.js';
import { refuseUpgrade, resourceRoute, sendError, type ResourceRouteDeps } from './resource-route.js';

export interface AppDeps extends ResourceRouteDeps {
  pipeline: PipelineDeps;
  inflight?: InflightLimiter;
  ready: () => Promise<boolean>;
  serverAddress: () => string;
  /** pods/log and pods/exec relayed to the node's kubelet (node-proxy.ts). */
  nodeProxy?: RequestHandler;
  isNodeProxyPath?: (url: string) => boolean;
  /** WebSocket upgrades (exec), after the same gate as every other request. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

export interface Handler {
  listener: (req: IncomingMessage, res: ServerResponse) => void;
  /** The server's 'upgrade' listener. */
  upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Resolves when the resource requests under way have finished (or after `ms`). */
  drain(ms: number): Promise<void>;
}

/** The server's request listener: every request through the gate, then resources on the direct route, everything else through express. */
export function buildHandler(deps: AppDeps): Handler {
  const app = buildApp(deps);
  const route = resourceRoute(deps);
  const inFlight = new Set<Promise<void>>();
  return {
    upgrade: (req, socket, head) => {
      socket.on('error', () => socket.destroy());
      try {
        gate(deps.pipeline, req);
      } catch (err) {
        return refuseUpgrade(socket, err);
      }
      if (!deps.upgrade) return refuseUpgrade(socket, new ApiError(400, 'BadRequest', 'no WebSocket upgrade here'));
      deps.upgrade(req, socket, head);
    },
    listener: (req, res) => {
      try {
        const ctx = gate(deps.pipeline, req, res);
        deps.inflight?.admit(req, res, ctx);
      } catch (err) {
        return sendError(res, err, req, deps.log);
      }
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
