// One HTTP(S) request that trusts a given CA and may carry a bearer token: how the launcher
// and tests probe an apiserver whose certificate the cluster's own CA signed. (Node's fetch
// cannot take a CA without an extra dispatcher library.)
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface TlsRequestOptions {
  method?: string;
  /** PEM of the CA to trust for https URLs. */
  ca?: string;
  token?: string;
  /** PEM client certificate and key, to authenticate with a certificate. */
  cert?: string;
  key?: string;
  headers?: Record<string, string>;
  body?: string;
  contentType?: string;
  timeoutMs?: number;
}

export interface TlsResponse {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

export function requestWithCa(url: string, opts: TlsRequestOptions = {}): Promise<TlsResponse> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
  return new Promise((resolve, reject) => {
    const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(u, { method: opts.method ?? 'GET', headers, ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {}), timeout: opts.timeoutMs ?? 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${opts.timeoutMs ?? 5000} ms`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}
