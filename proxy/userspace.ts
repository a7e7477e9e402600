// The fallback without root or iptables: a userspace TCP proxy listening on each NodePort (on
// the given address) that connects every accepted connection to a random usable endpoint.
// ClusterIPs cannot be served this way (nothing routes them here without root).
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { EndpointSlice, Service } from '../api/index.js';
import type { Logger } from '../client/index.js';
import { endpointsFor, hasNodePorts, protocolOf, servicePortName, slicesByService, usableEndpoints, type Endpoint } from './endpoints.js';

interface Listener {
  server: Server;
  name: string;
  endpoints: Endpoint[];
}

export class UserspaceProxy {
  private readonly listeners = new Map<number, Listener>();

  constructor(
    private readonly host: string,
    private readonly log: Logger,
  ) {}

  /** Makes the listeners match the NodePort Services (TCP ports only). */
  sync(services: readonly Service[], slices: readonly EndpointSlice[]): void {
    const bySvc = slicesByService(slices);
    const want = new Map<number, { name: string; endpoints: Endpoint[] }>();
    for (const svc of services) {
      if (!hasNodePorts(svc)) continue;
      const own = bySvc.get(`${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`) ?? [];
      for (const port of svc.spec?.ports ?? []) {
        if (!port.nodePort || protocolOf(port) !== 'TCP') continue;
        want.set(port.nodePort, { name: servicePortName(svc, port), endpoints: usableEndpoints(endpointsFor(port, own)) });
      }
    }
    for (const [port, l] of this.listeners) {
      if (!want.has(port)) {
        l.server.close();
        this.listeners.delete(port);
      }
    }
    for (const [port, w] of want) {
      const existing = this.listeners.get(port);
      if (existing) {
        existing.endpoints = w.endpoints;
        existing.name = w.name;
        continue;
      }
      const l: Listener = { server: createServer((c) => this.forward(l, c)), ...w };
      l.server.on('error', (err) => this.log.error({ err, port, service: l.name }, 'userspace proxy cannot listen'));
      l.server.listen(port, this.host);
      this.listeners.set(port, l);
    }
  }

  private forward(l: Listener, client: Socket): void {
    const ep = l.endpoints[Math.floor(Math.random() * l.endpoints.length)];
    client.on('error', () => undefined);
    if (!ep) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(ep.port, ep.ip);
    upstream.on('error', (err) => {
      this.log.debug({ err, service: l.name, endpoint: `${ep.ip}:${ep.port}` }, 'userspace proxy: endpoint failed');
      client.destroy();
    });
    client.pipe(upstream).pipe(client);
  }

  close(): void {
    for (const l of this.listeners.values()) l.server.close();
    this.listeners.clear();
  }
}
