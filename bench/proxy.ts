// Proxy benchmark: time from an EndpointSlice write to the iptables rules carrying it (the
// proxy's network-programming latency), over many changes with many Services, in a throwaway
// network namespace. Baseline from the same run: one iptables-restore of the full ruleset.
import type { EndpointSlice } from '../api/index.js';
import { startApiServer } from '../apiserver/index.js';
import { Clientset, createLogger } from '../client/index.js';
import { canMakeNetns, makeNodeNet } from '../proxy/netns.testkit.js';
import { buildRuleset, HostCommands, Iptables, startProxy, type Ruleset } from '../proxy/index.js';
import { startTestEtcd } from '../testing/etcd.js';

export interface ProxyBenchOptions {
  services: number;
  changes: number;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const ipOf = (k: number): string => `10.245.${(k >> 8) & 255}.${k & 255}`;

function slice(name: string, ips: string[]): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: `${name}-1`, namespace: 'default', labels: { 'kubernetes.io/service-name': name } },
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
  };
}

export async function benchProxy(o: ProxyBenchOptions): Promise<void> {
  if (!canMakeNetns()) {
    console.log('proxy: skipped (needs root, ip netns and iptables)');
    return;
  }
  const etcd = await startTestEtcd();
  const api = await startApiServer({ etcdServers: [etcd.url], port: 0, etcdPrefix: '/bench-proxy/registry' });
  const net = await makeNodeNet(0);
  const cs = new Clientset({ server: api.url });
  let proxy: Awaited<ReturnType<typeof startProxy>> | undefined;
  try {
    let next = 1;
    for (let i = 0; i < o.services; i++) {
      await cs.services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: `s${i}`, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      await cs.endpointSlices.create('default', slice(`s${i}`, [ipOf(next++), ipOf(next++), ipOf(next++)]));
    }
    let waiting: { ip: string; resolve: (t: number) => void } | undefined;
    let last: Ruleset | undefined;
    proxy = await startProxy({
      clientset: cs, nodeName: 'bench', netns: net.node, mode: 'iptables', manageLoadBalancers: false, log: createLogger('proxy-bench', 'warn'),
      onProgrammed: (rs) => {
        last = rs;
        const w = waiting;
        if (w && rs.natRules.some((l) => l.includes(`--to-destination ${w.ip}:`))) {
          waiting = undefined;
          w.resolve(performance.now());
        }
      },
    });
    await proxy.synced();

    // Baseline: one restore of the whole ruleset, as the proxy writes it.
    const ipt = new Iptables(new HostCommands(net.node));
    const full = last ?? buildRuleset({ services: [], slices: [], nodeIPs: [] });
    const restores: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await ipt.restore(full, { filter: full.filterChains, nat: full.natChains });
      restores.push(performance.now() - t);
    }
    restores.sort((a, b) => a - b);

    const lat: number[] = [];
    for (let k = 0; k < o.changes; k++) {
      const name = `s${k % o.services}`;
      const current = await cs.endpointSlices.get('default', `${name}-1`);
      const ip = ipOf(next++);
      const ips = [...(current.endpoints ?? []).slice(1).map((e) => e.addresses[0] ?? ''), ip];
      const seen = new Promise<number>((resolve) => (waiting = { ip, resolve }));
      const t0 = performance.now();
      await cs.endpointSlices.update({ ...current, endpoints: slice(name, ips).endpoints ?? [] });
      lat.push((await seen) - t0);
    }
    lat.sort((a, b) => a - b);
    const saved = await ipt.save();
    if (!saved.includes(`--to-destination ${ipOf(next - 1)}:`)) throw new Error('the last change is not in iptables-save');
    const p50 = pct(lat, 50);
    const restore = pct(restores, 50);
    console.log(`proxy: ${o.services} services (${full.natRules.length} nat rules, ${full.natChains.length} chains), ${o.changes} EndpointSlice changes`);
    console.log(`  endpoint change → rules programmed: p50 ${p50.toFixed(1)} ms, p99 ${pct(lat, 99).toFixed(1)} ms, max ${(lat[lat.length - 1] ?? NaN).toFixed(1)} ms`);
    console.log(`  baseline: one iptables-restore of the full ruleset ${restore.toFixed(1)} ms; p50 ÷ baseline = ${(p50 / restore).toFixed(2)} (min sync interval 100 ms)`);
  } finally {
    await proxy?.stop();
    await net.destroy();
    await api.close();
    await etcd.stop();
  }
}
