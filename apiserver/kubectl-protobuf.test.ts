// The real kubectl's Go client reading the apiserver's protobuf answers (its typed clients ask for
// protobuf first): what `create … -o json` prints from the protobuf answer equals `get -o json`
// (JSON), and describe — which lists ReplicaSets, Events, EndpointSlices, Pods and Leases through
// typed clients — shows what is stored. Against an in-process apiserver (no nodes needed).
import assert from 'node:assert/strict';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { localKubectl, type LocalKubectl } from '../testing/kubectl.js';
import { TestClient, type Obj } from './client.testkit.js';

/** JSON as Kubernetes compares: null members (Go's zero times) are absent. */
const withoutNulls = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x === null ? undefined : x)));

describe('kubectl reads protobuf answers', function () {
  this.timeout(90_000);
  let api: TestApiServer;
  let c: TestClient;
  let k: LocalKubectl;

  /** kubectl that must succeed; its stdout. */
  const kubectl = async (...args: string[]): Promise<string> => {
    const r = await k.run(...args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
    return r.stdout;
  };
  const post = async (path: string, body: Obj): Promise<Obj> => {
    const r = await c.post(path, body);
    assert.equal(r.status, 201, r.text);
    return r.body;
  };

  before(async () => {
    api = await startTestApiServer();
    c = new TestClient(api.url);
    k = localKubectl(api.url, 'skiff-kubectl-pb-');
  });
  after(async () => {
    await api?.close();
    k?.close();
  });

  const generators: [string, string[], string[]][] = [
    ['namespace', ['create', 'namespace', 'pb-ns'], ['namespace', 'pb-ns']],
    ['configmap', ['create', 'configmap', 'cm', '--from-literal=a=1', '--from-literal=b='], ['configmap', 'cm']],
    ['secret', ['create', 'secret', 'generic', 'sec', '--from-literal=password=s3cr3t'], ['secret', 'sec']],
    ['deployment', ['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2', '--port=80'], ['deployment', 'web']],
    ['service', ['create', 'service', 'nodeport', 'np', '--tcp=80:8080'], ['service', 'np']],
    ['expose', ['expose', 'deployment', 'web', '--port=80', '--target-port=80'], ['service', 'web']],
    ['pod (run)', ['run', 'box', '--image=busybox', '--labels=app=box', '--env=MODE=fast', '--', 'sleep', '3600'], ['pod', 'box']],
    ['priorityclass with value 0', ['create', 'priorityclass', 'zero', '--value=0', '--description=nothing special'], ['priorityclass', 'zero']],
    ['poddisruptionbudget', ['create', 'poddisruptionbudget', 'web', '--selector=app=web', '--min-available=50%'], ['poddisruptionbudget', 'web']],
    ['job', ['create', 'job', 'x', '--image=busybox'], ['job', 'x']],
    ['cronjob', ['create', 'cronjob', 'x', '--image=busybox', '--schedule=*/5 * * * *'], ['cronjob', 'x']],
    ['job from a cronjob', ['create', 'job', 'y', '--from=cronjob/x'], ['job', 'y']],
    ['role', ['create', 'role', 'r', '--verb=get', '--resource=pods'], ['role', 'r']],
    ['rolebinding', ['create', 'rolebinding', 'rb', '--role=r', '--user=u'], ['rolebinding', 'rb']],
    ['clusterrole', ['create', 'clusterrole', 'cr', '--aggregation-rule=team=web'], ['clusterrole', 'cr']],
    ['clusterrolebinding', ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--group=ops', '--serviceaccount=default:default'], ['clusterrolebinding', 'crb']],
  ];
  for (const [what, create, get] of generators) {
    it(`create ${what}: the protobuf answer, as kubectl prints it, is the stored object`, async () => {
      const dash = create.indexOf('--');
      const args = dash < 0 ? [...create, '-o', 'json'] : [...create.slice(0, dash), '-o', 'json', ...create.slice(dash)];
      const answered = JSON.parse(await kubectl(...args)) as Obj;
      const stored = JSON.parse(await kubectl('get', ...get, '-o', 'json')) as Obj;
      assert.deepEqual(withoutNulls(answered), withoutNulls(stored));
    });
  }

  it('auth can-i and whoami send their reviews in protobuf and read the protobuf answers', async () => {
    assert.equal((await kubectl('auth', 'can-i', 'list', 'pods')).trim(), 'yes');
    assert.equal((await kubectl('auth', 'can-i', 'get', '/healthz')).trim(), 'yes');
    assert.match(await kubectl('auth', 'can-i', '--list', '--namespace=default'), /\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    assert.match(await kubectl('auth', 'whoami', '-o', 'json'), /"kind": "SelfSubjectReview"/);
  });

  it('describe deployment, pod, service and node read ReplicaSets, Events, EndpointSlices, Pods and Leases', async () => {
    await post('/apis/apps/v1/namespaces/default/replicasets', {
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'web-5d4f8', labels: { app: 'web', 'pod-template-hash': '5d4f8' }, annotations: { 'deployment.kubernetes.io/revision': '1' } },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8' } }, template: { metadata: { labels: { app: 'web', 'pod-template-hash': '5d4f8' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } },
    });
    const deploy = await kubectl('describe', 'deployment', 'web');
    assert.match(deploy, /Replicas:\s+2 desired/);
    assert.match(deploy, /Image:\s+nginx:1\.27/);

    const pod = (await c.get('/api/v1/namespaces/default/pods/box')).body;
    await post('/api/v1/namespaces/default/events', {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'box.1' },
      involvedObject: { kind: 'Pod', name: 'box', namespace: 'default', uid: pod.metadata.uid, apiVersion: 'v1' },
      reason: 'FailedScheduling', message: '0/0 nodes are available', type: 'Warning', count: 3,
      firstTimestamp: '2024-05-01T10:00:00Z', lastTimestamp: '2024-05-01T10:05:00Z', source: { component: 'default-scheduler' },
    });
    const describedPod = await kubectl('describe', 'pod', 'box');
    assert.match(describedPod, /Environment:\s+MODE:\s+fast/);
    assert.match(describedPod, /Warning\s+FailedScheduling\s+.*default-scheduler\s+0\/0 nodes are available/);

    await post('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: { name: 'np-abc', labels: { 'kubernetes.io/service-name': 'np' } },
      addressType: 'IPv4', endpoints: [{ addresses: ['10.244.0.5'], conditions: { ready: true } }], ports: [{ name: '80-8080', port: 8080, protocol: 'TCP' }],
    });
    const svc = await kubectl('describe', 'service', 'np');
    assert.match(svc, /Endpoints:\s+10\.244\.0\.5:8080/);
    assert.match(svc, /NodePort:\s+80-8080\s+\d+\/TCP/);

    await post('/api/v1/nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      spec: { podCIDR: '10.244.0.0/24', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    });
    await post('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1' }, spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-05-01T10:00:01.500000Z' },
    });
    const node = await kubectl('describe', 'node', 'node-1');
    assert.match(node, /Taints:\s+node-role\.kubernetes\.io\/control-plane:NoSchedule/);
    assert.match(node, /HolderIdentity:\s+node-1/);
    assert.match(node, /RenewTime:\s+Wed, 01 May 2024 10:00:01 \+0000/);
    assert.match(node, /PodCIDR:\s+10\.244\.0\.0\/24/);
  });
});
