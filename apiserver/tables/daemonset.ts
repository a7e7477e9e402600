// Printers for apps/v1 DaemonSet and ControllerRevision (pkg/printers/internalversion
// printDaemonSet, printControllerRevision).
import { age, ageColumn, col, containerCells, formatLabels, formatSelector, nameColumn, num, str, type Printer } from './columns.js';

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    col('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/"),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
    col('Selector', 'string', 'A label query over pods that are managed by the daemon set.', 1),
  ],
  row: (o, now) => {
    const s = o.status ?? {};
    const podSpec = o.spec?.template?.spec;
    return {
      cells: [
        str(o.metadata?.name), num(s.desiredNumberScheduled), num(s.currentNumberScheduled), num(s.numberReady), num(s.updatedNumberScheduled),
        num(s.numberAvailable), formatLabels(podSpec?.nodeSelector), age(o, now), ...containerCells(podSpec), formatSelector(o.spec?.selector) || '<none>',
      ],
    };
  },
};

/** `daemonset.apps/web`: the controller as kubectl names a resource with its kind. */
function controllerName(refs: unknown): string {
  const ref = Array.isArray(refs) ? (refs as Array<Record<string, unknown>>).find((r) => r.controller === true) : undefined;
  if (!ref) return '<none>';
  const apiVersion = str(ref.apiVersion);
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  const kind = str(ref.kind).toLowerCase();
  return `${group ? `${kind}.${group}` : kind}/${str(ref.name)}`;
}

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn,
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'integer', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn,
  ],
  row: (o, now) => ({ cells: [str(o.metadata?.name), controllerName(o.metadata?.ownerReferences), num(o.revision), age(o, now)] }),
};
