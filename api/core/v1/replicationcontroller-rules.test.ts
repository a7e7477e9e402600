import assert from 'node:assert/strict';
import { processObject } from '../../testdata/helpers.testkit.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const rc = (spec: Obj): Obj => ({ apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'legacy', namespace: 'default' }, spec });
const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

describe('v1 ReplicationController rules', () => {
  it('defaults the selector and labels from the template', () => {
    const r = processObject(rc({ template }));
    assert.deepEqual(r.errors, []);
    assert.deepEqual((r.value as Obj).spec.selector, { app: 'x' });
    assert.deepEqual((r.value as Obj).metadata.labels, { app: 'x' });
    assert.equal((r.value as Obj).spec.replicas, 1);
  });
  it('rejects a selector that misses the template, naming the field', () => {
    assert.ok(processObject(rc({ selector: { app: 'y' }, template })).errors.includes('spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`'));
    assert.ok(processObject(rc({ replicas: 1 })).errors.includes('spec.selector: Required value'));
  });
});
