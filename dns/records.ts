// What the cluster DNS answers, as a pure function of a question and the Services and
// EndpointSlices it knows (the Kubernetes DNS specification, as CoreDNS's kubernetes plugin
// implements it): `<svc>.<ns>.svc.<domain>` A (ClusterIP, or the ready pod IPs of a headless
// Service), `_<port>._<proto>.<svc>.<ns>.svc.<domain>` SRV, `<host>.<svc>.<ns>.svc.<domain>`
// for headless endpoints, `a-b-c-d.<ns>.pod.<domain>` A, CNAME for ExternalName. Unknown names
// in the domain are NXDOMAIN; names outside it are REFUSED — nothing is forwarded.
import type { Answer } from 'dns-packet';
import type { EndpointSlice, Service } from '../api/index.js';

export const rcodes = { noError: 0, formErr: 1, servFail: 2, nxDomain: 3, notImp: 4, refused: 5 } as const;
export const ttl = 5;

export interface ClusterView {
  service(namespace: string, name: string): Service | undefined;
  slices(namespace: string, service: string): EndpointSlice[];
  hasNamespace(namespace: string): boolean;
}

export interface Reply {
  rcode: number;
  answers: Answer[];
  additionals: Answer[];
  authorities: Answer[];
}

interface Target {
  /** Leftmost label of a headless endpoint's name: its hostname or dashed IP. */
  host: string;
  ip: string;
}

function soa(domain: string): Answer {
  return {
    type: 'SOA', name: domain, ttl,
    data: { mname: `ns.dns.${domain}`, rname: `hostmaster.${domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: ttl },
  };
}

const empty = (rcode: number, domain?: string): Reply => ({ rcode, answers: [], additionals: [], authorities: domain ? [soa(domain)] : [] });

/** Ready addresses of a headless Service (all of them with publishNotReadyAddresses). */
export function headlessTargets(svc: Service, slices: readonly EndpointSlice[]): Target[] {
  const all = svc.spec?.publishNotReadyAddresses === true;
  const seen = new Map<string, Target>();
  for (const s of slices) {
    if (s.addressType !== 'IPv4') continue;
    for (const ep of s.endpoints ?? []) {
      if (!all && ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses) if (!seen.has(ip)) seen.set(ip, { ip, host: ep.hostname ?? ip.replace(/\./g, '-') });
    }
  }
  return [...seen.values()].sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
}

const isHeadless = (svc: Service): boolean => svc.spec?.clusterIP === 'None';

export function answer(qname: string, qtype: string, domain: string, view: ClusterView): Reply {
  const name = qname.toLowerCase().replace(/\.$/, '');
  const zone = domain.toLowerCase().replace(/\.$/, '');
  if (name !== zone && !name.endsWith(`.${zone}`)) return empty(rcodes.refused);
  const labels = name === zone ? [] : name.slice(0, -(zone.length + 1)).split('.');
  const nodata = empty(rcodes.noError, zone);
  const nx = empty(rcodes.nxDomain, zone);
  const a = (n: string, ip: string): Answer => ({ type: 'A', name: n, ttl, data: ip });

  if (labels.length === 0) return qtype === 'SOA' ? { ...nodata, answers: [soa(zone)], authorities: [] } : nodata;
  const kind = labels[labels.length - 1];
  if (kind === 'pod') {
    if (labels.length === 1) return nodata;
    const ns = labels[labels.length - 2] ?? '';
    if (labels.length === 2) return view.hasNamespace(ns) ? nodata : nx;
    const ipLabel = labels[0] ?? '';
    const ip = ipLabel.replace(/-/g, '.');
    if (labels.length !== 3 || !/^\d{1,3}(\.\d{1,3}){3}$/.test(ip) || ip.split('.').some((o) => Number(o) > 255)) return nx;
    return qtype === 'A' || qtype === 'ANY' ? { ...nodata, answers: [a(name, ip)], authorities: [] } : nodata;
  }
  if (kind !== 'svc') return nx;
  if (labels.length === 1) return nodata;
  const ns = labels[labels.length - 2] ?? '';
  if (labels.length === 2) return view.hasNamespace(ns) ? nodata : nx;
  const svcName = labels[labels.length - 3] ?? '';
  const svc = view.service(ns, svcName);
  if (!svc) return nx;
  const svcFqdn = `${svcName}.${ns}.svc.${zone}`;

  if (svc.spec?.type === 'ExternalName') {
    if (labels.length !== 3 || !svc.spec.externalName) return nx;
    return { ...nodata, answers: [{ type: 'CNAME', name, ttl, data: svc.spec.externalName.replace(/\.$/, '') }], authorities: [] };
  }
  const targets = isHeadless(svc) ? headlessTargets(svc, view.slices(ns, svcName)) : [];
  const addrs = (): Answer[] => (isHeadless(svc) ? targets.map((t) => a(svcFqdn, t.ip)) : svc.spec?.clusterIP ? [a(svcFqdn, svc.spec.clusterIP)] : []);

  if (labels.length === 3) {
    if (qtype === 'A' || qtype === 'ANY') return { ...nodata, answers: addrs(), authorities: [] };
    if (qtype === 'SRV') return srv(name, svc, undefined, targets, svcFqdn, nodata);
    return nodata;
  }
  if (labels.length === 4 && isHeadless(svc)) {
    const t = targets.filter((x) => x.host === labels[0]);
    if (t.length === 0) return nx;
    return qtype === 'A' || qtype === 'ANY' ? { ...nodata, answers: t.map((x) => a(name, x.ip)), authorities: [] } : nodata;
  }
  if (labels.length === 5 && labels[0]?.startsWith('_') && labels[1]?.startsWith('_')) {
    const port = (svc.spec?.ports ?? []).find((p) => p.name && `_${p.name}` === labels[0] && `_${(p.protocol ?? 'TCP').toLowerCase()}` === labels[1]);
    if (!port) return nx;
    return qtype === 'SRV' || qtype === 'ANY' ? srv(name, svc, port.name, targets, svcFqdn, nodata) : nodata;
  }
  return nx;
}

function srv(name: string, svc: Service, portName: string | undefined, targets: readonly Target[], svcFqdn: string, nodata: Reply): Reply {
  const ports = (svc.spec?.ports ?? []).filter((p) => p.name && (portName === undefined || p.name === portName));
  const answers: Answer[] = [];
  const additionals: Answer[] = [];
  for (const p of ports) {
    if (isHeadless(svc)) {
      for (const t of targets) {
        const target = `${t.host}.${svcFqdn}`;
        answers.push({ type: 'SRV', name, ttl, data: { priority: 0, weight: Math.floor(100 / targets.length), port: p.port, target } });
        additionals.push({ type: 'A', name: target, ttl, data: t.ip });
      }
    } else {
      answers.push({ type: 'SRV', name, ttl, data: { priority: 0, weight: 100, port: p.port, target: svcFqdn } });
      if (svc.spec?.clusterIP && additionals.length === 0) additionals.push({ type: 'A', name: svcFqdn, ttl, data: svc.spec.clusterIP });
    }
  }
  return { ...nodata, answers, additionals, authorities: answers.length ? [] : nodata.authorities };
}
