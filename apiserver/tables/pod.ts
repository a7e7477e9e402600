// The Pod printer of Kubernetes' pkg/printers/internalversion (printPod), column for column.
import { age, ageColumn, arr, col, nameColumn, num, since, str, type Obj, type Printed, type Printer, type RowCondition } from './columns.js';

const successConditions: RowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
const failedConditions: RowCondition[] = [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];

function restartable(c: Obj | undefined): boolean {
  return c?.restartPolicy === 'Always';
}

function later(a: string, b: unknown): string {
  return typeof b === 'string' && b !== '' && (a === '' || Date.parse(b) > Date.parse(a)) ? b : a;
}

function conditionTrue(status: Obj, type: string): boolean {
  return arr(status.conditions).some((c) => c.type === type && c.status === 'True');
}

function printPod(pod: Obj, now: number): Printed {
  const spec: Obj = pod.spec ?? {};
  const status: Obj = pod.status ?? {};
  let restarts = 0;
  let sidecarRestarts = 0;
  let total = arr(spec.containers).length;
  let ready = 0;
  let lastRestart = '';
  let lastSidecarRestart = '';
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of arr(status.conditions)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }
  const out: Printed = { cells: [] };
  if (phase === 'Succeeded') out.conditions = successConditions;
  if (phase === 'Failed') out.conditions = failedConditions;

  const inits = new Map<string, Obj>();
  for (const c of arr(spec.initContainers)) {
    inits.set(str(c.name), c);
    if (restartable(c)) total++;
  }

  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    restarts += num(c.restartCount);
    const lastTerm: Obj | undefined = c.lastState?.terminated;
    if (lastTerm) lastRestart = later(lastRestart, lastTerm.finishedAt);
    const isSidecar = restartable(inits.get(str(c.name)));
    if (isSidecar) {
      sidecarRestarts += num(c.restartCount);
      if (lastTerm) lastSidecarRestart = later(lastSidecarRestart, lastTerm.finishedAt);
    }
    const term: Obj | undefined = c.state?.terminated;
    const waiting: Obj | undefined = c.state?.waiting;
    if (term && num(term.exitCode) === 0) continue;
    if (isSidecar && c.started === true) {
      if (c.ready === true) ready++;
      continue;
    }
    if (term) {
      reason = str(term.reason) ? `Init:${term.reason}` : num(term.signal) !== 0 ? `Init:Signal:${term.signal}` : `Init:ExitCode:${num(term.exitCode)}`;
    } else if (waiting && str(waiting.reason) && waiting.reason !== 'PodInitializing') {
      reason = `Init:${waiting.reason}`;
    } else {
      reason = `Init:${i}/${arr(spec.initContainers).length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(status, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = arr(status.containerStatuses);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += num(c.restartCount);
      const lastTerm: Obj | undefined = c.lastState?.terminated;
      if (lastTerm) lastRestart = later(lastRestart, lastTerm.finishedAt);
      const term: Obj | undefined = c.state?.terminated;
      const waiting: Obj | undefined = c.state?.waiting;
      if (waiting && str(waiting.reason)) reason = waiting.reason;
      else if (term && str(term.reason)) reason = term.reason;
      else if (term) reason = num(term.signal) !== 0 ? `Signal:${term.signal}` : `ExitCode:${num(term.exitCode)}`;
      else if (c.ready === true && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = arr(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
    }
  }

  const deleting = typeof pod.metadata?.deletionTimestamp === 'string';
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsCell = restarts !== 0 && lastRestart !== '' ? `${restarts} (${since(lastRestart, now)} ago)` : String(restarts);

  const podIP = str(arr(status.podIPs)[0]?.ip) || str(status.podIP) || '<none>';
  const gates = arr(spec.readinessGates);
  let gatesCell = '<none>';
  if (gates.length > 0) {
    const trueCount = gates.filter((g) => arr(status.conditions).find((c) => c.type === g.conditionType)?.status === 'True').length;
    gatesCell = `${trueCount}/${gates.length}`;
  }
  out.cells = [
    str(pod.metadata?.name), `${ready}/${total}`, reason, restartsCell, age(pod, now),
    podIP, str(spec.nodeName) || '<none>', str(status.nominatedNodeName) || '<none>', gatesCell,
  ];
  return out;
}

export const podPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    ageColumn,
    col('IP', 'string', 'IP address assigned to the pod', 1),
    col('Node', 'string', 'Name of the node assigned', 1),
    col('Nominated Node', 'string', 'Name of the node where the pod is nominated to run', 1),
    col('Readiness Gates', 'string', 'Pod readiness gates', 1),
  ],
  row: printPod,
};
