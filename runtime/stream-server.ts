// The runtime's streaming server for Exec: the Exec RPC hands out a one-time URL on loopback,
// the kubelet (or a test) connects with a WebSocket speaking the Kubernetes channel protocol
// (v5.channel.k8s.io; v4 accepted): every binary message starts with a channel byte — 0 stdin,
// 1 stdout, 2 stderr, 3 error (a metav1.Status JSON when the command ends), 4 resize — and in
// v5 [255, channel] closes that channel (how a client ends stdin).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';

export const STREAM_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecSession {
  containerId: string;
  cmd: string[];
  tty: boolean;
  stdin: boolean;
}

/** Resolves a session to the process to run (runc exec … or the host command). */
export type ExecResolver = (session: ExecSession) => { file: string; args: string[] };

const TOKEN_TTL_MS = 60_000;

export function exitStatus(code: number, cmd: string[]): object {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command ${JSON.stringify(cmd)}, exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export class StreamServer {
  private readonly sessions = new Map<string, ExecSession & { expires: number }>();
  private readonly http: Server;
  private readonly wss: WebSocketServer;
  private port = 0;

  constructor(
    private readonly resolve: ExecResolver,
    private readonly log: Logger,
    private readonly host = '127.0.0.1',
  ) {
    this.http = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('expected a WebSocket upgrade\n');
    });
    this.wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => STREAM_PROTOCOLS.find((p) => protocols.has(p)) ?? false,
    });
    this.http.on('upgrade', (req, socket, head) => {
      const session = this.take(req);
      if (!session) {
        socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\n\r\nunknown or expired exec session\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.run(ws, session));
    });
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(port, this.host, () => resolve());
    });
    this.port = (this.http.address() as AddressInfo).port;
  }

  /** Registers an exec and returns the URL to connect to (valid once, for a minute). */
  register(session: ExecSession): string {
    const now = Date.now();
    for (const [token, s] of this.sessions) if (s.expires < now) this.sessions.delete(token);
    const token = randomBytes(16).toString('hex');
    this.sessions.set(token, { ...session, expires: now + TOKEN_TTL_MS });
    return `http://${this.host}:${this.port}/exec/${token}`;
  }

  private take(req: IncomingMessage): ExecSession | undefined {
    const token = /^\/exec\/([0-9a-f]+)$/.exec((req.url ?? '').split('?')[0] ?? '')?.[1];
    const session = token ? this.sessions.get(token) : undefined;
    if (!token || !session || session.expires < Date.now()) return undefined;
    this.sessions.delete(token);
    return session;
  }

  private run(ws: WebSocket, session: ExecSession): void {
    const { file, args } = this.resolve(session);
    const child = spawn(file, args, { stdio: [session.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const send = (channel: number, data: Buffer | string): void => {
      if (ws.readyState !== ws.OPEN) return;
      const body = typeof data === 'string' ? Buffer.from(data) : data;
      ws.send(Buffer.concat([Buffer.from([channel]), body]));
    };
    child.stdout?.on('data', (d: Buffer) => send(1, d));
    child.stderr?.on('data', (d: Buffer) => send(2, d));
    ws.on('message', (raw: Buffer, isBinary: boolean) => {
      const msg = isBinary ? raw : Buffer.from(raw.toString(), 'utf8');
      const channel = msg[0];
      if (channel === 0) child.stdin?.write(msg.subarray(1));
      else if (channel === 255 && msg[1] === 0) child.stdin?.end();
      // 4 (resize) has no effect: exec sessions have no terminal yet.
    });
    ws.on('close', () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    child.stdin?.on('error', () => {});
    child.on('error', (err) => {
      this.log.warn({ err, containerId: session.containerId }, 'exec failed to start');
      send(3, JSON.stringify({ metadata: {}, status: 'Failure', message: err.message, reason: 'InternalError' }));
      ws.close(1000);
    });
    child.on('close', (code, signal) => {
      send(3, JSON.stringify(exitStatus(code ?? (signal ? 137 : 1), session.cmd)));
      ws.close(1000);
    });
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
