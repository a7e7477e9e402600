// Defaulting and validation of the smaller kinds: Namespace, Node, Event, Lease, EndpointSlice, PriorityClass, PDB.
import assert from 'node:assert/strict';
import { errorsMatch, processObject } from './testdata/helpers.testkit.js';
import type { KubeObject } from './resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Namespace', () => {
  it('defaults finalizers, phase and the name label', () => {
    const v = processObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }).value as Obj;
    assert.deepEqual(v.spec, { finalizers: ['kubernetes'] });
    assert.deepEqual(v.status, { phase: 'Active' });
    assert.deepEqual(v.metadata.labels, { 'kubernetes.io/metadata.name': 'dev' });
  });

  it('requires a DNS-1123 label name and refuses renames', () => {
    const bad = processObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a.b' } });
    assert.ok(errorsMatch(bad.errors, ['metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label must consist of']));
    const old = processObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }).value as KubeObject;
    const renamed = structuredClone(old) as Obj;
    renamed.metadata.name = 'prod';
    assert.ok(processObject(renamed, old).errors.includes('metadata.name: Invalid value: "prod": field is immutable'));
  });

  it('forbids metadata.namespace on cluster-scoped kinds', () => {
    const res = processObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', namespace: 'x' } });
    assert.deepEqual(res.errors, ['metadata.namespace: Forbidden: not allowed on this type']);
  });
});

describe('Node', () => {
  it('defaults allocatable to capacity and validates taints', () => {
    const node: Obj = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1' }, status: { capacity: { cpu: '4', pods: '110' } } };
    const v = processObject(node).value as Obj;
    assert.deepEqual(v.status.allocatable, { cpu: '4', pods: '110' });
    node.spec = { taints: [{ key: 'k', effect: 'Sometimes' }] };
    assert.ok(errorsMatch(processObject(node).errors, ['spec.taints[0].effect: Unsupported value: "Sometimes"']));
  });
});

describe('Event', () => {
  it('requires the involved object namespace to match', () => {
    const ev: Obj = { apiVersion: 'v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'other' } };
    assert.deepEqual(processObject(ev).errors, ['involvedObject.namespace: Invalid value: "other": does not match event.namespace']);
    ev.involvedObject = { kind: 'Node', name: 'n1' };
    assert.deepEqual(processObject(ev).errors, []);
  });
});

describe('Lease', () => {
  it('rejects a non-positive duration', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0 } };
    assert.deepEqual(processObject(lease).errors, ['spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0']);
  });
});

describe('EndpointSlice', () => {
  const slice = (): Obj => ({
    apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 's', namespace: 'default' },
    addressType: 'IPv4', endpoints: [{ addresses: ['10.0.0.1'] }], ports: [{ port: 80 }],
  });
  it('defaults port protocol and name', () => {
    assert.deepEqual((processObject(slice()).value as Obj).ports, [{ port: 80, name: '', protocol: 'TCP' }]);
  });
  it('validates addresses by type and requires addressType', () => {
    const s = slice();
    s.endpoints[0].addresses = ['fe80::1'];
    assert.deepEqual(processObject(s).errors, ['endpoints[0].addresses[0]: Invalid value: "fe80::1": must be a valid IPv4 address']);
    delete s.addressType;
    assert.deepEqual(processObject(s).errors, ['addressType: Required value']);
  });
});

describe('PriorityClass', () => {
  const pc = (name: string, value: number): Obj => ({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value });
  it('defaults preemptionPolicy', () => {
    assert.equal((processObject(pc('high', 1000)).value as Obj).preemptionPolicy, 'PreemptLowerPriority');
  });
  it('reserves system- names and high values; value is immutable', () => {
    assert.deepEqual(processObject(pc('system-mine', 1)).errors, ['metadata.name: Invalid value: "system-mine": priority class names with \'system-\' prefix are reserved']);
    assert.deepEqual(processObject(pc('huge', 2_000_000_000)).errors, ['value: Forbidden: maximum allowed value of a user defined priority is 1000000000']);
    assert.deepEqual(processObject(pc('system-node-critical', 2_000_001_000)).errors, []);
    const old = processObject(pc('high', 1000)).value as KubeObject;
    assert.deepEqual(processObject({ ...(structuredClone(old) as Obj), value: 5 }, old).errors, ['value: Forbidden: may not be changed in an update.']);
  });
  it('requires value', () => {
    const res = processObject({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'x' } });
    assert.deepEqual(res.errors, ['value: Required value']);
  });
});

describe('PodDisruptionBudget', () => {
  const pdb = (spec: Obj): Obj => ({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'p', namespace: 'default' }, spec });
  it('accepts minAvailable or maxUnavailable, not both', () => {
    assert.deepEqual(processObject(pdb({ maxUnavailable: '50%', selector: { matchLabels: { a: 'b' } } })).errors, []);
    assert.ok(errorsMatch(processObject(pdb({ minAvailable: 1, maxUnavailable: 1 })).errors, ['spec: Invalid value:']));
  });
  it('bounds percentages', () => {
    assert.deepEqual(processObject(pdb({ minAvailable: '150%' })).errors, ['spec.minAvailable: Invalid value: "150%": must not be greater than 100%']);
  });
});
