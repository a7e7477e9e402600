// pods/log and pods/exec: the apiserver finds the pod's node and relays the request to that
// node's kubelet (status.addresses InternalIP + daemonEndpoints.kubeletEndpoint.Port), presenting
// the shared kubelet token. Logs are a plain HTTP stream; exec is a WebSocket (v5/v4 channel
// protocol) relayed message for message. SPDY exec (kubectl before 1.30) is refused clearly.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { WebSocket, WebSocketServer } from 'ws';
import type { Node, Pod } from '../../api/index.js';
import { resources } from '../../api/registry.js';
import type { ResourceType } from '../../api/resource.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Registry } from '../registry/rest.js';
import { refuseUpgrade } from './resource-route.js';

const protocols = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
/**
 * kubectl port-forward (1.31+): SPDY tunnelled in a WebSocket, terminated by the kubelet. `ws`
 * refuses the '/' in this subprotocol, so it is answered by hand ('headers' below) and the hop
 * to the kubelet names it `portforward.k8s.io`.
 */
const portForwardTunnel = 'SPDY/3.1+portforward.k8s.io';
const kubeletPortForward = 'portforward.k8s.io';
const podPath = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(log|exec|attach|portforward)$/;

export interface NodeProxyDeps {
  registry: Registry;
  /** Bearer token the kubelets accept (--kubelet-client-token-file). */
  kubeletToken?: string;
  log: Logger;
}

interface Target {
  host: string;
  port: number;
  container: string;
}

function type(plural: string): ResourceType {
  const rt = resources.find((r) => r.group === '' && r.plural === plural);
  if (!rt) throw new Error(`no ${plural} resource`);
  return rt;
}

