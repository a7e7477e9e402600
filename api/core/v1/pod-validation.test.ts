import assert from 'node:assert/strict';
import { errorsMatch, processObject } from '../../testdata/helpers.testkit.js';
import type { KubeObject } from '../../resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function pod(): Obj {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80, name: 'http' }], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  };
}

interface Case { name: string; mutate: (p: Obj) => void; errors: string[] }

const cases: Case[] = [
  { name: 'valid pod', mutate: () => {}, errors: [] },
  { name: 'missing name', mutate: (p) => { delete p.metadata.name; }, errors: ['metadata.name: Required value: name or generateName is required'] },
  { name: 'generateName only', mutate: (p) => { delete p.metadata.name; p.metadata.generateName = 'web-'; }, errors: [] },
  { name: 'bad name', mutate: (p) => { p.metadata.name = 'Web_1'; }, errors: ['metadata.name: Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of'] },
  { name: 'namespace comes from the URL when missing', mutate: (p) => { delete p.metadata.namespace; }, errors: [] },
  { name: 'bad namespace', mutate: (p) => { p.metadata.namespace = 'Kube_System'; }, errors: ['metadata.namespace: Invalid value: "Kube_System": a lowercase RFC 1123 label'] },
  { name: 'bad label key', mutate: (p) => { p.metadata.labels = { 'a b': 'x' }; }, errors: ['metadata.labels: Invalid value: "a b": name part must consist of'] },
  { name: 'bad label value', mutate: (p) => { p.metadata.labels = { a: '-x' }; }, errors: ['metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of'] },
  { name: 'bad annotation key', mutate: (p) => { p.metadata.annotations = { '/x': 'y' }; }, errors: ['metadata.annotations: Invalid value: "/x": prefix part must be non-empty'] },
  { name: 'no containers', mutate: (p) => { p.spec.containers = []; }, errors: ['spec.containers: Required value'] },
  { name: 'missing image', mutate: (p) => { delete p.spec.containers[0].image; }, errors: ['spec.containers[0].image: Required value'] },
  { name: 'bad container name', mutate: (p) => { p.spec.containers[0].name = 'Nginx'; }, errors: ['spec.containers[0].name: Invalid value: "Nginx": a lowercase RFC 1123 label'] },
  {
    name: 'duplicate container names across init and regular',
    mutate: (p) => { p.spec.initContainers = [{ name: 'nginx', image: 'busybox' }]; },
    errors: ['spec.initContainers[0].name: Duplicate value: "nginx"'],
  },
  { name: 'port out of range', mutate: (p) => { p.spec.containers[0].ports[0].containerPort = 70000; }, errors: ['spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'] },
  { name: 'port zero', mutate: (p) => { p.spec.containers[0].ports[0].containerPort = 0; }, errors: ['spec.containers[0].ports[0].containerPort: Required value'] },
  { name: 'bad protocol', mutate: (p) => { p.spec.containers[0].ports[0].protocol = 'tcp'; }, errors: ['spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"'] },
  { name: 'bad port name', mutate: (p) => { p.spec.containers[0].ports[0].name = 'HTTP'; }, errors: [
    'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)',
  ] },
  { name: 'mount of unknown volume', mutate: (p) => { p.spec.containers[0].volumeMounts[0].name = 'nope'; }, errors: ['spec.containers[0].volumeMounts[0].name: Not found: "nope"'] },
  {
    name: 'duplicate volume',
    mutate: (p) => { p.spec.volumes.push({ name: 'data', hostPath: { path: '/x' } }); },
    errors: ['spec.volumes[1].name: Duplicate value: "data"'],
  },
  {
    name: 'two volume sources',
    mutate: (p) => { p.spec.volumes[0].hostPath = { path: '/x' }; },
    errors: ['spec.volumes[0].emptyDir: Forbidden: may not specify more than 1 volume type'],
  },
  { name: 'bad restartPolicy', mutate: (p) => { p.spec.restartPolicy = 'Sometimes'; }, errors: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "Never", "OnFailure"'] },
  { name: 'bad dnsPolicy', mutate: (p) => { p.spec.dnsPolicy = 'Google'; }, errors: ['spec.dnsPolicy: Unsupported value: "Google"'] },
  { name: 'bad imagePullPolicy', mutate: (p) => { p.spec.containers[0].imagePullPolicy = 'Sometimes'; }, errors: ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes"'] },
  {
    name: 'probe without handler',
    mutate: (p) => { p.spec.containers[0].livenessProbe = { periodSeconds: 5 }; },
    errors: ['spec.containers[0].livenessProbe: Required value: must specify a handler type'],
  },
  {
    name: 'liveness successThreshold',
    mutate: (p) => { p.spec.containers[0].livenessProbe = { tcpSocket: { port: 80 }, successThreshold: 2 }; },
    errors: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'],
  },
  {
    name: 'env valueFrom with two sources',
    mutate: (p) => { p.spec.containers[0].env = [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' }, secretKeyRef: { name: 's', key: 'k' } } }]; },
    errors: ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time'],
  },
  {
    name: 'requests above limits',
    mutate: (p) => { p.spec.containers[0].resources = { limits: { cpu: '500m' }, requests: { cpu: '1' } }; },
    errors: ['spec.containers[0].resources.requests[cpu]: Invalid value: "1": must be less than or equal to cpu limit of 500m'],
  },
  {
    name: 'bad quantity',
    mutate: (p) => { p.spec.containers[0].resources = { limits: { memory: '12 GB' } }; },
    errors: ['spec.containers[0].resources.limits[memory]: Invalid value: "12 GB": quantities must match the regular expression'],
  },
  {
    name: 'toleration Exists with value',
    mutate: (p) => { p.spec.tolerations = [{ key: 'k', operator: 'Exists', value: 'v' }]; },
    errors: ['spec.tolerations[0].operator: Invalid value: "v": value must be empty when `operator` is \'Exists\''],
  },
  {
    name: 'node affinity In without values',
    mutate: (p) => { p.spec.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } }; },
    errors: ['spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value'],
  },
  {
    name: 'pod anti-affinity weight out of range',
    mutate: (p) => { p.spec.affinity = { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 101, podAffinityTerm: { topologyKey: 'zone' } }] } }; },
    errors: ['spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100'],
  },
  {
    name: 'topology spread maxSkew 0',
    mutate: (p) => { p.spec.topologySpreadConstraints = [{ maxSkew: 0, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' }]; },
    errors: ['spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero'],
  },
  { name: 'negative grace period', mutate: (p) => { p.spec.terminationGracePeriodSeconds = -1; }, errors: ['spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0'] },
  {
    name: 'sidecar init container may have probes',
    mutate: (p) => { p.spec.initContainers = [{ name: 'side', image: 'busybox', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] } } }]; },
    errors: [],
  },
  {
    name: 'regular container may not set restartPolicy',
    mutate: (p) => { p.spec.containers[0].restartPolicy = 'Always'; },
    errors: ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers'],
  },
];

