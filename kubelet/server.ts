// The kubelet's HTTP server: /healthz, /metrics, container logs and exec (WebSocket, channel
// protocol v5/v4), which the apiserver proxies for `kubectl logs` and `kubectl exec`. Exec is
// relayed to the runtime's streaming server (the URL its Exec returns); a runtime without one
// gets the command run through ExecSync, non-interactively (no stdin, no tty).
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { queryBool, type Pod } from '../api/index.js';
import type { Logger } from '../client/index.js';
import type { Container } from '../proto/index.js';
import { containerLogPath, logDirectory } from './container-spec.js';
import { formatLog, readLog, readNewLines, type LogOptions } from './cri-logs.js';
import { portForwardProtocol, servePortForward } from './port-forward.js';
import { labels, type Runtime } from './runtime.js';

export const streamProtocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
/**
 * kubectl port-forward: SPDY tunnelled in a WebSocket (port-forward.ts). The apiserver names it
 * `portforward.k8s.io` on this hop: `ws` refuses the '/' of kubectl's `SPDY/3.1+portforward.k8s.io`.
 */
const portForwardTunnel = portForwardProtocol;

export interface ServerOptions {
  runtime: Runtime;
  rootDir: string;
  getPod(namespace: string, name: string): Pod | undefined;
  authToken?: string | undefined;
  log: Logger;
  metrics(): string;
}

class HttpError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

/** A boolean query parameter as Go's ParseBool reads it; anything else is a 400 naming it. */
function flag(q: URLSearchParams, name: string): boolean {
  return queryBool(name, q.get(name), (message) => new HttpError(400, message));
}

