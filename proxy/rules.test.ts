import assert from 'node:assert/strict';
import type { EndpointSlice, Service } from '../api/index.js';
import { endpointChain, serviceChain } from './names.js';
import { buildRuleset, ownChains, ownLines, restoreText, type RuleInputs } from './rules.js';

function svc(name: string, spec: NonNullable<Service['spec']>, status?: Service['status']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default' }, spec: { clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, protocol: 'TCP' }], ...spec }, ...(status ? { status } : {}) };
}

function slice(service: string, eps: Array<[string, boolean?]>, portName = 'http', port = 8080): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', addressType: 'IPv4',
    metadata: { name: `${service}-abc`, namespace: 'default', labels: { 'kubernetes.io/service-name': service } },
    ports: [{ name: portName, port, protocol: 'TCP' }],
    endpoints: eps.map(([ip, ready]) => ({ addresses: [ip], conditions: { ready: ready ?? true } })),
  };
}

const webChain = serviceChain('default/web:http', 'tcp');
const sep = (ip: string): string => endpointChain('default/web:http', 'tcp', `${ip}:8080`);

interface Case {
  name: string;
  input: RuleInputs;
  nat?: string[];
  notNat?: RegExp[];
  filter?: string[];
  noFilter?: boolean;
}

const cases: Case[] = [
  {
    name: 'clusterIP spreads over ready endpoints with 1/n probabilities',
    input: { services: [svc('web', {})], slices: [slice('web', [['10.244.0.3'], ['10.244.0.2'], ['10.244.0.4', false]])], nodeIPs: [], clusterCIDR: '10.244.0.0/16' },
    nat: [
      `-A SKIFF-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP" -j ${webChain}`,
      `-A ${webChain} ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP" -j SKIFF-MARK-MASQ`,
      `-A ${webChain} -m comment --comment "default/web:http -> 10.244.0.2:8080" -m statistic --mode random --probability 0.5000000000 -j ${sep('10.244.0.2')}`,
      `-A ${webChain} -m comment --comment "default/web:http -> 10.244.0.3:8080" -j ${sep('10.244.0.3')}`,
      `-A ${sep('10.244.0.2')} -s 10.244.0.2/32 -m comment --comment "default/web:http" -j SKIFF-MARK-MASQ`,
      `-A ${sep('10.244.0.2')} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.2:8080`,
    ],
    notNat: [/10\.244\.0\.4/],
    noFilter: true,
  },
  {
    name: 'NodePort on each node address, masqueraded',
    input: { services: [svc('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })], slices: [slice('web', [['10.244.0.2']])], nodeIPs: ['172.30.0.2', '172.30.0.3'] },
    nat: [
      `-A SKIFF-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http" -j SKIFF-MARK-MASQ`,
      `-A SKIFF-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http" -j ${webChain}`,
      '-A SKIFF-SERVICES -d 172.30.0.2/32 -m comment --comment "skiff service nodeports" -j SKIFF-NODEPORTS',
      '-A SKIFF-SERVICES -d 172.30.0.3/32 -m comment --comment "skiff service nodeports" -j SKIFF-NODEPORTS',
    ],
  },
  {
    name: 'ClientIP affinity checks the recent list before picking',
    input: { services: [svc('web', { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } })], slices: [slice('web', [['10.244.0.2'], ['10.244.0.3']])], nodeIPs: [] },
    nat: [
      `-A ${webChain} -m comment --comment "default/web:http -> 10.244.0.2:8080" -m recent --name ${sep('10.244.0.2')} --rcheck --seconds 60 --reap -j ${sep('10.244.0.2')}`,
      `-A ${sep('10.244.0.3')} -p tcp -m comment --comment "default/web:http" -m recent --name ${sep('10.244.0.3')} --set -m tcp -j DNAT --to-destination 10.244.0.3:8080`,
    ],
  },
  {
    name: 'no ready endpoints: REJECT in filter for the VIP and every NodePort, no NAT chain',
    input: { services: [svc('web', { type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 30080 }] })], slices: [slice('web', [['10.244.0.2', false]])], nodeIPs: ['172.30.0.2'] },
    filter: [
      '-A SKIFF-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http cluster IP has no endpoints" -j REJECT --reject-with icmp-port-unreachable',
      '-A SKIFF-SERVICES -d 172.30.0.2/32 -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http node port has no endpoints" -j REJECT --reject-with icmp-port-unreachable',
    ],
    notNat: [/SKIFF-SVC-/, /SKIFF-NODEPORTS -p/],
  },
  {
    name: 'headless and ExternalName Services get nothing',
    input: {
      services: [svc('web', { clusterIP: 'None' }), svc('ext', { type: 'ExternalName', externalName: 'example.com', clusterIP: '' })],
      slices: [slice('web', [['10.244.0.2']])],
      nodeIPs: [],
    },
    notNat: [/SKIFF-SVC-/, /10\.244/],
    noFilter: true,
  },
  {
    name: 'LoadBalancer: NodePort plus its ingress IPs on the service port',
    input: {
      services: [svc('web', { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, nodePort: 30080 }] }, { loadBalancer: { ingress: [{ ip: '172.30.0.2' }] } })],
      slices: [slice('web', [['10.244.0.2']])],
      nodeIPs: ['172.30.0.2'],
    },
    nat: [
      `-A SKIFF-SERVICES -d 172.30.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http external IP" -j SKIFF-MARK-MASQ`,
      `-A SKIFF-SERVICES -d 172.30.0.2/32 -p tcp -m tcp --dport 80 -m comment --comment "default/web:http external IP" -j ${webChain}`,
      `-A SKIFF-NODEPORTS -p tcp -m tcp --dport 30080 -m comment --comment "default/web:http" -j ${webChain}`,
    ],
  },
  {
    name: 'terminating but serving endpoints are used only when none is ready',
    input: {
      services: [svc('web', {})],
      slices: [{ ...slice('web', []), endpoints: [{ addresses: ['10.244.0.7'], conditions: { ready: false, serving: true, terminating: true } }] }],
      nodeIPs: [],
    },
    nat: [`-A ${sep('10.244.0.7')} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination 10.244.0.7:8080`],
  },
];

