// pods/portforward on the kubelet: the portforward.k8s.io protocol over SPDY (spdy.ts), as
// kubectl speaks it, tunnelled in a WebSocket ("SPDY/3.1+portforward.k8s.io"). Each forwarded
// connection is a pair of streams sharing a requestID: "error" (we write a message there if the
// pod's port cannot be reached, then close it) and "data" (bytes both ways). The kubelet dials
// the pod's IP on the node's pod network, so ports the pod serves on its own loopback only are
// out of reach (Kubernetes enters the pod's network namespace).
import { connect, type Socket } from 'node:net';
import { SpdyServerSession, type SpdyStream } from './spdy.js';

export const portForwardProtocol = 'portforward.k8s.io';

interface Pair {
  error?: SpdyStream;
  data?: SpdyStream;
  port: number;
}

export interface PortForwardTarget {
  /** The pod's IP, or an error message when it has none. */
  host: string | Error;
  /** What error messages call the pod (`ns/name, uid …`). */
  describe: string;
  /** Ports a `ports` query asked for; empty = any. */
  ports: number[];
}

/**
 * Serves one port-forward session over a byte transport: `write` sends to the client, the
 * returned function takes the client's bytes, `end` closes the transport.
 */
export function servePortForward(target: PortForwardTarget, write: (b: Buffer) => void, end: () => void): { receive(b: Buffer): void; close(): void } {
  const pairs = new Map<string, Pair>();
  const sockets = new Set<Socket>();
  const session = new SpdyServerSession(write, (s) => onStream(s), () => {
    for (const sock of sockets) sock.destroy();
    end();
  });

  const fail = (pair: Pair, message: string): void => {
    if (pair.error) session.data(pair.error, Buffer.from(message), true);
    if (pair.data) session.data(pair.data, Buffer.alloc(0), true);
  };

  function start(requestId: string, pair: Pair): void {
    pairs.delete(requestId);
    const data = pair.data!;
    if (target.host instanceof Error) return fail(pair, target.host.message);
    if (target.ports.length && !target.ports.includes(pair.port)) return fail(pair, `port ${pair.port} was not asked for in the ports parameter`);
    const sock = connect({ host: target.host, port: pair.port });
    sockets.add(sock);
    let connected = false;
    const pending: Buffer[] = [];
    let clientDone = false;
    data.onData = (b) => (connected ? sock.write(b) : pending.push(b));
    data.onEnd = () => {
      clientDone = true;
      if (connected) sock.end();
    };
    data.onReset = () => sock.destroy();
    sock.on('connect', () => {
      connected = true;
      for (const b of pending.splice(0)) sock.write(b);
      if (clientDone) sock.end();
    });
    sock.on('data', (b: Buffer) => session.data(data, b));
    sock.on('error', (err) => {
      if (!connected) fail(pair, `error forwarding port ${pair.port} to pod ${target.describe}: ${err.message}`);
    });
    sock.on('close', () => {
      sockets.delete(sock);
      if (!connected) return;
      session.data(data, Buffer.alloc(0), true);
      if (pair.error) session.data(pair.error, Buffer.alloc(0), true);
    });
  }

  function onStream(s: SpdyStream): void {
    const type = s.headers.streamtype;
    const port = Number(s.headers.port);
    const requestId = s.headers.requestid ?? '';
    if ((type !== 'error' && type !== 'data') || !Number.isInteger(port) || port <= 0 || port > 65535) {
      session.reset(s);
      return;
    }
    session.reply(s);
    const pair = pairs.get(requestId) ?? { port };
    pair[type] = s;
    pairs.set(requestId, pair);
    if (pair.error && pair.data) start(requestId, pair);
  }

  return { receive: (b) => session.receive(b), close: () => session.close() };
}
