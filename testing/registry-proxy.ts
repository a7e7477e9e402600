// A front for the test registry that behaves like the registries users meet: Bearer token auth
// with a token server (Docker Hub's flow) or Basic auth, and, for failure tests, blobs that
// arrive corrupt or truncated. It counts the blob downloads it serves.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** host:port of the registry behind. */
  upstream: string;
  auth?: { scheme: 'bearer' | 'basic'; username: string; password: string };
  /** Changes a blob on the way: flip a byte, or stop halfway. */
  tamper?: (digest: string) => 'corrupt' | 'truncate' | undefined;
}

export interface RegistryProxy {
  host: string;
  /** GET /v2/…/blobs/<digest> requests served, by digest. */
  blobGets: Map<string, number>;
  /** Token requests seen (their Authorization header, '' when anonymous). */
  tokenRequests: string[];
  close(): Promise<void>;
}

const TOKEN = 'test-token-7f3a';

export async function startRegistryProxy(opts: ProxyOptions): Promise<RegistryProxy> {
  const blobGets = new Map<string, number>();
  const tokenRequests: string[] = [];
  const basic = opts.auth ? `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}` : '';
  let host = '';

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/token') {
      tokenRequests.push(req.headers.authorization ?? '');
      if (req.headers.authorization !== basic) {
        res.writeHead(401).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN, expires_in: 300 }));
      return;
    }
    if (opts.auth && url.pathname.startsWith('/v2/')) {
      const expected = opts.auth.scheme === 'bearer' ? `Bearer ${TOKEN}` : basic;
      if (req.headers.authorization !== expected) {
        const repo = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
        const challenge = opts.auth.scheme === 'bearer' ? `Bearer realm="http://${host}/token",service="test-registry",scope="repository:${repo}:pull"` : 'Basic realm="test-registry"';
        res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
        return;
      }
    }
    const blob = /\/blobs\/(sha256:[a-f0-9]{64})$/.exec(url.pathname)?.[1];
    if (blob && req.method === 'GET') blobGets.set(blob, (blobGets.get(blob) ?? 0) + 1);
    const upstream = request(`http://${opts.upstream}${req.url}`, { method: req.method, headers: { ...req.headers, host: opts.upstream, authorization: '' } }, (up) => {
      const how = blob ? opts.tamper?.(blob) : undefined;
      if (!how || up.statusCode !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        if (how === 'corrupt') {
          body[body.length >> 1] = (body[body.length >> 1] ?? 0) ^ 0xff;
          res.writeHead(200, up.headers).end(body);
        } else {
          // Promise the whole length, send half, then drop the connection.
          res.writeHead(200, up.headers);
          res.write(body.subarray(0, body.length >> 1), () => res.destroy());
        }
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    host,
    blobGets,
    tokenRequests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
