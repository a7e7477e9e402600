// DaemonSet, StatefulSet and ControllerRevision defaulting and validation, as the apiserver runs them.
import assert from 'node:assert/strict';
import { processObject } from '../../testdata/helpers.testkit.js';
import type { KubeObject } from '../../resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const template = { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
const ds = (spec: Obj = {}): Obj => ({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } }, template, ...spec } });
const sts = (spec: Obj = {}): Obj => ({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'web', namespace: 'default' }, spec: { serviceName: 'web', selector: { matchLabels: { app: 'x' } }, template, ...spec } });

describe('apps/v1 DaemonSet and StatefulSet rules', () => {
  it('defaults a DaemonSet to RollingUpdate maxUnavailable 1, maxSurge 0, 10 revisions', () => {
    const r = processObject(ds());
    assert.deepEqual(r.errors, []);
    const spec = (r.value as Obj).spec;
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(spec.revisionHistoryLimit, 10);
  });

  it('defaults a StatefulSet to OrderedReady, RollingUpdate partition 0, Retain', () => {
    const r = processObject(sts());
    assert.deepEqual(r.errors, []);
    const spec = (r.value as Obj).spec;
    assert.equal(spec.replicas, 1);
    assert.equal(spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  });

  const invalid: Array<[string, Obj, string]> = [
    ['DaemonSet maxUnavailable 0 without surge', ds({ updateStrategy: { rollingUpdate: { maxUnavailable: 0 } } }), 'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'],
    ['DaemonSet unknown strategy', ds({ updateStrategy: { type: 'Recreate' } }), 'spec.updateStrategy.type: Unsupported value: "Recreate": supported values: "OnDelete", "RollingUpdate"'],
    ['DaemonSet restartPolicy Never', ds({ template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }), 'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
    ['StatefulSet unknown podManagementPolicy', sts({ podManagementPolicy: 'Random' }), 'spec.podManagementPolicy: Unsupported value: "Random": supported values: "OrderedReady", "Parallel"'],
    ['StatefulSet negative partition', sts({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: -1 } } }), 'spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater than or equal to 0'],
    ['StatefulSet volumeClaimTemplates', sts({ volumeClaimTemplates: [{ metadata: { name: 'data' } }] }), 'spec.volumeClaimTemplates: Forbidden: PersistentVolumeClaims are not supported by this cluster yet'],
  ];
  for (const [name, input, error] of invalid) {
    it(`rejects ${name}, naming the field`, () => assert.ok(processObject(input).errors.includes(error), JSON.stringify(processObject(input).errors)));
  }

  it('forbids StatefulSet updates outside replicas, template, updateStrategy and the like', () => {
    const old = processObject(sts()).value as KubeObject;
    const changed = structuredClone(old) as Obj;
    changed.spec.serviceName = 'other';
    assert.match(processObject(changed, old).errors.join('\n'), /^spec: Forbidden: updates to statefulset spec for fields other than 'replicas'/m);
    const scaled = structuredClone(old) as Obj;
    scaled.spec.replicas = 5;
    assert.deepEqual(processObject(scaled, old).errors, []);
  });

  it('keeps a ControllerRevision\'s data immutable', () => {
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'agent-1', namespace: 'default' }, data: { spec: { template: {} } }, revision: 1 };
    const old = processObject(cr).value as KubeObject;
    assert.deepEqual(processObject({ ...cr, revision: 3 }, old).errors, []);
    assert.match(processObject({ ...cr, data: { spec: {} } }, old).errors.join('\n'), /^data: Invalid value: .*field is immutable$/m);
  });
});
