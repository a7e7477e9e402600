// Defaults a user sees in `kubectl get -o yaml` right after creating an object.
import assert from 'node:assert/strict';
import { deployment, pod, show, TestClient, uniqueName, useTestApiServer } from './client.testkit.js';

describe('apiserver defaults', function () {
  let c: TestClient;
  let ns: string;
  const fixture = useTestApiServer('defaults');
  before(() => ({ c, ns } = fixture));

  it('defaults a Deployment: replicas 1, RollingUpdate 25%/25%, revisionHistoryLimit 10, progressDeadlineSeconds 600', async function () {
    const name = uniqueName('dep');
    const r = await c.post(`/apis/apps/v1/namespaces/${ns}/deployments`, deployment(name));
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`)).body;
    assert.equal(got.spec.replicas, 1);
    assert.deepEqual(got.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
    assert.equal(got.spec.revisionHistoryLimit, 10);
    assert.equal(got.spec.progressDeadlineSeconds, 600);
    // The pod template is defaulted like a pod.
    assert.equal(got.spec.template.spec.restartPolicy, 'Always');
    assert.equal(got.spec.template.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  });

  it('defaults a Pod: restartPolicy, grace period, dnsPolicy, schedulerName, imagePullPolicy, terminationMessagePath', async function () {
    const name = uniqueName('pod');
    const body = pod(name);
    body.spec.containers.push({ name: 'latest', image: 'busybox' }, { name: 'tagged-latest', image: 'busybox:latest' });
    const r = await c.post(`/api/v1/namespaces/${ns}/pods`, body);
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/pods/${name}`)).body;
    assert.equal(got.spec.restartPolicy, 'Always');
    assert.equal(got.spec.terminationGracePeriodSeconds, 30);
    assert.equal(got.spec.dnsPolicy, 'ClusterFirst');
    assert.equal(got.spec.schedulerName, 'default-scheduler');
    const [tagged, untagged, latest] = got.spec.containers;
    assert.equal(tagged.imagePullPolicy, 'IfNotPresent');
    assert.equal(untagged.imagePullPolicy, 'Always');
    assert.equal(latest.imagePullPolicy, 'Always');
    assert.equal(tagged.terminationMessagePath, '/dev/termination-log');
    assert.equal(got.status?.phase, 'Pending');
  });

  it('defaults a Service: type ClusterIP, port protocol TCP, targetPort = port', async function () {
    const name = uniqueName('svc');
    const r = await c.post(`/api/v1/namespaces/${ns}/services`, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { selector: { app: 'web' }, ports: [{ port: 8080 }] },
    });
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/services/${name}`)).body;
    assert.equal(got.spec.type, 'ClusterIP');
    assert.equal(got.spec.ports[0].protocol, 'TCP');
    assert.equal(got.spec.ports[0].targetPort, 8080);
  });

  it('gives a new Namespace the kubernetes finalizer and phase Active', async function () {
    const name = uniqueName('ns');
    const r = await c.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${name}`)).body;
    assert.deepEqual(got.spec?.finalizers, ['kubernetes']);
    assert.equal(got.status?.phase, 'Active');
  });

  it('keeps every field of a rich Pod manifest through create and get', async function () {
    const name = uniqueName('rich');
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, labels: { app: 'rich' }, annotations: { 'example.com/note': 'kept' } },
      spec: {
        initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['sh', '-c', 'echo init'] }],
        containers: [
          {
            name: 'web',
            image: 'nginx:1.27',
            args: ['-g', 'daemon off;'],
            ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
            env: [
              { name: 'PLAIN', value: 'x' },
              { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k', optional: true } } },
              { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
            ],
            envFrom: [{ secretRef: { name: 'sec' } }],
            resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
            readinessProbe: { httpGet: { path: '/healthz', port: 80 }, initialDelaySeconds: 3, periodSeconds: 5 },
            livenessProbe: { tcpSocket: { port: 'http' }, failureThreshold: 4 },
            volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'cfg', mountPath: '/etc/cfg', readOnly: true }],
            securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
          },
        ],
        volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }, { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'k', path: 'k.conf' }] } }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        // With its own not-ready/unreachable tolerations, admission adds no defaults and the list stays as sent.
        tolerations: [
          { key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' },
          { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
          { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
        ],
        affinity: {
          podAntiAffinity: {
            preferredDuringSchedulingIgnoredDuringExecution: [
              { weight: 100, podAffinityTerm: { labelSelector: { matchLabels: { app: 'rich' } }, topologyKey: 'kubernetes.io/hostname' } },
            ],
          },
        },
        priorityClassName: 'system-node-critical',
        serviceAccountName: 'default',
        hostname: 'rich',
        subdomain: 'svc',
        securityContext: { fsGroup: 2000 },
      },
    };
    const r = await c.post(`/api/v1/namespaces/${ns}/pods?fieldValidation=Strict`, manifest);
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/pods/${name}`)).body;
    assertContains(got, manifest, '');
  });

  it('folds Secret stringData into base64 data', async function () {
    const name = uniqueName('secret');
    const r = await c.post(`/api/v1/namespaces/${ns}/secrets`, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name },
      data: { user: Buffer.from('admin').toString('base64') },
      stringData: { password: 's3cret' },
    });
    assert.equal(r.status, 201, show(r));
    const got = (await c.get(`/api/v1/namespaces/${ns}/secrets/${name}`)).body;
    assert.equal(got.data.password, Buffer.from('s3cret').toString('base64'));
    assert.equal(got.data.user, Buffer.from('admin').toString('base64'));
    assert.equal(got.stringData, undefined, 'stringData is write-only');
    assert.equal(got.type, 'Opaque');
  });
});

/** Every field of `want` is in `got` with the same value (`got` may have more, e.g. defaults). */
function assertContains(got: unknown, want: unknown, path: string): void {
  if (Array.isArray(want)) {
    assert.ok(Array.isArray(got), `${path}: expected a list, got ${JSON.stringify(got)}`);
    assert.equal(got.length, want.length, `${path}: length`);
    want.forEach((w, i) => assertContains(got[i], w, `${path}[${i}]`));
  } else if (want && typeof want === 'object') {
    assert.ok(got && typeof got === 'object', `${path}: expected an object, got ${JSON.stringify(got)}`);
    for (const [k, v] of Object.entries(want)) assertContains((got as Record<string, unknown>)[k], v, path ? `${path}.${k}` : k);
  } else {
    assert.equal(got, want, `${path} lost or changed`);
  }
}