export class KubeletServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => [...streamProtocols, portForwardTunnel].find((x) => p.has(x)) ?? false });

  constructor(private readonly o: ServerOptions) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => void this.upgrade(req, socket, head));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve((this.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    for (const c of this.wss.clients) c.terminate();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: IncomingMessage): boolean {
    if (!this.o.authToken) return true;
    const got = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer\s+/i, ''));
    const want = Buffer.from(this.o.authToken);
    return got.length === want.length && timingSafeEqual(got, want);
  }

  /** The pod's instances of a container, newest first. */
  private async instances(ns: string, podName: string, container: string): Promise<Container[]> {
    const pod = this.o.getPod(ns, podName);
    if (!pod) throw new HttpError(404, `pod ${ns}/${podName} is not on this node`);
    const all = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
    if (!all.some((c) => c.name === container)) throw new HttpError(400, `container ${container} is not valid for pod ${podName}`);
    const { containers } = await this.o.runtime.listContainers({
      filter: { labelSelector: { [labels.podUid]: pod.metadata?.uid ?? '', [labels.containerName]: container } },
    });
    return [...containers].sort((a, b) => (b.metadata?.attempt ?? 0) - (a.metadata?.attempt ?? 0));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    try {
      if (url.pathname === '/healthz' || url.pathname === '/readyz' || url.pathname === '/livez') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      if (!this.authorized(req)) throw new HttpError(401, 'Unauthorized');
      if (url.pathname === '/metrics') return void res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.o.metrics());
      const logs = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
      if (logs && req.method === 'GET') return await this.logs(decodeURIComponent(logs[1]!), decodeURIComponent(logs[2]!), decodeURIComponent(logs[3]!), url.searchParams, req, res);
      if (/^\/exec\//.test(url.pathname)) throw new HttpError(400, 'exec needs a WebSocket upgrade (v5.channel.k8s.io)');
      throw new HttpError(404, `not found: ${url.pathname}`);
    } catch (err) {
      const code = err instanceof HttpError ? err.code : 500;
      if (code === 500) this.o.log.error({ err: (err as Error).message, path: url.pathname }, 'kubelet server error');
      if (!res.headersSent) res.writeHead(code, { 'content-type': 'text/plain' });
      res.end(`${(err as Error).message}\n`);
    }
  }

  private async logs(ns: string, podName: string, container: string, q: URLSearchParams, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const previous = flag(q, 'previous');
    const follow = flag(q, 'follow');
    const timestamps = flag(q, 'timestamps');
    const list = await this.instances(ns, podName, container);
    const inst = list[previous ? 1 : 0];
    if (!inst) throw new HttpError(400, previous ? `previous terminated container "${container}" in pod "${podName}" not found` : `container "${container}" in pod "${podName}" is waiting to start`);
    const st = (await this.o.runtime.containerStatus({ containerId: inst.id })).status;
    const pod = this.o.getPod(ns, podName)!;
    const path = st?.logPath || join(logDirectory(this.o.rootDir, pod), containerLogPath(container, inst.metadata?.attempt ?? 0));
    const num = (k: string): number | undefined => (q.get(k) !== null && q.get(k) !== '' ? Number(q.get(k)) : undefined);
    const opts: LogOptions = { timestamps };
    const tail = num('tailLines');
    const since = num('sinceSeconds');
    if (tail !== undefined) opts.tailLines = tail;
    if (since !== undefined) opts.sinceSeconds = since;
    let budget = num('limitBytes') ?? Infinity;
    const write = (text: string): boolean => {
      if (budget <= 0) return false;
      const buf = Buffer.from(text);
      const part = buf.length > budget ? buf.subarray(0, budget) : buf;
      budget -= part.length;
      res.write(part);
      return budget > 0;
    };
    res.writeHead(200, { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' });
    const first = readLog(path, opts);
    const more = write(first.text);
    if (!follow || !more || previous) return void res.end();
    // Follow: poll for appended lines until the container stops or the client goes away.
    let offset = first.offset;
    let closed = false;
    req.on('close', () => (closed = true));
    while (!closed) {
      await new Promise((r) => setTimeout(r, 200));
      const next = readNewLines(path, offset);
      offset = next.offset;
      if (next.lines.length && !write(formatLog(next.lines, { timestamps }))) break;
      if (!next.lines.length) {
        const s = await this.o.runtime.containerStatus({ containerId: inst.id }).catch(() => undefined);
        if (!s || s.status?.state !== 'CONTAINER_RUNNING') {
          const last = readNewLines(path, offset);
          write(formatLog(last.lines, { timestamps }));
          break;
        }
      }
    }
    res.end();
  }

  private reject(socket: Duplex, code: number, message: string): void {
    socket.end(`HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : code === 404 ? 'Not Found' : 'Bad Request'}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n${message}\n`);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://kubelet');
    const m = /^\/exec\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!this.authorized(req)) return this.reject(socket, 401, 'Unauthorized');
    const pf = /^\/portForward\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (pf) return this.portForward(req, socket, head, decodeURIComponent(pf[1]!), decodeURIComponent(pf[2]!), url.searchParams);
    if (!m) return this.reject(socket, 404, `not found: ${url.pathname}`);
    const [ns, podName, container] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), decodeURIComponent(m[3]!)];
    const q = url.searchParams;
    const cmd = q.getAll('command');
    let want: { containerId: string; cmd: string[]; tty: boolean; stdin: boolean; stdout: boolean; stderr: boolean };
    try {
      const streams = { tty: flag(q, 'tty'), stdin: flag(q, 'stdin'), stdout: flag(q, 'stdout'), stderr: flag(q, 'stderr') };
      if (cmd.length === 0) throw new HttpError(400, 'you must specify at least 1 command');
      const running = (await this.instances(ns, podName, container)).find((c) => c.state === 'CONTAINER_RUNNING');
      if (!running) throw new HttpError(400, `container ${container} is not running`);
      want = { containerId: running.id, cmd, ...streams };
    } catch (err) {
      return this.reject(socket, err instanceof HttpError ? err.code : 500, (err as Error).message);
    }
    const { containerId } = want;
    let streamUrl: string | undefined;
    try {
      streamUrl = (await this.o.runtime.exec(want)).url || undefined;
    } catch (err) {
      this.o.log.debug({ err: (err as Error).message }, 'runtime has no exec streaming; using ExecSync');
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (streamUrl) this.relay(ws, streamUrl);
      else void this.execSync(ws, containerId, cmd);
    });
  }

  /** kubectl port-forward: a SPDY session in the WebSocket, each stream pair dialled to the pod's IP. */
  private portForward(req: IncomingMessage, socket: Duplex, head: Buffer, ns: string, podName: string, q: URLSearchParams): void {
    const pod = this.o.getPod(ns, podName);
    if (!pod) return this.reject(socket, 404, `pod ${ns}/${podName} is not on this node`);
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (!offered.includes(portForwardTunnel)) return this.reject(socket, 400, `port-forward needs the WebSocket protocol ${portForwardTunnel}`);
    const ip = pod.status?.podIP;
    const ports = q.getAll('ports').flatMap((p) => p.split(',')).filter(Boolean).map(Number);
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const session = servePortForward(
        { host: ip || new Error(`pod ${ns}/${podName} has no IP yet`), describe: `${podName}_${ns}, uid ${pod.metadata?.uid ?? ''}`, ports },
        (b) => ws.readyState === WebSocket.OPEN && ws.send(b),
        () => ws.readyState === WebSocket.OPEN && ws.close(1000),
      );
      ws.on('message', (d: Buffer) => {
        try {
          session.receive(d);
        } catch (err) {
          this.o.log.warn({ err: (err as Error).message }, 'port-forward session failed');
          ws.terminate();
        }
      });
      ws.on('close', () => session.close());
      ws.on('error', () => session.close());
    });
  }

  /** Pipes the client's WebSocket to the runtime's streaming server, message for message. */
  private relay(client: WebSocket, url: string): void {
    const upstream = new WebSocket(url.replace(/^http/, 'ws'), [client.protocol || 'v5.channel.k8s.io']);
    const pending: Buffer[] = [];
    client.on('message', (data: Buffer) => (upstream.readyState === WebSocket.OPEN ? upstream.send(data) : pending.push(data)));
    upstream.on('open', () => {
      for (const d of pending.splice(0)) upstream.send(d);
    });
    upstream.on('message', (data: Buffer) => client.send(data));
    const end = (code?: number) => {
      if (client.readyState === WebSocket.OPEN) client.close(code && code >= 1000 && code < 5000 && code !== 1005 && code !== 1006 ? code : 1000);
      if (upstream.readyState === WebSocket.OPEN || upstream.readyState === WebSocket.CONNECTING) upstream.terminate();
    };
    upstream.on('close', (code) => end(code));
    upstream.on('error', (err) => {
      this.o.log.warn({ err: err.message }, 'exec stream to the runtime failed');
      end(1011);
    });
    client.on('close', () => end());
    client.on('error', () => end());
  }

  /** Runs the command to completion and sends its output and exit status on the channels. */
  private async execSync(ws: WebSocket, containerId: string, cmd: string[]): Promise<void> {
    const send = (channel: number, data: Buffer | string) => ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
    try {
      const r = await this.o.runtime.execSync({ containerId, cmd, timeout: 0 });
      if (r.stdout.length) send(1, r.stdout);
      if (r.stderr.length) send(2, r.stderr);
      send(3, JSON.stringify(exitStatus(r.exitCode)));
    } catch (err) {
      send(3, JSON.stringify({ metadata: {}, status: 'Failure', message: (err as Error).message, reason: 'InternalError' }));
    }
    ws.close(1000);
  }
}

/** The Status the exec protocol sends on the error channel when the command ends. */
export function exitStatus(code: number): Record<string, unknown> {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure', message: `command terminated with non-zero exit code: error executing command, exit status ${code}`,
    reason: 'NonZeroExitCode', details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}