describe('proxy ruleset', () => {
  for (const c of cases) {
    it(c.name, () => {
      const rs = buildRuleset(c.input);
      for (const line of c.nat ?? []) assert.ok(rs.natRules.includes(line), `missing nat rule:\n${line}\nin:\n${rs.natRules.join('\n')}`);
      for (const re of c.notNat ?? []) assert.ok(!rs.natRules.some((l) => re.test(l)), `unexpected nat rule matching ${re}:\n${rs.natRules.join('\n')}`);
      for (const line of c.filter ?? []) assert.ok(rs.filterRules.includes(line), `missing filter rule:\n${line}\nin:\n${rs.filterRules.join('\n')}`);
      if (c.noFilter) assert.deepEqual(rs.filterRules, []);
      // Every chain jumped to is declared.
      for (const l of rs.natRules) {
        const target = / -j (SKIFF-\S+)/.exec(l)?.[1];
        if (target) assert.ok(rs.natChains.includes(target), `${target} jumped to but not declared`);
      }
    });
  }

  it('is deterministic whatever the input order', () => {
    const a = buildRuleset({ services: [svc('web', {}), svc('api', { clusterIP: '10.96.0.11' })], slices: [slice('web', [['10.244.0.2'], ['10.244.0.3']])], nodeIPs: ['1.2.3.4'] });
    const b = buildRuleset({ services: [svc('api', { clusterIP: '10.96.0.11' }), svc('web', {})], slices: [slice('web', [['10.244.0.3'], ['10.244.0.2']])], nodeIPs: ['1.2.3.4'] });
    assert.equal(restoreText(a), restoreText(b));
  });

  it('deletes stale chains of ours and keeps the rest', () => {
    const rs = buildRuleset({ services: [], slices: [], nodeIPs: [] });
    const text = restoreText(rs, { filter: ['SKIFF-SERVICES'], nat: ['SKIFF-SVC-OLD', 'SKIFF-SERVICES'] });
    assert.match(text, /^:SKIFF-SVC-OLD - \[0:0\]$/m);
    assert.match(text, /^-X SKIFF-SVC-OLD$/m);
    assert.doesNotMatch(text, /-X SKIFF-SERVICES/);
    assert.match(text, /^\*filter\n:SKIFF-SERVICES - \[0:0\]\nCOMMIT\n\*nat\n/);
  });

  it('reads our chains and rules out of iptables-save', () => {
    const save = ['*nat', ':PREROUTING ACCEPT [0:0]', ':SKIFF-SERVICES - [3:180]', '-A PREROUTING -j SKIFF-SERVICES', '-A PREROUTING -j OTHER', 'COMMIT', '*filter', ':SKIFF-SERVICES - [0:0]', 'COMMIT'].join('\n');
    assert.deepEqual(ownChains(save), { nat: ['SKIFF-SERVICES'], filter: ['SKIFF-SERVICES'] });
    assert.deepEqual(ownLines(save), ['*nat :SKIFF-SERVICES', '*nat -A PREROUTING -j SKIFF-SERVICES', '*filter :SKIFF-SERVICES']);
  });
});
