// The pure heart of the proxy: Services + EndpointSlices + this node's addresses → the text
// `iptables-restore --noflush` needs to make our chains exactly so. Modelled on kube-proxy's
// iptables mode (pkg/proxy/iptables/proxier.go): a dispatch chain matching VIP:port, one chain
// per Service port picking an endpoint with `statistic --mode random`, one chain per endpoint
// doing the DNAT, and a mark that POSTROUTING turns into MASQUERADE. Output is deterministic:
// the same inputs give byte-identical text, so "changed?" is a string comparison and a restarted
// proxy writes exactly what the previous one wrote.
import type { EndpointSlice, Service, ServicePort } from '../api/index.js';
import {
  endpointsFor, hasClusterIP, hasNodePorts, protocolOf, servicePortName, slicesByService, usableEndpoints,
  type Endpoint,
} from './endpoints.js';
import { chains, endpointChain, serviceChain } from './names.js';

export const masqueradeMark = '0x4000';

export interface RuleInputs {
  services: readonly Service[];
  slices: readonly EndpointSlice[];
  /** This node's addresses: NodePorts are served on them. */
  nodeIPs: readonly string[];
  /** Pod range: traffic to a ClusterIP from outside it is masqueraded (kube-proxy's --cluster-cidr). */
  clusterCIDR?: string;
}

export interface Ruleset {
  /** Chains we own per table, in the order declared. */
  filterChains: string[];
  natChains: string[];
  filterRules: string[];
  natRules: string[];
}

function quote(s: string): string {
  return `"${s.replace(/"/g, "'")}"`;
}

interface PortCtx {
  name: string;
  proto: string;
  comment: string;
  svcChain: string;
  affinitySeconds: number | undefined;
}

function affinitySeconds(svc: Service): number | undefined {
  if (svc.spec?.sessionAffinity !== 'ClientIP') return undefined;
  return svc.spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800;
}

/** Addresses outside the cluster that also front the Service: externalIPs and LB ingress IPs. */
function externalAddresses(svc: Service): string[] {
  const ips = new Set(svc.spec?.externalIPs ?? []);
  if (svc.spec?.type === 'LoadBalancer') for (const i of svc.status?.loadBalancer?.ingress ?? []) if (i.ip) ips.add(i.ip);
  return [...ips].sort();
}

function probability(n: number): string {
  return (1 / n).toFixed(10);
}

export function buildRuleset(input: RuleInputs): Ruleset {
  const r: Ruleset = {
    filterChains: [chains.services],
    natChains: [chains.services, chains.nodePorts, chains.postrouting, chains.markMasq],
    filterRules: [],
    natRules: [],
  };
  const svcLines: string[] = [];
  const nodePortLines: string[] = [];
  const chainLines: string[] = [];
  const bySvc = slicesByService(input.slices);
  const nodeIPs = [...new Set(input.nodeIPs)].sort();

  const services = [...input.services].filter(hasClusterIP).sort((a, b) => key(a).localeCompare(key(b)));
  for (const svc of services) {
    const slices = bySvc.get(key(svc)) ?? [];
    for (const port of svc.spec?.ports ?? []) {
      const name = servicePortName(svc, port);
      const proto = protocolOf(port).toLowerCase();
      const ctx: PortCtx = { name, proto, comment: quote(name), svcChain: serviceChain(name, proto), affinitySeconds: affinitySeconds(svc) };
      const eps = usableEndpoints(endpointsFor(port, slices));
      const vip = svc.spec?.clusterIP ?? '';
      const nodePort = hasNodePorts(svc) ? port.nodePort : undefined;
      const externals = externalAddresses(svc);
      const match = (dst: string, p: number): string => `-d ${dst}/32 -p ${proto} -m ${proto} --dport ${p}`;

      if (eps.length === 0) {
        const reject = (dst: string, p: number, what: string): void => {
          r.filterRules.push(`-A ${chains.services} ${match(dst, p)} -m comment --comment ${quote(`${name} ${what} has no endpoints`)} -j REJECT --reject-with icmp-port-unreachable`);
        };
        reject(vip, port.port, 'cluster IP');
        for (const ip of externals) reject(ip, port.port, 'external IP');
        if (nodePort) for (const ip of nodeIPs) reject(ip, nodePort, 'node port');
        continue;
      }

      svcLines.push(`-A ${chains.services} ${match(vip, port.port)} -m comment --comment ${quote(`${name} cluster IP`)} -j ${ctx.svcChain}`);
      for (const ip of externals) {
        const m = `${match(ip, port.port)} -m comment --comment ${quote(`${name} external IP`)}`;
        svcLines.push(`-A ${chains.services} ${m} -j ${chains.markMasq}`, `-A ${chains.services} ${m} -j ${ctx.svcChain}`);
      }
      if (nodePort) {
        const m = `-p ${proto} -m ${proto} --dport ${nodePort} -m comment --comment ${ctx.comment}`;
        nodePortLines.push(`-A ${chains.nodePorts} ${m} -j ${chains.markMasq}`, `-A ${chains.nodePorts} ${m} -j ${ctx.svcChain}`);
      }
      r.natChains.push(ctx.svcChain);
      if (input.clusterCIDR) {
        chainLines.push(`-A ${ctx.svcChain} ! -s ${input.clusterCIDR} ${match(vip, port.port)} -m comment --comment ${quote(`${name} cluster IP`)} -j ${chains.markMasq}`);
      }
      chainLines.push(...endpointRules(ctx, eps, r.natChains));
    }
  }

  // NodePorts last, as kube-proxy does, so a VIP match always wins.
  for (const ip of nodeIPs) {
    svcLines.push(`-A ${chains.services} -d ${ip}/32 -m comment --comment "skiff service nodeports" -j ${chains.nodePorts}`);
  }
  r.natRules = [
    `-A ${chains.postrouting} -m mark ! --mark ${masqueradeMark}/${masqueradeMark} -j RETURN`,
    // Clear the mark so a packet re-traversing the stack (hairpin) is not masqueraded twice.
    `-A ${chains.postrouting} -j MARK --xor-mark ${masqueradeMark}`,
    `-A ${chains.postrouting} -m comment --comment "skiff service traffic requiring SNAT" -j MASQUERADE --random-fully`,
    `-A ${chains.markMasq} -j MARK --or-mark ${masqueradeMark}`,
    ...svcLines,
    ...nodePortLines,
    ...chainLines,
  ];
  return r;
}