export class NodeProxy {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => [...protocols, portForwardTunnel].find((x) => p.has(x)) ?? false });

  /** Upgrades answered with the port-forward tunnel protocol. */
  private readonly tunnels = new WeakSet<IncomingMessage>();

  constructor(private readonly deps: NodeProxyDeps) {
    this.wss.on('headers', (headers, req) => {
      if (this.tunnels.has(req)) headers.push(`Sec-WebSocket-Protocol: ${portForwardTunnel}`);
    });
  }

  /** Where the pod's kubelet is, and which container is meant. */
  private async target(ns: string, name: string, container: string | undefined, needContainer = true): Promise<Target> {
    const pod = (await this.deps.registry.get(type('pods'), ns, name)) as Pod;
    if (!needContainer) return this.kubeletOf(pod, '');
    const names = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])].map((c) => c.name);
    let c = container;
    if (!c) {
      const regular = (pod.spec?.containers ?? []).map((x) => x.name);
      c = pod.metadata?.annotations?.['kubectl.kubernetes.io/default-container'] ?? (regular.length === 1 ? regular[0] : undefined);
      if (!c) throw new ApiError(400, 'BadRequest', `a container name must be specified for pod ${name}, choose one of: [${regular.join(' ')}]`);
    }
    if (!names.includes(c)) throw new ApiError(400, 'BadRequest', `container ${c} is not valid for pod ${name}`);
    return this.kubeletOf(pod, c);
  }

  private async kubeletOf(pod: Pod, c: string): Promise<Target> {
    const name = pod.metadata?.name ?? '';
    const nodeName = pod.spec?.nodeName;
    if (!nodeName) throw new ApiError(400, 'BadRequest', `pod ${name} does not have a host assigned`);
    const node = (await this.deps.registry.get(type('nodes'), undefined, nodeName)) as Node;
    const host = node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    const port = node.status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
    // Hollow nodes advertise no port: there is nothing to connect to.
    if (!host || !port) throw new ApiError(400, 'BadRequest', `node ${nodeName} has no kubelet endpoint`);
    return { host: host.includes(':') ? `[${host}]` : host, port, container: c };
  }

  private headers(): Record<string, string> {
    return this.deps.kubeletToken ? { authorization: `Bearer ${this.deps.kubeletToken}` } : {};
  }

  private static forwardQuery(url: URL): string {
    const q = new URLSearchParams();
    for (const [k, v] of url.searchParams) if (k !== 'container') q.append(k, v);
    const s = q.toString();
    return s ? `?${s}` : '';
  }

  /** Whether a request URL is one this proxy serves (the rest of /api/ takes the direct route). */
  readonly handles = (url: string): boolean => {
    const q = url.indexOf('?');
    return podPath.test(q < 0 ? url : url.slice(0, q));
  };

  /** Express middleware for GET …/pods/<pod>/log (and a clear error for non-WebSocket exec). */
  readonly handler = (req: Request, res: Response, next: NextFunction): void => {
    const m = podPath.exec(req.path);
    if (!m) return next();
    const [ns, name, sub] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!), m[3]!];
    if (sub !== 'log') {
      return next(new ApiError(400, 'BadRequest', `${sub} needs a WebSocket upgrade (${protocols[0]}); SPDY is not supported — use kubectl 1.30 or newer`));
    }
    if (req.method !== 'GET') return next(new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
    const url = new URL(req.originalUrl, 'http://apiserver');
    this.target(ns, name, url.searchParams.get('container') ?? undefined).then((t) => {
      const upstream = httpRequest(
        { host: t.host.replace(/^\[|\]$/g, ''), port: t.port, method: 'GET', headers: this.headers(), path: `/containerLogs/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/${encodeURIComponent(t.container)}${NodeProxy.forwardQuery(url)}` },
        (up) => {
          if (up.statusCode !== 200) {
            const chunks: Buffer[] = [];
            up.on('data', (c: Buffer) => chunks.push(c));
            up.on('end', () => {
              const message = Buffer.concat(chunks).toString('utf8').trim() || `kubelet answered ${up.statusCode}`;
              const code = up.statusCode === 401 || up.statusCode === 403 ? 500 : (up.statusCode ?? 500);
              next(new ApiError(code, code === 404 ? 'NotFound' : code === 400 ? 'BadRequest' : 'InternalError', message));
            });
            return;
          }
          res.status(200).type('text/plain');
          res.flushHeaders();
          up.pipe(res);
        },
      );
      upstream.on('error', (err) => {
        if (res.headersSent) return void res.end();
        next(new ApiError(502, 'ServiceUnavailable', `error dialing the kubelet at ${t.host}:${t.port}: ${err.message}`));
      });
      res.on('close', () => upstream.destroy());
      upstream.end();
    }, next);
  };

  /** WebSocket exec and port-forward to the pod's kubelet (the caller passed the gate in app.ts). */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://apiserver');
    const m = podPath.exec(url.pathname);
    if (!m || m[3] === 'log') return refuseUpgrade(socket, new ApiError(400, 'BadRequest', `no WebSocket upgrade here: ${url.pathname}`));
    if (m[3] === 'attach') return refuseUpgrade(socket, new ApiError(400, 'BadRequest', 'attach is not supported'));
    const [ns, name] = [decodeURIComponent(m[1]!), decodeURIComponent(m[2]!)];
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const forward = m[3] === 'portforward';
    if (forward && String(req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      return refuseUpgrade(socket, new ApiError(400, 'BadRequest', `port-forward needs a WebSocket upgrade (${portForwardTunnel}); SPDY is not supported — use kubectl 1.31 or newer`));
    }
    const wanted = forward ? offered.filter((p) => p === portForwardTunnel) : protocols.filter((p) => offered.includes(p));
    if (wanted.length === 0) return refuseUpgrade(socket, new ApiError(400, 'BadRequest', `${m[3]} needs one of the WebSocket protocols ${(forward ? [portForwardTunnel] : protocols).join(', ')}`));
    if (forward) {
      delete req.headers['sec-websocket-protocol'];
      this.tunnels.add(req);
    }
    this.target(ns, name, url.searchParams.get('container') ?? undefined, !forward).then((t) => {
      const pod = `${encodeURIComponent(ns)}/${encodeURIComponent(name)}`;
      const upstream = new WebSocket(
        `ws://${t.host}:${t.port}${forward ? `/portForward/${pod}` : `/exec/${pod}/${encodeURIComponent(t.container)}`}${NodeProxy.forwardQuery(url)}`,
        forward ? [kubeletPortForward] : wanted,
        { headers: this.headers() },
      );
      upstream.once('unexpected-response', (_r, res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => refuseUpgrade(socket, new ApiError(res.statusCode === 404 ? 404 : 400, 'BadRequest', Buffer.concat(chunks).toString('utf8').trim())));
      });
      upstream.once('error', (err) => {
        if (!socket.destroyed && upstream.readyState !== WebSocket.OPEN) refuseUpgrade(socket, new ApiError(502, 'ServiceUnavailable', `error dialing the kubelet at ${t.host}:${t.port}: ${err.message}`));
      });
      upstream.once('open', () => {
        // Answer the client with the protocol the kubelet chose.
        if (!forward) (req.headers as Record<string, string>)['sec-websocket-protocol'] = upstream.protocol;
        this.wss.handleUpgrade(req, socket, head, (client) => pipe(client, upstream, this.deps.log));
      });
    }).catch((err: unknown) => refuseUpgrade(socket, err));
  };

  close(): void {
    for (const c of this.wss.clients) c.terminate();
  }
}

function pipe(client: WebSocket, upstream: WebSocket, log: Logger): void {
  client.on('message', (d: Buffer) => upstream.readyState === WebSocket.OPEN && upstream.send(d));
  upstream.on('message', (d: Buffer) => client.readyState === WebSocket.OPEN && client.send(d));
  const closeCode = (c: number) => (c >= 1000 && c < 5000 && c !== 1005 && c !== 1006 ? c : 1000);
  upstream.on('close', (code) => client.readyState === WebSocket.OPEN && client.close(closeCode(code)));
  client.on('close', (code) => upstream.readyState === WebSocket.OPEN && upstream.close(closeCode(code)));
  upstream.on('error', (err) => {
    log.warn({ err: err.message }, 'exec stream to the kubelet failed');
    client.terminate();
  });
  client.on('error', () => upstream.terminate());
}
