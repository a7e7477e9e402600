// Printers for the non-core groups: apps (Deployment, ReplicaSet), coordination (Lease),
// scheduling (PriorityClass), discovery (EndpointSlice) and policy (PodDisruptionBudget).
import {
  age, ageColumn, arr, col, containerCells, formatLabels, formatSelector, listWithMore, nameColumn, num, str,
  type Obj, type Printer,
} from './columns.js';

const name = (o: Obj): string => str(o.metadata?.name);

const workloadWide = [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
];

function wideCells(o: Obj): string[] {
  const [containers, images] = containerCells(o.spec?.template?.spec);
  return [containers, images, formatSelector(o.spec?.selector)];
}

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn,
    ...workloadWide,
  ],
  row: (o, now) => {
    const status: Obj = o.status ?? {};
    return {
      cells: [
        name(o), `${num(status.readyReplicas)}/${num(o.spec?.replicas)}`, num(status.updatedReplicas), num(status.availableReplicas),
        age(o, now), ...wideCells(o),
      ],
    };
  },
};

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn,
    ...workloadWide,
  ],
  row: (o, now) => {
    const status: Obj = o.status ?? {};
    return { cells: [name(o), num(o.spec?.replicas), num(status.replicas), num(status.readyReplicas), age(o, now), ...wideCells(o)] };
  },
};

/** A ReplicationController prints as a ReplicaSet, its map selector as `k=v` pairs. */
export const replicationControllerPrinter: Printer = {
  columns: replicaSetPrinter.columns,
  row: (o, now) => {
    const cells = replicaSetPrinter.row(o, now).cells;
    return { cells: [...cells.slice(0, -1), formatLabels(o.spec?.selector)] };
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn,
    col('Containers', 'string', 'Names of each container in the template.', 1),
    col('Images', 'string', 'Images referenced by each container in the template.', 1),
  ],
  row: (o, now) => ({ cells: [name(o), `${num(o.status?.readyReplicas)}/${num(o.spec?.replicas)}`, age(o, now), ...containerCells(o.spec?.template?.spec)] }),
};

export const leasePrinter: Printer = {
  columns: [nameColumn, col('Holder', 'string', 'Name of the Lease Holder'), ageColumn],
  row: (o, now) => ({ cells: [name(o), str(o.spec?.holderIdentity), age(o, now)] }),
};

export const priorityClassPrinter: Printer = {
  columns: [
    nameColumn,
    col('Value', 'integer', 'The value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class.'),
    ageColumn,
    col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority.'),
  ],
  row: (o, now) => ({ cells: [name(o), num(o.value), o.globalDefault === true, age(o, now), str(o.preemptionPolicy) || '<unset>'] }),
};

export function formatSlicePorts(ports: unknown): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const p of arr(ports)) {
    if (list.length < 3) list.push(typeof p.port === 'number' ? String(p.port) : typeof p.name === 'string' ? p.name : '*');
    else more = true;
    count++;
  }
  return listWithMore(list, more, count, 3, '<unset>');
}

export function formatSliceEndpoints(endpoints: unknown): string {
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const ep of arr(endpoints)) {
    for (const a of arr(ep.addresses) as unknown as string[]) {
      if (list.length < 3) list.push(a);
      else more = true;
      count++;
    }
  }
  return listWithMore(list, more, count, 3, '<unset>');
}

export const endpointSlicePrinter: Printer = {
  columns: [
    nameColumn,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    ageColumn,
  ],
  row: (o, now) => ({ cells: [name(o), str(o.addressType), formatSlicePorts(o.ports), formatSliceEndpoints(o.endpoints), age(o, now)] }),
};

const intOrString = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : 'N/A');

export const pdbPrinter: Printer = {
  columns: [
    nameColumn,
    col('Min Available', 'string', 'The minimum number of pods that must be available simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable simultaneously.  This can be either an integer or a string specifying a percentage, e.g. "28%".'),
    col('Allowed Disruptions', 'integer', 'Number of pod disruptions that are currently allowed.'),
    ageColumn,
  ],
  row: (o, now) => ({ cells: [name(o), intOrString(o.spec?.minAvailable), intOrString(o.spec?.maxUnavailable), num(o.status?.disruptionsAllowed), age(o, now)] }),
};

/** RoleBinding and ClusterRoleBinding: the role and, wide, who is bound (as kubectl prints them). */
export const roleBindingPrinter: Printer = {
  columns: [
    nameColumn,
    col('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    ageColumn,
    col('Users', 'string', 'Users in the binding', 1),
    col('Groups', 'string', 'Groups in the binding', 1),
    col('ServiceAccounts', 'string', 'ServiceAccounts in the binding', 1),
  ],
  row: (o, now) => {
    const subjects = arr(o.subjects);
    const of = (kind: string, fmt: (s: Obj) => string) => subjects.filter((s) => s.kind === kind).map(fmt).join(', ');
    return {
      cells: [
        name(o), `${str(o.roleRef?.kind)}/${str(o.roleRef?.name)}`, age(o, now),
        of('User', (s) => str(s.name)), of('Group', (s) => str(s.name)), of('ServiceAccount', (s) => `${str(s.namespace)}:${str(s.name)}`),
      ],
    };
  },
};