function endpointRules(ctx: PortCtx, eps: readonly Endpoint[], natChains: string[]): string[] {
  const lines: string[] = [];
  const sepLines: string[] = [];
  const seps = eps.map((e) => ({ e, addr: `${e.ip}:${e.port}`, chain: endpointChain(ctx.name, ctx.proto, `${e.ip}:${e.port}`) }));
  if (ctx.affinitySeconds !== undefined) {
    for (const s of seps) {
      lines.push(`-A ${ctx.svcChain} -m comment --comment ${quote(`${ctx.name} -> ${s.addr}`)} -m recent --name ${s.chain} --rcheck --seconds ${ctx.affinitySeconds} --reap -j ${s.chain}`);
    }
  }
  seps.forEach((s, i) => {
    const left = seps.length - i;
    const pick = left > 1 ? ` -m statistic --mode random --probability ${probability(left)}` : '';
    lines.push(`-A ${ctx.svcChain} -m comment --comment ${quote(`${ctx.name} -> ${s.addr}`)}${pick} -j ${s.chain}`);
    natChains.push(s.chain);
    const comment = `-m comment --comment ${ctx.comment}`;
    const recent = ctx.affinitySeconds !== undefined ? ` -m recent --name ${s.chain} --set` : '';
    sepLines.push(
      // Hairpin: a pod reaching itself through the VIP must see the reply come from the VIP.
      `-A ${s.chain} -s ${s.e.ip}/32 ${comment} -j ${chains.markMasq}`,
      `-A ${s.chain} -p ${ctx.proto} ${comment}${recent} -m ${ctx.proto} -j DNAT --to-destination ${s.addr}`,
    );
  });
  return [...lines, ...sepLines];
}

function key(svc: Service): string {
  return `${svc.metadata?.namespace ?? ''}/${svc.metadata?.name ?? ''}`;
}

export interface ExistingChains {
  filter: readonly string[];
  nat: readonly string[];
}

/**
 * The `iptables-restore --noflush` input: every chain of ours declared (which flushes it), its
 * rules, and chains of ours that exist but are no longer wanted flushed and deleted.
 */
export function restoreText(rs: Ruleset, existing: ExistingChains = { filter: [], nat: [] }): string {
  const table = (name: string, want: string[], rules: string[], have: readonly string[]): string[] => {
    const wanted = new Set(want);
    const stale = [...new Set(have)].filter((c) => !wanted.has(c)).sort();
    return [
      `*${name}`,
      ...want.map((c) => `:${c} - [0:0]`),
      ...stale.map((c) => `:${c} - [0:0]`),
      ...rules,
      ...stale.map((c) => `-X ${c}`),
      'COMMIT',
    ];
  };
  return [...table('filter', rs.filterChains, rs.filterRules, existing.filter), ...table('nat', rs.natChains, rs.natRules, existing.nat), ''].join('\n');
}

/** Our chains in `iptables-save` output, per table. */
export function ownChains(save: string, prefix = 'SKIFF-'): ExistingChains {
  const out = { filter: [] as string[], nat: [] as string[] };
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line.slice(1).trim();
    else if (line.startsWith(`:${prefix}`) && (table === 'filter' || table === 'nat')) out[table].push(line.slice(1).split(' ')[0] ?? '');
  }
  return out;
}

/** Only the lines of `iptables-save` about our chains (declarations without counters, rules). */
export function ownLines(save: string, prefix = 'SKIFF-'): string[] {
  const out: string[] = [];
  let table = '';
  for (const line of save.split('\n')) {
    if (line.startsWith('*')) table = line;
    else if (line.startsWith(`:${prefix}`)) out.push(`${table} ${line.split(' ')[0] ?? ''}`);
    else if (line.startsWith(`-A ${prefix}`) || (line.startsWith('-A ') && line.includes(`-j ${prefix}`))) out.push(`${table} ${line}`);
  }
  return out;
}
