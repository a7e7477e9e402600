// Every served kind survives JSON → protobuf → JSON unchanged (the documentation and cluster
// manifests of api/testdata, after the apiserver's decode and defaulting), and the protobuf
// quirks hold: presence of optional zeros, bytes as base64, times, int-or-string, the envelope.
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import * as docs from '../testdata/manifests.testkit.js';
import * as stored from '../testdata/manifests-status.testkit.js';
import * as workloadsRbac from '../testdata/manifests-workloads-rbac.testkit.js';
import { richPod } from '../testdata/rich-pod.testkit.js';
import { loadYaml, processObject } from '../testdata/helpers.testkit.js';
import { decodeObject, decodeWatchFrames, encodeObject, encodeWatchFrame, ProtobufError } from './index.js';

type Json = Record<string, unknown>;

/** JSON as the apiserver sends it: null members are absent. */
function withoutNulls<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x))) as T;
}

const roundTrip = (obj: Json): Json => decodeObject(encodeObject(obj));

const manifests: Record<string, string> = { ...docs, ...stored, ...workloadsRbac, richPod };

// Where Skiff's stored JSON is not what Kubernetes itself writes, protobuf (like Go) yields
// Kubernetes' form: defaulted `false` of omitempty booleans is omitted, quantities are strings.
const kubernetesForm: Record<string, (o: Json) => void> = {
  priorityClass: (o) => delete o.globalDefault,
  nodeWithStatus: (o) => delete (o.spec as Json).unschedulable,
  // A ServiceAccount subject's defaulted apiGroup "" is omitempty in Go.
  roleBinding: (o) => delete (o as { subjects: Json[] }).subjects[1]!.apiGroup,
  richPod: (o) => {
    const limits = (o as { spec: { containers: { resources: { limits: Json } }[] } }).spec.containers[0]!.resources.limits;
    limits.cpu = String(limits.cpu);
  },
};

