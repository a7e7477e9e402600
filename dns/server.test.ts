// The DNS server on loopback against a real apiserver, queried over UDP and TCP.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import dnsPacket from 'dns-packet';
import { Clientset } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { ensureKubeDnsService } from './kube-dns.js';
import { startDnsServer, type RunningDns } from './server.js';

// dns-packet decodes the rcode too; its types omit it.
type Reply = dnsPacket.DecodedPacket & { rcode: string };

function queryUdp(port: number, name: string, type: dnsPacket.RecordType): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sock = createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      reject(new Error(`no UDP answer for ${name}`));
    }, 3000);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(dnsPacket.decode(msg) as Reply);
    });
    sock.send(dnsPacket.encode({ type: 'query', id: 7, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type }] }), port, '127.0.0.1');
  });
}

function queryTcp(port: number, name: string, type: dnsPacket.RecordType): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    sock.setTimeout(3000, () => sock.destroy(new Error(`no TCP answer for ${name}`)));
    sock.on('error', reject);
    sock.on('connect', () => sock.write(dnsPacket.streamEncode({ type: 'query', id: 9, questions: [{ name, type }] })));
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        sock.end();
        resolve(dnsPacket.streamDecode(buf) as Reply);
      }
    });
  });
}

const data = (r: Reply): unknown[] => (r.answers ?? []).map((a) => ('data' in a ? a.data : undefined));

describe('skiff dns', function () {
  this.timeout(20_000);
  let api: TestApiServer;
  let cs: Clientset;
  let dns: RunningDns;
  let webIP = '';

  before(async () => {
    api = await startTestApiServer();
    cs = new Clientset({ server: api.url });
    const web = await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    });
    webIP = web.spec?.clusterIP ?? '';
    await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default' },
      spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] },
    });
    await cs.endpointSlices.create('default', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
      metadata: { name: 'db-1', namespace: 'default', labels: { 'kubernetes.io/service-name': 'db' } },
      ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
        { addresses: ['10.244.2.6'], conditions: { ready: true } },
        { addresses: ['10.244.3.7'], conditions: { ready: false } },
      ],
    });
    await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'ext', namespace: 'default' },
      spec: { type: 'ExternalName', externalName: 'example.com' },
    });
    dns = await startDnsServer({ clientset: cs, host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await dns?.close();
    await api?.close();
  });

  for (const [proto, q] of [['UDP', queryUdp], ['TCP', queryTcp]] as const) {
    describe(`over ${proto}`, () => {
      it('answers A for a ClusterIP Service', async () => {
        const r = await q(dns.port, 'web.default.svc.cluster.local', 'A');
        assert.equal(r.rcode, 'NOERROR');
        assert.ok(r.flag_aa);
        assert.deepEqual(data(r), [webIP]);
      });

      it('answers SRV for a named port with the Service as target', async () => {
        const r = await q(dns.port, '_http._tcp.web.default.svc.cluster.local', 'SRV');
        assert.deepEqual(data(r), [{ priority: 0, weight: 100, port: 80, target: 'web.default.svc.cluster.local' }]);
        assert.deepEqual(r.additionals?.map((a) => ('data' in a ? a.data : undefined)), [webIP]);
      });

      it('answers the ready pod IPs for a headless Service, and its endpoints by hostname', async () => {
        assert.deepEqual(data(await q(dns.port, 'db.default.svc.cluster.local', 'A')), ['10.244.1.5', '10.244.2.6']);
        assert.deepEqual(data(await q(dns.port, 'db-0.db.default.svc.cluster.local', 'A')), ['10.244.1.5']);
        const srv = await q(dns.port, '_pg._tcp.db.default.svc.cluster.local', 'SRV');
        assert.deepEqual(srv.answers?.map((a) => ('data' in a ? (a.data as { target: string }).target : '')), [
          'db-0.db.default.svc.cluster.local', '10-244-2-6.db.default.svc.cluster.local',
        ]);
      });

      it('answers CNAME for an ExternalName Service', async () => {
        const r = await q(dns.port, 'ext.default.svc.cluster.local', 'A');
        assert.deepEqual(r.answers?.map((a) => [a.type, 'data' in a ? a.data : undefined]), [['CNAME', 'example.com']]);
      });

      it('answers pod A records from the dashed IP', async () => {
        assert.deepEqual(data(await q(dns.port, '10-244-1-5.default.pod.cluster.local', 'A')), ['10.244.1.5']);
      });

      it('says NXDOMAIN for unknown names in the cluster domain, NOERROR without data for other types', async () => {
        const nx = await q(dns.port, 'nope.default.svc.cluster.local', 'A');
        assert.equal(nx.rcode, 'NXDOMAIN');
        assert.equal(nx.authorities?.[0]?.type, 'SOA');
        const aaaa = await q(dns.port, 'web.default.svc.cluster.local', 'AAAA');
        assert.equal(aaaa.rcode, 'NOERROR');
        assert.deepEqual(aaaa.answers, []);
      });

      it('refuses names outside the cluster domain', async () => {
        const r = await q(dns.port, 'example.com', 'A');
        assert.equal(r.rcode, 'REFUSED');
        assert.deepEqual(r.answers, []);
      });
    });
  }

  it('follows the API: a new Service resolves within a watch event', async () => {
    const svc = await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'late', namespace: 'default' }, spec: { ports: [{ port: 81 }] },
    });
    const deadline = Date.now() + 5000;
    for (;;) {
      const r = await queryUdp(dns.port, 'late.default.svc.cluster.local', 'A');
      if (r.rcode === 'NOERROR') {
        assert.deepEqual(data(r), [svc.spec?.clusterIP]);
        break;
      }
      assert.ok(Date.now() < deadline, 'new Service never resolved');
      await new Promise((res) => setTimeout(res, 50));
    }
  });

  it('ensures kube-system/kube-dns on 10.96.0.10 pointing at the server, idempotently', async () => {
    await ensureKubeDnsService(cs, { ip: '172.30.0.1', port: dns.port });
    const svc = await ensureKubeDnsService(cs, { ip: '172.30.0.1', port: dns.port });
    assert.equal(svc.spec?.clusterIP, '10.96.0.10');
    assert.deepEqual(svc.spec?.ports?.map((p) => [p.name, p.port, p.protocol]), [['dns', 53, 'UDP'], ['dns-tcp', 53, 'TCP']]);
    assert.equal(svc.spec?.selector, undefined);
    const slice = await cs.endpointSlices.get('kube-system', 'kube-dns-skiff');
    assert.equal(slice.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'skiff-dns');
    assert.deepEqual(slice.endpoints?.map((e) => e.addresses), [['172.30.0.1']]);
    assert.deepEqual(slice.ports?.map((p) => p.port), [dns.port, dns.port]);
    const ep = await cs.endpoints.get('kube-system', 'kube-dns');
    assert.equal(ep.subsets?.[0]?.addresses?.[0]?.ip, '172.30.0.1');
  });
});
