// The health and metrics endpoints every long-running component serves: /healthz and /livez
// (the process answers), /readyz (ready for work, or 503 with the reason) and Prometheus /metrics.
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';

export interface HealthOptions {
  host: string;
  /** 0 picks a free port (read it from the returned server's address). */
  port: number;
  registry: Registry;
  /** true when ready, else why not (the 503 body). Default: always ready. */
  ready?: () => true | string;
}

export function serveHealth(opts: HealthOptions): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' || path === '/livez') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    } else if (path === '/readyz') {
      const ready = opts.ready?.() ?? true;
      res.writeHead(ready === true ? 200 : 503, { 'content-type': 'text/plain' }).end(ready === true ? 'ok' : ready);
    } else if (path === '/metrics') {
      opts.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': opts.registry.contentType }).end(text),
        (err: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve(server));
  });
}
