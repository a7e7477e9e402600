import assert from 'node:assert/strict';
import { decodeObject, decodeWith } from './decode.js';
import { findByKind } from './registry.js';
import { BindingSchema } from './core/v1/binding.js';
import type { ResourceType } from './resource.js';

function rt(apiVersion: string, kind: string): ResourceType {
  const r = findByKind(apiVersion, kind);
  assert.ok(r);
  return r;
}

const deployment = rt('apps/v1', 'Deployment');
const pod = rt('v1', 'Pod');

function baseDeployment(): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
  };
}

describe('decodeObject', () => {
  it('returns the value and no problems for a valid object', () => {
    const res = decodeObject(deployment, baseDeployment());
    assert.deepEqual(res.errors, []);
    assert.deepEqual(res.unknownFields, []);
    assert.deepEqual(res.value, baseDeployment());
  });

  it('lists unknown fields as dotted paths, strips them and still returns the value', () => {
    const input = baseDeployment() as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } } & Record<string, unknown>;
    input.foo = 1;
    (input.spec as Record<string, unknown>).bar = { x: 1 };
    const c = input.spec.template.spec.containers[0];
    assert.ok(c);
    c.imagePullPolicyy = 'Always';
    (input.metadata as Record<string, unknown>).labelz = {};
    const res = decodeObject(deployment, input);
    assert.deepEqual(res.errors, []);
    // In the order they appear in the input.
    assert.deepEqual(res.unknownFields, ['metadata.labelz', 'spec.template.spec.containers[0].imagePullPolicyy', 'spec.bar', 'foo']);
    assert.deepEqual(res.value, baseDeployment());
  });

  it('finds unknown fields in nested lists and maps of structs', () => {
    const res = decodeObject(pod, {
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'a', image: 'i' }, { name: 'b', image: 'i', ports: [{ containerPort: 80, bogus: true }] }],
        volumes: [{ name: 'v', configMap: { name: 'cm', extra: 1 } }],
      },
    });
    assert.deepEqual(res.errors, []);
    assert.deepEqual([...res.unknownFields].sort(), ['spec.containers[1].ports[0].bogus', 'spec.volumes[0].configMap.extra']);
  });

  it('reports missing required fields as Required value with Kubernetes paths', () => {
    const input = baseDeployment() as { spec: Record<string, unknown> };
    delete input.spec.selector;
    (input.spec.template as { spec: { containers: unknown[] } }).spec.containers = [{ image: 'nginx' }];
    const res = decodeObject(deployment, input);
    assert.equal(res.value, undefined);
    assert.deepEqual(res.errors.map((e) => [e.field, e.reason, e.message]).sort(), [
      ['spec.selector', 'FieldValueRequired', 'Required value'],
      ['spec.template.spec.containers[0].name', 'FieldValueRequired', 'Required value'],
    ]);
  });

  it('reports type errors with the offending value', () => {
    const input = baseDeployment() as { spec: Record<string, unknown>; metadata: Record<string, unknown> };
    input.spec.replicas = 'three';
    input.metadata.labels = { app: 7 };
    input.spec.strategy = { rollingUpdate: { maxSurge: true } };
    const res = decodeObject(deployment, input);
    assert.deepEqual(res.errors.map((e) => `${e.field}: ${e.reason}: ${e.message}`).sort(), [
      'metadata.labels[app]: FieldValueTypeInvalid: Invalid value: 7: must be a string, not an integer',
      'spec.replicas: FieldValueTypeInvalid: Invalid value: "three": must be an integer, not a string',
      'spec.strategy.rollingUpdate.maxSurge: FieldValueTypeInvalid: Invalid value: true: must be a string or an integer, not a boolean',
    ]);
  });

  it('rejects a non-integer where Kubernetes has an int32', () => {
    const input = baseDeployment() as { spec: Record<string, unknown> };
    input.spec.replicas = 1.5;
    const res = decodeObject(deployment, input);
    assert.deepEqual(res.errors.map((e) => `${e.field}: ${e.message}`), ['spec.replicas: Invalid value: 1.5: must be an integer, not a number']);
  });

  it('prints map keys in brackets', () => {
    const res = decodeObject(rt('v1', 'Secret'), { metadata: { name: 's' }, data: { 'tls.crt': 5 } });
    assert.deepEqual(res.errors.map((e) => e.field), ['data[tls.crt]']);
    const cm = decodeObject(rt('v1', 'ConfigMap'), { metadata: { name: 'c' }, data: { a: 'b' }, binaryData: { 'x.y': [] } });
    assert.deepEqual(cm.errors.map((e) => e.field), ['binaryData[x.y]']);
  });

  it('treats null members as absent (kubectl sends creationTimestamp: null)', () => {
    const input = baseDeployment() as { metadata: Record<string, unknown>; spec: Record<string, unknown>; status?: unknown };
    input.metadata.creationTimestamp = null;
    input.spec.strategy = null;
    input.status = null;
    const res = decodeObject(deployment, input);
    assert.deepEqual(res.errors, []);
    assert.deepEqual(res.value, baseDeployment());
  });

  it('adds empty metadata when it is missing', () => {
    const res = decodeObject(rt('v1', 'ConfigMap'), { data: { a: 'b' } });
    assert.deepEqual(res.value, { metadata: {}, data: { a: 'b' } });
  });

  it('rejects a body that is not an object', () => {
    for (const body of [null, 'x', 3, []]) {
      const res = decodeObject(pod, body);
      assert.equal(res.value, undefined);
      assert.equal(res.errors.length, 1);
    }
  });

  it('checks times are RFC 3339', () => {
    const input = baseDeployment() as { metadata: Record<string, unknown> };
    input.metadata.creationTimestamp = 'yesterday';
    const res = decodeObject(deployment, input);
    assert.deepEqual(res.errors.map((e) => `${e.field}: ${e.message}`), ['metadata.creationTimestamp: Invalid value: "yesterday": must be an RFC 3339 date-time (e.g. "2006-01-02T15:04:05Z")']);
    for (const t of ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.123456Z', '2024-05-01T10:00:00+02:00', '2024-05-01T10:00:00.000Z']) {
      input.metadata.creationTimestamp = t;
      assert.deepEqual(decodeObject(deployment, input).errors, [], t);
    }
  });

  it('does not modify its input', () => {
    const input = baseDeployment();
    input.foo = 1;
    const copy = structuredClone(input);
    decodeObject(deployment, input);
    assert.deepEqual(input, copy);
  });

  it('decodes subresource bodies with decodeWith', () => {
    const res = decodeWith(BindingSchema, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' }, x: 1 });
    assert.deepEqual(res.errors, []);
    assert.deepEqual(res.unknownFields, ['x']);
    const missing = decodeWith(BindingSchema, { metadata: { name: 'p' } });
    assert.deepEqual(missing.errors.map((e) => `${e.field}: ${e.message}`), ['target: Required value']);
  });
});
