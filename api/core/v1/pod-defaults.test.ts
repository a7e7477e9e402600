import assert from 'node:assert/strict';
import { defaultImagePullPolicy } from './pod-defaults.js';
import { processObject } from '../../testdata/helpers.testkit.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Pod defaults', () => {
  it('picks the image pull policy from the tag', () => {
    assert.equal(defaultImagePullPolicy('nginx'), 'Always');
    assert.equal(defaultImagePullPolicy('nginx:latest'), 'Always');
    assert.equal(defaultImagePullPolicy('nginx:1.25'), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy('localhost:5000/nginx'), 'Always');
    assert.equal(defaultImagePullPolicy('localhost:5000/nginx:1.0'), 'IfNotPresent');
    assert.equal(defaultImagePullPolicy('nginx@sha256:abc'), 'IfNotPresent');
  });

  it('fills pod, container, probe and volume defaults', () => {
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
      spec: {
        containers: [{
          name: 'c', image: 'busybox', ports: [{ containerPort: 8080 }],
          livenessProbe: { httpGet: { port: 8080 } },
          resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
        }],
        volumes: [{ name: 'cfg', configMap: { name: 'cm' } }, { name: 'scratch' }],
      },
    };
    const v = processObject(pod).value as Obj;
    const spec = v.spec;
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.schedulerName, 'default-scheduler');
    assert.equal(spec.enableServiceLinks, true);
    assert.deepEqual(spec.securityContext, {});
    assert.equal(spec.priority, undefined);
    const c = spec.containers[0];
    assert.equal(c.imagePullPolicy, 'Always');
    assert.equal(c.terminationMessagePath, '/dev/termination-log');
    assert.equal(c.terminationMessagePolicy, 'File');
    assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    assert.deepEqual(c.livenessProbe, { httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
    assert.deepEqual(c.resources.requests, { cpu: '500m', memory: '1Gi' });
    assert.equal(c.env[0].valueFrom.fieldRef.apiVersion, 'v1');
    assert.deepEqual(spec.volumes, [{ name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } }, { name: 'scratch', emptyDir: {} }]);
  });

  it('copies containerPort to hostPort with hostNetwork and keeps serviceAccount in step', () => {
    const pod: Obj = {
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' },
      spec: { hostNetwork: true, serviceAccount: 'robot', containers: [{ name: 'c', image: 'x:1', ports: [{ containerPort: 9100 }] }] },
    };
    const res = processObject(pod);
    assert.deepEqual(res.errors, []);
    const spec = (res.value as Obj).spec;
    assert.equal(spec.containers[0].ports[0].hostPort, 9100);
    assert.equal(spec.serviceAccountName, 'robot');
  });
});
