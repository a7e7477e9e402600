// HTTP(S) to the apiserver with keep-alive connections, bearer token or client certificate, and
// Kubernetes Status bodies turned into ApiError. Requests go through an undici connection pool:
// it costs the caller about a third less CPU per request than node:http (the scheduler's
// bindings showed it). Streams (watch, logs) stay on node:http and get the raw response.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Pool } from 'undici';
import type { ClientConfig } from './config.js';
import { ApiError, type StatusBody } from './errors.js';

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
  /** Give up on a request that has not answered in this many ms (default 60 s; streams: none). */
  timeoutMs?: number;
  /** Extra request headers, e.g. an Accept asking for `as=Table`. */
  headers?: Record<string, string>;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}${path.includes('?') ? '&' : '?'}${s}` : path;
}

export class Transport {
  private readonly url: URL;
  private readonly agent: HttpAgent;
  private readonly headers: Record<string, string>;
  /** Worked out once: URL getters and a per-request regex showed up in the scheduler's profile. */
  private readonly basePath: string;
  private readonly target: { protocol: string; hostname: string; port: string };
  private readonly make: typeof httpRequest;
  private pool?: Promise<Pool>;
  private closed = false;

  constructor(readonly config: ClientConfig, userAgent = 'skiff') {
    this.url = new URL(config.server);
    const tls = this.url.protocol === 'https:';
    const agentOpts = { keepAlive: true, maxSockets: 64, maxFreeSockets: 16 };
    this.agent = tls
      ? new HttpsAgent({
          ...agentOpts,
          ...(config.caPem ? { ca: config.caPem } : {}),
          ...(config.certPem ? { cert: config.certPem } : {}),
          ...(config.keyPem ? { key: config.keyPem } : {}),
          rejectUnauthorized: !config.insecure,
        })
      : new HttpAgent(agentOpts);
    this.target = { protocol: this.url.protocol, hostname: this.url.hostname, port: this.url.port };
    this.basePath = this.url.pathname.replace(/\/$/, '');
    this.make = tls ? httpsRequest : httpRequest;
    this.headers = { 'user-agent': userAgent, accept: 'application/json' };
    if (config.token) this.headers.authorization = `Bearer ${config.token}`;
  }

  /** The pool, made on first use: undici takes ~0.1 s to load, which CLI commands without requests should not pay. */
  private requestPool(): Promise<Pool> {
    this.pool ??= import('undici').then(({ Pool }) => {
      const { caPem, certPem, keyPem, insecure } = this.config;
      const tls = this.url.protocol === 'https:';
      const pool = new Pool(this.url.origin, {
        connections: 64,
        ...(tls ? { connect: { ...(caPem ? { ca: caPem } : {}), ...(certPem ? { cert: certPem } : {}), ...(keyPem ? { key: keyPem } : {}), rejectUnauthorized: !insecure } } : {}),
      });
      if (this.closed) void pool.destroy();
      return pool;
    });
    return this.pool;
  }

  /** One request; resolves to the parsed JSON body (or text for non-JSON answers). */
  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = opts.headers ? { ...this.headers, ...opts.headers } : { ...this.headers };
    if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const timeout = opts.timeoutMs ?? 60_000;
    let status: number;
    let text: string;
    let type: string;
    try {
      const pool = await this.requestPool();
      const res = await pool.request({
        path: this.basePath + withQuery(path, opts.query),
        method: method as 'GET',
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
        headersTimeout: timeout,
        bodyTimeout: timeout,
      });
      status = res.statusCode;
      type = String(res.headers['content-type'] ?? '');
      text = await res.body.text();
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') throw new Error(`${method} ${path}: no answer in ${timeout} ms`);
      throw err;
    }
    if (status >= 400) throw toApiError(status, text, method, path);
    if (!text) return undefined as T;
    return (type.includes('json') ? JSON.parse(text) : text) as T;
  }

  /** Opens a streaming response (watch, log follow). The caller reads and destroys it. */
  async stream(path: string, opts: RequestOptions = {}): Promise<IncomingMessage> {
    const res = await this.open('GET', path, { ...opts, timeoutMs: 0 });
    const status = res.statusCode ?? 0;
    if (status >= 400) throw toApiError(status, await readAll(res), 'GET', path);
    return res;
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
    void this.pool?.then((p) => p.destroy());
  }

  private open(method: string, path: string, opts: RequestOptions): Promise<IncomingMessage> {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const headers: Record<string, string> = opts.headers ? { ...this.headers, ...opts.headers } : { ...this.headers };
    if (body !== undefined) {
      headers['content-type'] = opts.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = this.make(
        {
          ...this.target,
          path: this.basePath + withQuery(path, opts.query),
          method,
          headers,
          agent: this.agent,
          ...(opts.signal ? { signal: opts.signal } : {}),
        },
        resolve,
      );
      const timeout = opts.timeoutMs ?? 60_000;
      if (timeout > 0) req.setTimeout(timeout, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeout} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}

function readAll(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function toApiError(code: number, text: string, method: string, path: string): ApiError {
  let status: StatusBody | undefined;
  try {
    const parsed = JSON.parse(text) as StatusBody;
    if (parsed && parsed.kind === 'Status') status = parsed;
  } catch {
    // not a Status body
  }
  const message = status?.message ?? (text.trim() || `${method} ${path}: HTTP ${code}`);
  return new ApiError(code, status?.reason ?? `HTTP${code}`, message, status);
}