/** Kinds with no manifest in api/testdata, as the apiserver writes them. */
const extra: Json[] = [
  { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'web', namespace: 'default', uid: 'u1', resourceVersion: '7', creationTimestamp: '2024-05-01T10:00:00Z' }, spec: { replicas: 2 }, status: { replicas: 3, selector: 'app=web' } },
  { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p', namespace: 'default' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } },
  { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Failure', message: 'pods "x" not found', reason: 'NotFound', details: { name: 'x', kind: 'pods', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec' }] }, code: 404 },
  { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, propagationPolicy: 'Background', preconditions: { uid: 'abc' } },
  { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 30 } },
  // Kinds being added: their clients' bodies must decode too.
  {
    apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }, { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }],
      behavior: { scaleDown: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] } },
    },
    status: { currentReplicas: 2, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '400m' } } }], conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'ReadyForNewScale' }] },
  },
  { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 } },
  // Answers of the review kinds (kubectl asks for them in protobuf), and what controllers write.
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', metadata: { creationTimestamp: '2024-05-01T10:00:00Z' }, spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } }, status: { allowed: false, reason: 'no RBAC policy matched' } },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', metadata: {}, spec: { namespace: 'default' }, status: { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }], incomplete: false } },
  { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', metadata: {}, status: { userInfo: { username: 'alice', uid: '42', groups: ['ops', 'system:authenticated'], extra: { scopes: ['a'] } } } },
  { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'agent-5d8f', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u1', controller: true, blockOwnerDeletion: true }] }, data: { spec: { template: { spec: { containers: [{ name: 'a', image: 'busybox' }] } } } }, revision: 1 },
  { apiVersion: 'batch/v1', kind: 'JobList', metadata: { resourceVersion: '9' }, items: [{ metadata: { name: 'pi', namespace: 'default' }, spec: { template: { spec: { containers: [{ name: 'pi', image: 'busybox' }] } } }, status: { active: 1, startTime: '2024-05-01T10:00:00Z', uncountedTerminatedPods: {}, ready: 0, conditions: [{ type: 'Complete', status: 'True', lastProbeTime: '2024-05-01T10:00:05Z', lastTransitionTime: '2024-05-01T10:00:05Z' }] } }] },
  { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e', namespace: 'default' }, eventTime: '2024-05-01T10:00:00.123456Z', reportingController: 'skiff/scheduler', reportingInstance: 'scheduler-1', action: 'Scheduling', reason: 'FailedScheduling', regarding: { kind: 'Pod', name: 'p', namespace: 'default' }, note: '0/1 nodes are available', type: 'Warning' },
];

describe('protobuf encoding', () => {
  describe('round trip of every kind (JSON → protobuf → JSON)', () => {
    for (const [name, text] of Object.entries(manifests)) {
      it(name, () => {
        for (const input of loadYaml(text)) {
          const res = processObject(input);
          assert.ok(res.value, res.decodeErrors.join('; '));
          const json = withoutNulls(res.value) as Json;
          const expected = structuredClone(json);
          kubernetesForm[name]?.(expected);
          assert.deepEqual(roundTrip(json), expected);
        }
      });
    }
    for (const obj of extra) {
      it(String(obj.kind), () => assert.deepEqual(roundTrip(obj), obj));
    }

    it('a list, its items without their own apiVersion and kind (as Kubernetes sends lists)', () => {
      const pods = Object.entries(manifests).flatMap(([name, text]) => loadYaml(text).filter((o) => o.kind === 'Pod').map((o) => [name, withoutNulls(processObject(o).value) as Json] as const));
      const list = { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: '42', continue: 'abc', remainingItemCount: 0 }, items: pods.map(([, p]) => p) };
      const expected = pods.map(([name, p]) => {
        const { apiVersion: _a, kind: _k, ...rest } = structuredClone(p);
        kubernetesForm[name]?.(rest as Json);
        return rest;
      });
      assert.deepEqual(roundTrip(list), { ...list, items: expected });
    });
  });

  it('keeps a zero where Kubernetes means it (replicas: 0) and drops the zeros Go writes for omitted fields', () => {
    const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', generation: 0 }, spec: { replicas: 0, minReadySeconds: 0, paused: false, template: { spec: { containers: [{ name: 'c', image: '' }] } } } };
    const back = roundTrip(d);
    assert.deepEqual(back, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 0, template: { spec: { containers: [{ name: 'c' }] } } } });
    const pc = roundTrip({ apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'zero' }, value: 0 });
    assert.equal(pc.value, 0);
    // Scale's replicas is a plain omitempty int32 in Go: zero arrives as absent, which means 0.
    const scale = roundTrip({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 's' }, spec: { replicas: 0 } });
    assert.deepEqual(scale.spec, {});
  });

  it('writes Secret data as raw bytes and reads it back as base64', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { password: Buffer.from('hunter2\u0000\u00ff').toString('base64') } };
    const bytes = encodeObject(secret);
    assert.ok(bytes.includes(Buffer.from('hunter2\u0000\u00ff')), 'the raw bytes are on the wire');
    assert.deepEqual(roundTrip(secret), secret);
  });

  it('carries times as seconds and nanoseconds: Time to the second, MicroTime to the microsecond', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', creationTimestamp: '2024-05-01T10:00:00+02:00' }, spec: { renewTime: '2024-05-01T08:00:01.123456Z', leaseDurationSeconds: 0 } };
    const back = roundTrip(lease) as { metadata: Json; spec: Json };
    assert.equal(back.metadata.creationTimestamp, '2024-05-01T08:00:00Z');
    assert.equal(back.spec.renewTime, '2024-05-01T08:00:01.123456Z');
    assert.equal(back.spec.leaseDurationSeconds, 0);
  });

  it('reads the envelope field by field: magic, typeMeta, raw', () => {
    const bytes = encodeObject({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });
    assert.deepEqual([...bytes.subarray(0, 4)], [0x6b, 0x38, 0x73, 0x00]);
    const r = protobuf.Reader.create(bytes.subarray(4));
    assert.equal(r.uint32(), (1 << 3) | 2); // typeMeta
    const tm = r.bytes();
    assert.deepEqual(Buffer.from(tm), Buffer.from([10, 2, ...Buffer.from('v1'), 18, 9, ...Buffer.from('Namespace')]));
    assert.equal(r.uint32(), (2 << 3) | 2); // raw: Namespace{metadata=1{name=1}}
    assert.deepEqual(Buffer.from(r.bytes()), Buffer.from([10, 5, 10, 3, ...Buffer.from('ns1')]));
  });

  it('frames watch events with a 4-byte length, and reads frames split anywhere', () => {
    const a = encodeWatchFrame('ADDED', encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }));
    const b = encodeWatchFrame('DELETED', encodeObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }));
    assert.equal(a.readUInt32BE(0), a.length - 4);
    const all = Buffer.concat([a, b]);
    const first = decodeWatchFrames(all.subarray(0, a.length + 3));
    assert.deepEqual(first.events.map((e) => [e.type, (e.object.metadata as Json).name]), [['ADDED', 'a']]);
    const second = decodeWatchFrames(Buffer.concat([first.rest, all.subarray(a.length + 3)]));
    assert.deepEqual(second.events.map((e) => [e.type, e.object]), [['DELETED', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }]]);
  });

  it('rejects what is not a Kubernetes protobuf object with a reason', () => {
    assert.throws(() => decodeObject(Buffer.from('{"kind":"Pod"}')), (e: unknown) => e instanceof ProtobufError && /expected prefix/.test(e.message));
    const unknownKind = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0]), Buffer.from([10, 11, 10, 2, ...Buffer.from('v1'), 18, 5, ...Buffer.from('Wheel')])]);
    assert.throws(() => decodeObject(unknownKind), /no kind "Wheel" is registered for version "v1"/);
    assert.throws(() => decodeObject(Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0]), Buffer.from([10, 200])])), ProtobufError);
  });
});
