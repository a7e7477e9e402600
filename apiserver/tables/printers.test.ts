// Table-driven checks of each printer's cells against what Kubernetes' printers print.
import assert from 'node:assert/strict';
import { formatSelector, humanDuration, type Obj, type Printer } from './columns.js';
import { configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, secretPrinter, servicePrinter } from './core.js';
import {
  deploymentPrinter, endpointSlicePrinter, leasePrinter, pdbPrinter, priorityClassPrinter, replicaSetPrinter, replicationControllerPrinter,
  statefulSetPrinter,
} from './groups.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { controllerRevisionPrinter, daemonSetPrinter } from './daemonset.js';
import { podPrinter } from './pod.js';
import { printerFor, tableRequest, tableVersionOf, toTable } from './table.js';

const now = Date.parse('2025-01-10T12:00:00Z');
const ago = (s: number): string => new Date(now - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const meta = (name: string, extra: Obj = {}): Obj => ({ name, namespace: 'default', creationTimestamp: ago(300), ...extra });
const running = (name: string, ready = true, restartCount = 0, extra: Obj = {}): Obj => ({ name, ready, restartCount, state: { running: { startedAt: ago(200) } }, ...extra });

interface Case { name: string; printer: Printer; obj: Obj; cells: unknown[] }

const cases: Case[] = [
  {
    name: 'running pod, wide cells', printer: podPrinter,
    obj: { metadata: meta('web'), spec: { nodeName: 'n1', containers: [{ name: 'a' }, { name: 'b' }] }, status: { phase: 'Running', podIP: '10.0.0.5', podIPs: [{ ip: '10.0.0.5' }], containerStatuses: [running('a'), running('b', false)] } },
    cells: ['web', '1/2', 'Running', '0', '5m', '10.0.0.5', 'n1', '<none>', '<none>'],
  },
  {
    name: 'pod restarts with last termination', printer: podPrinter,
    obj: { metadata: meta('r'), spec: { containers: [{ name: 'a' }] }, status: { phase: 'Running', containerStatuses: [running('a', true, 2, { lastState: { terminated: { exitCode: 1, finishedAt: ago(312) } } })] } },
    cells: ['r', '1/1', 'Running', '2 (5m12s ago)', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'pending pod waiting for image', printer: podPrinter,
    obj: { metadata: meta('p'), spec: { containers: [{ name: 'a' }], readinessGates: [{ conditionType: 'x' }] }, status: { phase: 'Pending', conditions: [{ type: 'x', status: 'True' }], containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] } },
    cells: ['p', '0/1', 'ContainerCreating', '0', '5m', '<none>', '<none>', '<none>', '1/1'],
  },
  {
    name: 'terminating pod, init containers', printer: podPrinter,
    obj: { metadata: meta('t', { deletionTimestamp: ago(1) }), spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }] } },
    cells: ['t', '0/1', 'Terminating', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'init container crash loop', printer: podPrinter,
    obj: { metadata: meta('i'), spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }] }, status: { phase: 'Pending', initContainerStatuses: [{ name: 'i', ready: false, restartCount: 0, state: { waiting: { reason: 'CrashLoopBackOff' } } }] } },
    cells: ['i', '0/1', 'Init:CrashLoopBackOff', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'completed pod', printer: podPrinter,
    obj: { metadata: meta('c'), spec: { containers: [{ name: 'a' }] }, status: { phase: 'Succeeded', containerStatuses: [{ name: 'a', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } },
    cells: ['c', '0/1', 'Completed', '0', '5m', '<none>', '<none>', '<none>', '<none>'],
  },
  {
    name: 'deployment', printer: deploymentPrinter,
    obj: { metadata: meta('web'), spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'side', image: 'busybox' }] } } }, status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 } },
    cells: ['web', '2/3', 3, 2, '5m', 'nginx,side', 'nginx:1.27,busybox', 'app=web,tier in (a,b)'],
  },
  {
    name: 'replicaset', printer: replicaSetPrinter,
    obj: { metadata: meta('web-1'), spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'n', image: 'nginx' }] } } }, status: { replicas: 2 } },
    cells: ['web-1', 2, 2, 0, '5m', 'n', 'nginx', 'app=web'],
  },
  {
    name: 'daemonset, wide cells', printer: daemonSetPrinter,
    obj: { metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { role: 'edge', 'kubernetes.io/os': 'linux' }, containers: [{ name: 'a', image: 'agent:1' }] } } }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 1, numberAvailable: 2 } },
    cells: ['agent', 3, 3, 2, 1, 2, 'kubernetes.io/os=linux,role=edge', '5m', 'a', 'agent:1', 'app=agent'],
  },
  {
    name: 'replicationcontroller', printer: replicationControllerPrinter,
    obj: { metadata: meta('legacy'), spec: { replicas: 2, selector: { app: 'legacy' }, template: { spec: { containers: [{ name: 'n', image: 'nginx' }] } } }, status: { replicas: 2, readyReplicas: 1 } },
    cells: ['legacy', 2, 2, 1, '5m', 'n', 'nginx', 'app=legacy'],
  },
  {
    name: 'statefulset', printer: statefulSetPrinter,
    obj: { metadata: meta('web'), spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] } } }, status: { replicas: 3, readyReplicas: 2 } },
    cells: ['web', '2/3', '5m', 'nginx', 'nginx:1.27'],
  },
  {
    name: 'controllerrevision', printer: controllerRevisionPrinter,
    obj: { metadata: meta('agent-5d8f9c', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }] }), revision: 2 },
    cells: ['agent-5d8f9c', 'daemonset.apps/agent', 2, '5m'],
  },
  {
    name: 'running job, wide cells', printer: jobPrinter,
    obj: { metadata: meta('pi'), spec: { completions: 6, parallelism: 2, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } }, status: { succeeded: 2, startTime: ago(90) } },
    cells: ['pi', 'Running', '2/6', '90s', '5m', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1'],
  },
  {
    name: 'complete job: duration start to completion', printer: jobPrinter,
    obj: { metadata: meta('done'), spec: { completions: 1 }, status: { succeeded: 1, startTime: ago(250), completionTime: ago(10), conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }] } },
    cells: ['done', 'Complete', '1/1', '4m', '5m', '', '', '<none>'],
  },
  {
    name: 'work-queue job, failed', printer: jobPrinter,
    obj: { metadata: meta('q'), spec: { parallelism: 3 }, status: { conditions: [{ type: 'FailureTarget', status: 'True' }, { type: 'Failed', status: 'True' }] } },
    cells: ['q', 'Failed', '0/1 of 3', '', '5m', '', '', '<none>'],
  },
  {
    name: 'suspended job', printer: jobPrinter,
    obj: { metadata: meta('s'), spec: { completions: 2, parallelism: 1 }, status: { conditions: [{ type: 'Suspended', status: 'True' }] } },
    cells: ['s', 'Suspended', '0/2', '', '5m', '', '', '<none>'],
  },
  {
    name: 'cronjob', printer: cronJobPrinter,
    obj: { metadata: meta('tick'), spec: { schedule: '*/5 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } } } } }, status: { active: [{ name: 'tick-1' }], lastScheduleTime: ago(65) } },
    cells: ['tick', '*/5 * * * *', '<none>', 'False', 1, '65s', '5m', 'c', 'busybox', '<none>'],
  },
  {
    name: 'cronjob with a time zone, never run', printer: cronJobPrinter,
    obj: { metadata: meta('tz'), spec: { schedule: '@daily', timeZone: 'Europe/Paris', suspend: true, jobTemplate: { spec: {} } }, status: {} },
    cells: ['tz', '@daily', 'Europe/Paris', 'True', 0, '<none>', '5m', '', '', '<none>'],
  },
  {
    name: 'ClusterIP service', printer: servicePrinter,
    obj: { metadata: meta('web'), spec: { type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], selector: { b: '2', a: '1' }, ports: [{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] } },
    cells: ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP,53/UDP', '5m', 'a=1,b=2'],
  },
  {
    name: 'headless NodePort-less service', printer: servicePrinter,
    obj: { metadata: meta('h'), spec: { type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] } },
    cells: ['h', 'ClusterIP', 'None', '<none>', '<none>', '5m', '<none>'],
  },
  {
    name: 'NodePort and LoadBalancer service', printer: servicePrinter,
    obj: { metadata: meta('lb'), spec: { type: 'LoadBalancer', clusterIPs: ['10.96.0.11'], ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }] }, status: { loadBalancer: {} } },
    cells: ['lb', 'LoadBalancer', '10.96.0.11', '<pending>', '80:30080/TCP', '5m', '<none>'],
  },
  {
    name: 'endpoints with more than three', printer: endpointsPrinter,
    obj: { metadata: meta('web'), subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 80 }, { port: 443 }] }] },
    cells: ['web', '10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 1 more...', '5m'],
  },
  { name: 'empty endpoints', printer: endpointsPrinter, obj: { metadata: meta('e') }, cells: ['e', '<none>', '5m'] },
  {
    name: 'ready cordoned control-plane node', printer: nodePrinter,
    obj: { metadata: meta('n1', { labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'master' } }), spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }], addresses: [{ type: 'InternalIP', address: '192.168.1.2' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'skiff://0.1' } } },
    cells: ['n1', 'Ready,SchedulingDisabled', 'control-plane,master', '5m', 'v1.32.0', '192.168.1.2', '<none>', 'Debian', '6.1', 'skiff://0.1'],
  },
  {
    name: 'node without status', printer: nodePrinter, obj: { metadata: meta('n2'), status: { conditions: [] } },
    cells: ['n2', 'Unknown', '<none>', '5m', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>'],
  },
  { name: 'namespace', printer: namespacePrinter, obj: { metadata: meta('ns'), status: { phase: 'Active' } }, cells: ['ns', 'Active', '5m'] },
  { name: 'configmap', printer: configMapPrinter, obj: { metadata: meta('cm'), data: { a: '1', b: '2' }, binaryData: { c: '' } }, cells: ['cm', 3, '5m'] },
  { name: 'secret', printer: secretPrinter, obj: { metadata: meta('s'), type: 'Opaque', data: { a: 'MQ==' } }, cells: ['s', 'Opaque', 1, '5m'] },
  {
    name: 'event', printer: eventPrinter,
    obj: { metadata: meta('web.1'), involvedObject: { kind: 'Pod', name: 'web', fieldPath: 'spec.containers{a}' }, type: 'Normal', reason: 'Pulled', message: 'done \n', firstTimestamp: ago(7200), lastTimestamp: ago(30), count: 4, source: { component: 'kubelet', host: 'n1' } },
    cells: ['30s', 'Normal', 'Pulled', 'pod/web', 'spec.containers{a}', 'kubelet, n1', 'done', '120m', 4, 'web.1'],
  },
  { name: 'lease', printer: leasePrinter, obj: { metadata: meta('l'), spec: { holderIdentity: 'me' } }, cells: ['l', 'me', '5m'] },
  {
    name: 'priorityclass', printer: priorityClassPrinter, obj: { metadata: meta('high'), value: 1000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' },
    cells: ['high', 1000, false, '5m', 'PreemptLowerPriority'],
  },
  {
    name: 'endpointslice', printer: endpointSlicePrinter,
    obj: { metadata: meta('web-abc'), addressType: 'IPv4', ports: [{ port: 80 }, { name: 'x' }], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2', '10.0.0.3', '10.0.0.4'] }] },
    cells: ['web-abc', 'IPv4', '80,x', '10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...', '5m'],
  },
  { name: 'pdb', printer: pdbPrinter, obj: { metadata: meta('p'), spec: { minAvailable: '50%' }, status: { disruptionsAllowed: 1 } }, cells: ['p', '50%', 'N/A', 1, '5m'] },
];

describe('table printers', () => {
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(c.printer.row(c.obj, now).cells, c.cells);
      assert.equal(c.printer.columns.length, c.cells.length, 'one cell per column');
    });
  }

  it('ages like duration.HumanDuration', () => {
    const table: [number, string][] = [
      [-5, '<invalid>'], [-1.5, '0s'], [0, '0s'], [119, '119s'], [120, '2m'], [312, '5m12s'], [600, '10m'], [179 * 60, '179m'],
      [3 * 3600, '3h'], [3 * 3600 + 60 * 5, '3h5m'], [8 * 3600, '8h'], [47 * 3600, '47h'], [48 * 3600, '2d'], [50 * 3600, '2d2h'],
      [8 * 86400, '8d'], [730 * 86400, '2y'], [731 * 86400, '2y1d'], [9 * 365 * 86400, '9y'],
    ];
    for (const [s, want] of table) assert.equal(humanDuration(s * 1000), want, `${s}s`);
  });

  it('formats selectors like LabelSelectorAsSelector', () => {
    assert.equal(formatSelector({ matchExpressions: [{ key: 'z', operator: 'Exists' }, { key: 'a', operator: 'DoesNotExist' }, { key: 'm', operator: 'NotIn', values: ['x'] }] }), '!a,m notin (x),z');
    assert.equal(formatSelector({}), '');
  });

  it('negotiates the Table version from Accept', () => {
    const kubectl = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    assert.equal(tableVersionOf(kubectl), 'meta.k8s.io/v1');
    assert.equal(tableVersionOf('application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json'), 'meta.k8s.io/v1beta1');
    assert.equal(tableVersionOf('application/json'), undefined);
    assert.equal(tableVersionOf('application/json, application/json;as=Table;v=v1;g=meta.k8s.io'), undefined);
    assert.equal(tableVersionOf(undefined), undefined);
    assert.throws(() => tableRequest(kubectl, 'Everything'), /includeObject: Unsupported value/);
  });

  it('falls back to Name and Created At for kinds without a printer', () => {
    const rt = { group: 'example.com', kind: 'Widget' } as Parameters<typeof toTable>[0];
    const table = toTable(rt, [{ metadata: meta('w') }], { resourceVersion: '7' }, { apiVersion: 'meta.k8s.io/v1', includeObject: 'None' }, now);
    assert.deepEqual(table.columnDefinitions.map((c: Obj) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
    assert.deepEqual(table.rows, [{ cells: ['w', ago(300)] }]);
    assert.equal(printerFor({ group: '', kind: 'Pod' }), podPrinter);
  });
});
