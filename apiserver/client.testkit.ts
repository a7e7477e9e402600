// A small JSON client for the apiserver integration tests: requests with any body or content
// type, condition polling with deadlines, and a watch-stream reader over fetch's body reader.
import { randomBytes } from 'node:crypto';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { waitFor as poll } from '../testing/wait.js';

// Response bodies are arbitrary Kubernetes JSON; the tests read them like kubectl does.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export interface Resp {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed JSON body ({} when the body is not JSON). */
  body: Obj;
}

export interface RequestOptions {
  /** Sent as is instead of JSON.stringify(body). */
  raw?: string | Uint8Array;
  contentType?: string;
  headers?: Record<string, string>;
}

export class TestClient {
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<Resp> {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    let payload: string | Blob | undefined;
    if (opts.raw !== undefined) payload = typeof opts.raw === 'string' ? opts.raw : new Blob([Buffer.from(opts.raw)]);
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
    const res = await fetch(this.baseUrl + path, { method, headers, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: Obj = {};
    try {
      const v: unknown = JSON.parse(text);
      if (v && typeof v === 'object') parsed = v as Obj;
    } catch {
      // not JSON (text/plain endpoints, metrics)
    }
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get(path: string): Promise<Resp> {
    return this.request('GET', path);
  }
  post(path: string, body: unknown, opts?: RequestOptions): Promise<Resp> {
    return this.request('POST', path, body, opts);
  }
  put(path: string, body: unknown, opts?: RequestOptions): Promise<Resp> {
    return this.request('PUT', path, body, opts);
  }
  patch(path: string, body: unknown, contentType: string): Promise<Resp> {
    return this.request('PATCH', path, body, { contentType });
  }
  delete(path: string, body?: unknown): Promise<Resp> {
    return this.request('DELETE', path, body);
  }

  /** Opens a watch (the path must carry `watch=true` or it is added). */
  async watch(path: string): Promise<WatchStream> {
    const url = this.baseUrl + path + (/[?&]watch=(true|1)/.test(path) ? '' : `${path.includes('?') ? '&' : '?'}watch=true`);
    const abort = new AbortController();
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: abort.signal });
    return new WatchStream(res, abort);
  }
}

export interface WatchEvent {
  type: string;
  object: Obj;
}

/** Reads a chunked NDJSON watch body incrementally, as informers do. */
export class WatchStream {
  readonly events: WatchEvent[] = [];
  /** Events up to here were returned by next(). */
  private cursor = 0;
  private ended = false;
  private error: unknown;
  private wake: (() => void)[] = [];
  readonly done: Promise<void>;

  constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    this.done = this.pump();
  }

  get status(): number {
    return this.response.status;
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private notify(): void {
    for (const w of this.wake.splice(0)) w();
  }

  private async pump(): Promise<void> {
    const body = this.response.body;
    if (!body) {
      this.ended = true;
      return;
    }
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) this.events.push(JSON.parse(line) as WatchEvent);
        }
        this.notify();
      }
      const rest = buf.trim();
      if (rest) {
        // A non-200 answer is a single Status, not an event.
        const v = JSON.parse(rest) as Obj;
        this.events.push(this.response.status === 200 ? (v as WatchEvent) : { type: 'HTTP', object: v });
      }
    } catch (err) {
      if (!this.abort.signal.aborted) this.error = err;
    } finally {
      this.ended = true;
      this.notify();
    }
  }

  /** The next event after the last one returned that satisfies `match` (others are skipped). */
  async next(match: (e: WatchEvent) => boolean = () => true, timeoutMs = 10_000, what = 'a watch event'): Promise<WatchEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.events.length) {
        const e = this.events[this.cursor++]!;
        if (match(e)) return e;
      }
      if (this.error) throw this.error;
      if (this.ended) throw new Error(`watch ended before ${what}; got ${JSON.stringify(this.summary())}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${JSON.stringify(this.summary())}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.wake.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server ends the stream; rejects after the deadline. */
  async waitEnd(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`watch still open after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.done, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** `TYPE name` of every event so far, for failure messages. */
  summary(): string[] {
    return this.events.map((e) => `${e.type} ${e.object?.metadata?.name ?? e.object?.reason ?? ''}`);
  }

  close(): void {
    this.abort.abort();
  }
}

/** Polls `check` until it returns something other than undefined/false (testing/wait.ts), every 100 ms. */
export const waitFor = <T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> =>
  poll(what, check, timeoutMs, everyMs);

/** A DNS-1123 name unique to this run. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** Creates a fresh namespace and returns its name. */
export async function createNamespace(c: TestClient, prefix = 'ns'): Promise<string> {
  const name = uniqueName(prefix);
  const r = await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (r.status !== 201) throw new Error(`creating namespace ${name}: ${r.status} ${r.text}`);
  return name;
}

// Minimal valid objects.

export function configMap(name: string, data: Record<string, string> = { a: '1' }, labels?: Record<string, string>): Obj {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(labels ? { labels } : {}) }, data };
}

export function pod(name: string, extra: Obj = {}): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { containers: [{ name: 'app', image: 'nginx:1.27' }], ...(extra.spec ?? {}) },
  };
}

export function deployment(name: string, labels: Record<string, string> = { app: name }): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } },
    },
  };
}

/** The status and body start, for assertion messages. */
export function show(r: Resp): string {
  return `${r.status} ${r.text.slice(0, 600)}`;
}

export interface ApiFixture {
  server: TestApiServer;
  c: TestClient;
  /** A fresh namespace of this suite. */
  ns: string;
}

/** A suite's own apiserver, client and namespace: started before its tests, closed after them. */
export function useTestApiServer(nsPrefix: string): ApiFixture {
  const f = {} as ApiFixture;
  before(async () => {
    f.server = await startTestApiServer();
    f.c = new TestClient(f.server.url);
    f.ns = await createNamespace(f.c, nsPrefix);
  });
  after(async () => {
    await f.server?.close();
  });
  return f;
}