describe('Pod validation', () => {
  for (const c of cases) {
    it(c.name, () => {
      const p = pod();
      c.mutate(p);
      const res = processObject(p);
      assert.ok(errorsMatch(res.errors, c.errors), `got ${JSON.stringify(res.errors, null, 1)}`);
    });
  }

  it('allows image changes on update but not other spec changes', () => {
    const old = processObject(pod()).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.spec.containers[0].image = 'nginx:1.26';
    assert.deepEqual(processObject(next, old).errors, []);
    const bad = structuredClone(old) as Obj;
    bad.spec.containers[0].ports[0].containerPort = 81;
    const errs = processObject(bad, old).errors;
    assert.equal(errs.length, 1);
    assert.ok(errs[0]?.startsWith('spec: Forbidden: pod updates may not change fields other than'));
  });

  it('allows lowering activeDeadlineSeconds but not changing the grace period', () => {
    const base = pod();
    base.spec.activeDeadlineSeconds = 100;
    const old = processObject(base).value as KubeObject;
    const lower = structuredClone(old) as Obj;
    lower.spec.activeDeadlineSeconds = 50;
    assert.deepEqual(processObject(lower, old).errors, []);
    const higher = structuredClone(old) as Obj;
    higher.spec.activeDeadlineSeconds = 500;
    assert.equal(processObject(higher, old).errors.length, 1);
    const grace = structuredClone(old) as Obj;
    grace.spec.terminationGracePeriodSeconds = 10;
    assert.equal(processObject(grace, old).errors.length, 1);
  });

  it('allows adding tolerations on update but not removing them', () => {
    const base = pod();
    base.spec.tolerations = [{ key: 'a', operator: 'Exists' }];
    const old = processObject(base).value as KubeObject;
    const added = structuredClone(old) as Obj;
    added.spec.tolerations.push({ key: 'b', operator: 'Exists', effect: 'NoSchedule' });
    assert.deepEqual(processObject(added, old).errors, []);
    const removed = structuredClone(old) as Obj;
    removed.spec.tolerations = [];
    assert.equal(processObject(removed, old).errors.length, 1);
  });

  it('refuses a name change on update', () => {
    const old = processObject(pod()).value as KubeObject;
    const renamed = structuredClone(old) as Obj;
    renamed.metadata.name = 'other';
    assert.ok(processObject(renamed, old).errors.includes('metadata.name: Invalid value: "other": field is immutable'));
  });
});
