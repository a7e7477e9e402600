import assert from 'node:assert/strict';
import { errorsMatch, loadYaml, processObject } from '../../testdata/helpers.testkit.js';
import { namedTargetPortService, nodePortService } from '../../testdata/manifests.testkit.js';
import type { KubeObject } from '../../resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function service(): Obj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } };
}

interface Case { name: string; mutate: (s: Obj) => void; errors: string[] }

const cases: Case[] = [
  { name: 'valid', mutate: () => {}, errors: [] },
  { name: 'name must be a DNS-1035 label', mutate: (s) => { s.metadata.name = '1web'; }, errors: ['metadata.name: Invalid value: "1web": a DNS-1035 label must consist of'] },
  { name: 'ports required', mutate: (s) => { s.spec.ports = []; }, errors: ['spec.ports: Required value'] },
  { name: 'headless needs no ports', mutate: (s) => { s.spec.ports = []; s.spec.clusterIP = 'None'; }, errors: [] },
  {
    name: 'ExternalName needs no ports but a name',
    mutate: (s) => { s.spec = { type: 'ExternalName' }; },
    errors: ['spec.externalName: Required value'],
  },
  { name: 'ExternalName service', mutate: (s) => { s.spec = { type: 'ExternalName', externalName: 'my.database.example.com' }; }, errors: [] },
  { name: 'bad type', mutate: (s) => { s.spec.type = 'Ingress'; }, errors: ['spec.type: Unsupported value: "Ingress": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'] },
  {
    name: 'port names required when several',
    mutate: (s) => { s.spec.ports = [{ name: 'http', port: 80 }, { port: 443 }]; },
    errors: ['spec.ports[1].name: Required value'],
  },
  {
    name: 'duplicate port names',
    mutate: (s) => { s.spec.ports = [{ name: 'http', port: 80 }, { name: 'http', port: 443 }]; },
    errors: ['spec.ports[1].name: Duplicate value: "http"'],
  },
  { name: 'port out of range', mutate: (s) => { s.spec.ports[0].port = 0; }, errors: [
    'spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive',
  ] },
  {
    name: 'nodePort on ClusterIP',
    mutate: (s) => { s.spec.ports[0].nodePort = 30080; },
    errors: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
  },
  {
    name: 'bad named targetPort',
    mutate: (s) => { s.spec.ports[0].targetPort = 'web_port'; },
    errors: ['spec.ports[0].targetPort: Invalid value: "web_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'],
  },
  { name: 'bad clusterIP', mutate: (s) => { s.spec.clusterIP = '10.0.0.300'; }, errors: ['spec.clusterIP: Invalid value: "10.0.0.300"', 'spec.clusterIPs[0]: Invalid value: "10.0.0.300"'] },
  {
    name: 'externalTrafficPolicy on ClusterIP',
    mutate: (s) => { s.spec.externalTrafficPolicy = 'Local'; },
    errors: ["spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set when `type` is 'NodePort' or 'LoadBalancer'"],
  },
  {
    name: 'session affinity timeout',
    mutate: (s) => { s.spec.sessionAffinity = 'ClientIP'; s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 100000 } }; },
    errors: ['spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 100000: must be greater than 0 and less than 86400'],
  },
  { name: 'bad selector label', mutate: (s) => { s.spec.selector = { app: 'a b' }; }, errors: ['spec.selector: Invalid value: "a b"'] },
];

describe('Service', () => {
  for (const c of cases) {
    it(`validation: ${c.name}`, () => {
      const s = service();
      c.mutate(s);
      const res = processObject(s);
      assert.ok(errorsMatch(res.errors, c.errors), `got ${JSON.stringify(res.errors, null, 1)}`);
    });
  }

  it('applies ClusterIP defaults', () => {
    const v = processObject(service()).value as Obj;
    assert.deepEqual(v.spec, {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
    });
  });

  it('keeps a named targetPort and defaults NodePort services', () => {
    const [named] = loadYaml(namedTargetPortService);
    const [np] = loadYaml(nodePortService);
    assert.ok(named && np);
    assert.equal((processObject(named).value as Obj).spec.ports[0].targetPort, 'http-web-svc');
    const v = processObject(np).value as Obj;
    assert.equal(v.spec.externalTrafficPolicy, 'Cluster');
    assert.deepEqual(v.spec.ports, [{ port: 80, targetPort: 80, nodePort: 30007, protocol: 'TCP' }]);
  });

  it('defaults ClientIP affinity timeout and LoadBalancer node ports', () => {
    const s = service();
    s.spec.type = 'LoadBalancer';
    s.spec.sessionAffinity = 'ClientIP';
    const v = processObject(s).value as Obj;
    assert.deepEqual(v.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    assert.equal(v.spec.allocateLoadBalancerNodePorts, true);
    assert.equal(v.spec.externalTrafficPolicy, 'Cluster');
  });

  it('keeps the allocated clusterIP and nodePorts when an update omits them', () => {
    const s = service();
    s.spec.type = 'NodePort';
    s.spec.clusterIP = '10.96.0.10';
    s.spec.ports[0].nodePort = 30001;
    const old = processObject(s).value as KubeObject;
    const next = service();
    next.spec.type = 'NodePort';
    const res = processObject(next, old);
    assert.deepEqual(res.errors, []);
    const v = res.value as Obj;
    assert.equal(v.spec.clusterIP, '10.96.0.10');
    assert.deepEqual(v.spec.clusterIPs, ['10.96.0.10']);
    assert.equal(v.spec.ports[0].nodePort, 30001);
  });

  it('refuses a clusterIP change on update', () => {
    const s = service();
    s.spec.clusterIP = '10.96.0.10';
    const old = processObject(s).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.spec.clusterIP = '10.96.0.11';
    next.spec.clusterIPs = ['10.96.0.11'];
    assert.deepEqual(processObject(next, old).errors, ['spec.clusterIPs[0]: Invalid value: "10.96.0.11": may not change once set']);
  });

  it('drops node ports and traffic policy kept from a NodePort service when switching to ClusterIP', () => {
    const s = service();
    s.spec.type = 'NodePort';
    s.spec.ports[0].nodePort = 30001;
    const old = processObject(s).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.spec.type = 'ClusterIP';
    const res = processObject(next, old);
    assert.deepEqual(res.errors, []);
    assert.equal((res.value as Obj).spec.ports[0].nodePort, undefined);
    assert.equal((res.value as Obj).spec.externalTrafficPolicy, undefined);
  });
});

describe('Endpoints', () => {
  it('defaults port protocol and validates addresses', () => {
    const ep: Obj = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'web', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }] }] };
    const res = processObject(ep);
    assert.deepEqual(res.errors, []);
    assert.equal((res.value as Obj).subsets[0].ports[0].protocol, 'TCP');
    ep.subsets[0].addresses[0].ip = 'nope';
    assert.deepEqual(processObject(ep).errors, ['subsets[0].addresses[0].ip: Invalid value: "nope": must be a valid IP address']);
  });
});
