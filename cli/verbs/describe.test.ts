import assert from 'node:assert/strict';
import type { Event, Node, Pod } from '../../api/index.js';
import { deploymentYaml, pod, serviceYaml } from './fixtures.testkit.js';
import { useCli } from './cli.testkit.js';

const unschedulable = '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.';

describe('skiff describe', () => {
  const cli = useCli();

  it('a pending pod shows the PodScheduled condition and the scheduler\'s FailedScheduling event', async () => {
    const p = pod('big', { app: 'big' });
    p.spec!.containers[0]!.resources = { requests: { cpu: '64' } };
    const created = await cli.cs.pods.create('default', p);
    await cli.cs.pods.patchStatus('default', 'big', {
      status: { conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: unschedulable, lastTransitionTime: new Date().toISOString() }] },
    });
    const now = new Date().toISOString();
    // Another pod's event must not show up.
    await cli.cs.pods.create('default', pod('other'));
    for (const [name, target, count] of [['big.1', 'big', 3], ['other.1', 'other', 1]] as const) {
      await cli.cs.events.create('default', {
        metadata: { name, namespace: 'default' },
        involvedObject: { kind: 'Pod', namespace: 'default', name: target, apiVersion: 'v1', ...(target === 'big' ? { uid: created.metadata?.uid } : {}) },
        type: 'Warning', reason: 'FailedScheduling', message: target === 'big' ? unschedulable : 'not this one',
        source: { component: 'default-scheduler' }, firstTimestamp: now, lastTimestamp: now, count,
      } as Event);
    }
    const r = await cli.skiff(['describe', 'pod', 'big']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Name: {13}big\nNamespace: {8}default\n/);
    assert.match(r.stdout, /\nStatus: +Pending\n/);
    assert.match(r.stdout, /\n {4}Requests:\n {6}cpu: +64\n/);
    assert.match(r.stdout, /\nConditions:\n  Type +Status +Reason +Message\n  PodScheduled +False +Unschedulable +0\/1 nodes are available: 1 Insufficient cpu\./);
    assert.match(r.stdout, /\nEvents:\n  Type +Reason +Age +From +Message\n  ---- +------ +---- +---- +-------\n  Warning +FailedScheduling +\d+s \(x3 over \d+s\) +default-scheduler +0\/1 nodes are available: 1 Insufficient cpu\./);
    assert.doesNotMatch(r.stdout, /not this one/);
  });

  it('deployments, services, nodes and other kinds', async () => {
    assert.equal((await cli.skiff(['apply', '-f', cli.file('a.yaml', `${deploymentYaml({ env: { MODE: 'x' } })}---\n${serviceYaml()}`)])).code, 0);
    let r = await cli.skiff(['describe', 'deploy/web']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\nReplicas: +2 desired \| 0 updated \| 0 total \| 0 available \| 0 unavailable\n/);
    assert.match(r.stdout, /\nPod Template:\n  Labels: +app=web\n  Containers:\n    app:\n      Image: +busybox:1\.36\n/);
    assert.match(r.stdout, /\n {6}Environment: +MODE: x\n/);
    assert.match(r.stdout, /\nEvents: +<none>\n$/);
    assert.doesNotMatch(r.stdout, /last-applied/);

    r = await cli.skiff(['describe', 'svc', 'web']);
    assert.match(r.stdout, /\nSelector: +app=web\nType: +ClusterIP\n/);
    assert.match(r.stdout, /\nPort: +<unset>  80\/TCP\nTargetPort: +8080\/TCP\nEndpoints: +<none>\n/);

    await cli.cs.nodes.create(undefined, {
      metadata: { name: 'n1', labels: { 'node-role.kubernetes.io/worker': '' } },
      status: { capacity: { cpu: '2', memory: '4Gi', pods: '110' }, addresses: [{ type: 'InternalIP', address: '127.0.0.1' }] },
    } as Node);
    await cli.cs.pods.bind('default', 'other', 'n1');
    r = await cli.skiff(['describe', 'node', 'n1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Name: +n1\nRoles: +worker\n/);
    assert.match(r.stdout, /\nNon-terminated Pods: +\(1 in total\)\n  Namespace +Name +CPU Requests/);
    assert.match(r.stdout, /\n  default +other +0 /);

    await cli.cs.configMaps.create('default', { metadata: { name: 'cfg' }, data: { color: 'blue' } });
    r = await cli.skiff(['describe', 'cm', 'cfg']);
    assert.match(r.stdout, /^Name: +cfg\nNamespace: +default\nLabels: +<none>\nAnnotations: +<none>\nData:\n  Color: +blue\n/);
  });

  it('a missing object is one error line and exit 1', async () => {
    const r = await cli.skiff(['describe', 'pod', 'ghost']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "ghost" not found\n');
  });
});
