import assert from 'node:assert/strict';
import { loadYaml, errorsMatch, processObject } from '../../testdata/helpers.testkit.js';
import { nginxDeployment } from '../../testdata/manifests.testkit.js';
import type { KubeObject } from '../../resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function deployment(): Obj {
  const [d] = loadYaml(nginxDeployment);
  assert.ok(d);
  return d;
}

function replicaSet(): Obj {
  const d = deployment();
  return { ...d, kind: 'ReplicaSet', metadata: { name: 'nginx-rs', namespace: 'default' } };
}

interface Case { name: string; mutate: (d: Obj) => void; errors: string[] }

const deploymentCases: Case[] = [
  { name: 'valid', mutate: () => {}, errors: [] },
  {
    name: 'selector does not match template labels',
    mutate: (d) => { d.spec.template.metadata.labels = { app: 'other' }; },
    errors: ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`'],
  },
  { name: 'missing selector', mutate: (d) => { delete d.spec.selector; }, errors: ['spec.selector: Required value'] },
  {
    name: 'empty selector',
    mutate: (d) => { d.spec.selector = {}; },
    errors: ['spec.selector: Invalid value: {}: empty selector is invalid for deployment'],
  },
  { name: 'negative replicas', mutate: (d) => { d.spec.replicas = -1; }, errors: ['spec.replicas: Invalid value: -1: must be greater than or equal to 0'] },
  { name: 'missing image', mutate: (d) => { delete d.spec.template.spec.containers[0].image; }, errors: ['spec.template.spec.containers[0].image: Required value'] },
  {
    name: 'template restartPolicy Never',
    mutate: (d) => { d.spec.template.spec.restartPolicy = 'Never'; },
    errors: ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
  },
  {
    name: 'rollingUpdate with Recreate',
    mutate: (d) => { d.spec.strategy = { type: 'Recreate', rollingUpdate: { maxSurge: 1 } }; },
    errors: ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
  },
  {
    name: 'maxSurge and maxUnavailable both 0',
    mutate: (d) => { d.spec.strategy = { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } }; },
    errors: ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
  },
  {
    name: 'bad percent',
    mutate: (d) => { d.spec.strategy = { rollingUpdate: { maxSurge: 'lots' } }; },
    errors: ['spec.strategy.rollingUpdate.maxSurge: Invalid value: "lots": a valid percent string must be'],
  },
  { name: 'bad strategy type', mutate: (d) => { d.spec.strategy = { type: 'BlueGreen' }; }, errors: ['spec.strategy.type: Unsupported value: "BlueGreen"'] },
  {
    name: 'progress deadline not above minReadySeconds',
    mutate: (d) => { d.spec.minReadySeconds = 700; },
    errors: ['spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds'],
  },
  {
    name: 'matchExpressions selector matching labels',
    mutate: (d) => { d.spec.selector = { matchExpressions: [{ key: 'app', operator: 'In', values: ['nginx', 'web'] }] }; },
    errors: [],
  },
];

describe('Deployment', () => {
  for (const c of deploymentCases) {
    it(`validation: ${c.name}`, () => {
      const d = deployment();
      c.mutate(d);
      const res = processObject(d);
      assert.ok(errorsMatch(res.errors, c.errors), `got ${JSON.stringify(res.errors, null, 1)}`);
    });
  }

  it('applies Kubernetes defaults', () => {
    const d = deployment();
    delete d.spec.replicas;
    const v = processObject(d).value as Obj;
    assert.equal(v.spec.replicas, 1);
    assert.deepEqual(v.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(v.spec.revisionHistoryLimit, 10);
    assert.equal(v.spec.progressDeadlineSeconds, 600);
    const spec = v.spec.template.spec;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.deepEqual(spec.securityContext, {});
    assert.deepEqual(spec.containers[0], {
      name: 'nginx', image: 'nginx:1.14.2', ports: [{ containerPort: 80, protocol: 'TCP' }],
      imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {},
    });
  });

  it('keeps Recreate without adding rollingUpdate', () => {
    const d = deployment();
    d.spec.strategy = { type: 'Recreate' };
    assert.deepEqual((processObject(d).value as Obj).spec.strategy, { type: 'Recreate' });
  });

  it('refuses a selector change on update', () => {
    const old = processObject(deployment()).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.spec.selector = { matchLabels: { app: 'nginx', tier: 'web' } };
    next.spec.template.metadata.labels.tier = 'web';
    const errs = processObject(next, old).errors;
    assert.deepEqual(errs, ['spec.selector: Invalid value: {"matchLabels":{"app":"nginx","tier":"web"}}: field is immutable']);
  });

  it('allows scaling and image changes on update', () => {
    const old = processObject(deployment()).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.spec.replicas = 10;
    next.spec.template.spec.containers[0].image = 'nginx:1.16.1';
    assert.deepEqual(processObject(next, old).errors, []);
  });
});

describe('ReplicaSet', () => {
  it('defaults replicas and the template', () => {
    const rs = replicaSet();
    delete rs.spec.replicas;
    const v = processObject(rs).value as Obj;
    assert.equal(v.spec.replicas, 1);
    assert.equal(v.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
    assert.equal(v.spec.strategy, undefined);
  });

  it('requires the selector to match the template', () => {
    const rs = replicaSet();
    rs.spec.selector = { matchLabels: { app: 'x' } };
    assert.ok(errorsMatch(processObject(rs).errors, ['spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`']));
  });

  it('rejects negative replicas and strategy', () => {
    const rs = replicaSet();
    rs.spec.replicas = -2;
    rs.spec.strategy = {};
    const res = processObject(rs);
    assert.deepEqual(res.unknownFields, ['spec.strategy']);
    assert.deepEqual(res.errors, ['spec.replicas: Invalid value: -2: must be greater than or equal to 0']);
  });

  it('refuses a selector change on update', () => {
    const old = processObject(replicaSet()).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.spec.selector.matchLabels = { app: 'nginx', x: 'y' };
    next.spec.template.metadata.labels.x = 'y';
    assert.ok(processObject(next, old).errors.some((e) => e.startsWith('spec.selector: Invalid value:') && e.endsWith('field is immutable')));
  });
});
