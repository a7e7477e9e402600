// The DNS server: UDP and TCP on one address, answers from informer caches of Services and
// EndpointSlices (so answers follow the API within a watch event), no forwarding.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { EndpointSlice, Namespace, Service } from '../api/index.js';
import { createLogger, InformerFactory, type Clientset, type Logger } from '../client/index.js';
import { answer, rcodes, type ClusterView } from './records.js';

export interface DnsServerOptions {
  clientset: Clientset;
  host: string;
  port: number;
  clusterDomain?: string;
  log?: Logger;
}

export interface RunningDns {
  /** The UDP/TCP port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

const serviceNameLabel = 'kubernetes.io/service-name';
const maxUdp = 512;

/** Builds the wire reply to one query; malformed input gets FORMERR, never an exception. */
export function respond(query: Buffer, domain: string, view: ClusterView, udp: boolean): Buffer {
  let q: dnsPacket.DecodedPacket;
  try {
    q = dnsPacket.decode(query);
  } catch {
    const id = query.length >= 2 ? query.readUInt16BE(0) : 0;
    return dnsPacket.encode({ type: 'response', id, flags: rcodes.formErr, questions: [] });
  }
  const question = q.questions?.[0];
  const rd = q.flag_rd ? dnsPacket.RECURSION_DESIRED : 0;
  if (!question || q.type !== 'query') return dnsPacket.encode({ type: 'response', id: q.id ?? 0, flags: rd | rcodes.formErr, questions: q.questions ?? [] });
  const r = answer(question.name, question.type, domain, view);
  const aa = r.rcode === rcodes.refused ? 0 : dnsPacket.AUTHORITATIVE_ANSWER;
  const packet: dnsPacket.Packet = {
    type: 'response', id: q.id ?? 0, flags: aa | rd | r.rcode, questions: [question],
    answers: r.answers, authorities: r.authorities, additionals: r.additionals,
  };
  let buf = dnsPacket.encode(packet);
  if (udp && buf.length > maxUdp) {
    // Too big for plain UDP: answer what fits flagged truncated, the client retries over TCP.
    buf = dnsPacket.encode({ ...packet, flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE, answers: [], additionals: [], authorities: [] });
  }
  return buf;
}

export async function startDnsServer(o: DnsServerOptions): Promise<RunningDns> {
  const log = o.log ?? createLogger('dns');
  const domain = o.clusterDomain ?? 'cluster.local';
  const factory = new InformerFactory(o.clientset, { log });
  const services = factory.informer<Service>('services');
  const slices = factory.informer<EndpointSlice>('endpointslices');
  const namespaces = factory.informer<Namespace>('namespaces');
  slices.addIndexer('service', (s) => {
    const svc = s.metadata?.labels?.[serviceNameLabel];
    return svc ? [`${s.metadata?.namespace ?? ''}/${svc}`] : [];
  });
  await factory.start();
  const view: ClusterView = {
    service: (ns, name) => services.store.get(`${ns}/${name}`),
    slices: (ns, name) => slices.store.byIndex('service', `${ns}/${name}`),
    hasNamespace: (ns) => namespaces.store.get(ns) !== undefined,
  };
  const handle = (msg: Buffer, udp: boolean): Buffer | undefined => {
    try {
      return respond(msg, domain, view, udp);
    } catch (err) {
      log.error({ err }, 'failed to answer a DNS query');
      return undefined;
    }
  };

  const onQuery = (udp: UdpSocket) => (msg: Buffer, rinfo: { port: number; address: string }) => {
    const out = handle(msg, true);
    if (out) udp.send(out, rinfo.port, rinfo.address);
  };
  const onConnection = (sock: Socket) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.setTimeout(10_000, () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const out = handle(buf.subarray(2, 2 + len), false);
        buf = buf.subarray(2 + len);
        if (out) {
          const framed = Buffer.alloc(2 + out.length);
          framed.writeUInt16BE(out.length, 0);
          out.copy(framed, 2);
          sock.write(framed);
        }
      }
    });
  };
  const { udp, tcp, port } = await listenUdpAndTcp(o.port, o.host, onQuery, onConnection, log);
  log.info({ address: `${o.host}:${port}`, domain }, 'serving cluster DNS (UDP and TCP)');

  return {
    port,
    close: async () => {
      factory.stop();
      udp.close();
      await new Promise<void>((r) => tcp.close(() => r()));
    },
  };
}

/**
 * UDP and TCP on one port. With port 0 the UDP socket picks it, and TCP may find it taken (by
 * any TCP socket on this host, outgoing ones included): then both try again on another port.
 */
async function listenUdpAndTcp(
  wanted: number,
  host: string,
  onQuery: (udp: UdpSocket) => (msg: Buffer, rinfo: { port: number; address: string }) => void,
  onConnection: (sock: Socket) => void,
  log: Logger,
): Promise<{ udp: UdpSocket; tcp: Server; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const udp: UdpSocket = createSocket('udp4');
    udp.on('message', onQuery(udp));
    udp.on('error', (err) => log.error({ err }, 'udp socket error'));
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(wanted, host, () => resolve());
    });
    const port = udp.address().port;
    const tcp: Server = createServer(onConnection);
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen(port, host, () => resolve());
      });
      return { udp, tcp, port };
    } catch (err) {
      udp.close();
      if (wanted !== 0 || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt >= 10) throw err;
    }
  }
}
