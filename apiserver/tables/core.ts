// Printers for core/v1 kinds other than Pod, after Kubernetes' pkg/printers/internalversion.
import {
  age, ageColumn, arr, col, formatLabels, joinHostPort, listWithMore, nameColumn, num, since, str,
  type Obj, type Printer,
} from './columns.js';

const name = (o: Obj): string => str(o.metadata?.name);

function externalIP(svc: Obj): string {
  const spec: Obj = svc.spec ?? {};
  const external = arr(spec.externalIPs) as unknown as string[];
  switch (spec.type) {
    case 'ClusterIP':
    case 'NodePort':
      return external.length > 0 ? external.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = arr(svc.status?.loadBalancer?.ingress).map((i) => str(i.ip) || str(i.hostname)).filter((s) => s !== '');
      const all = [...lb, ...external];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return '<unknown>';
  }
}

function ports(svc: Obj): string {
  const pieces = arr(svc.spec?.ports).map((p) =>
    num(p.nodePort) > 0 ? `${num(p.port)}:${num(p.nodePort)}/${str(p.protocol)}` : `${num(p.port)}/${str(p.protocol)}`);
  return pieces.length > 0 ? pieces.join(',') : '<none>';
}

export const servicePrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    ageColumn,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  row: (o, now) => {
    const spec: Obj = o.spec ?? {};
    const clusterIP = str(arr(spec.clusterIPs)[0]) || str(spec.clusterIP) || '<none>';
    return { cells: [name(o), str(spec.type), clusterIP, externalIP(o), ports(o), age(o, now), formatLabels(spec.selector)] };
  },
};

/** formatEndpoints: ready addresses with each port, at most three, then `+ N more...`. */
export function formatEndpoints(ep: Obj): string {
  const subsets = arr(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  const max = 3;
  let more = false;
  let count = 0;
  for (const ss of subsets) {
    const addrs = arr(ss.addresses);
    const ps = arr(ss.ports);
    if (ps.length === 0) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(str(a.ip));
      }
      continue;
    }
    for (const p of ps) {
      count += addrs.length;
      for (const a of addrs) {
        if (list.length === max) { more = true; break; }
        list.push(joinHostPort(str(a.ip), num(p.port)));
      }
    }
  }
  return listWithMore(list, more, count, max, '<none>');
}

export const endpointsPrinter: Printer = {
  columns: [nameColumn, col('Endpoints', 'string', 'Endpoints of the service'), ageColumn],
  row: (o, now) => ({ cells: [name(o), formatEndpoints(o), age(o, now)] }),
};

function nodeRoles(node: Obj): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries((node.metadata?.labels ?? {}) as Record<string, string>)) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const role = k.slice('node-role.kubernetes.io/'.length);
      if (role) roles.add(role);
    } else if (k === 'kubernetes.io/role' && v !== '') roles.add(v);
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

function nodeAddress(node: Obj, type: string): string {
  return str(arr(node.status?.addresses).find((a) => a.type === type)?.address) || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    ageColumn,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
    col('External-IP', 'string', 'List of addresses reachable to the node. Queried from cloud provider, if available.', 1),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', 1),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', 1),
  ],
  row: (o, now) => {
    const statuses: string[] = [];
    const readyCond = arr(o.status?.conditions).find((c) => c.type === 'Ready');
    if (readyCond) statuses.push(readyCond.status === 'True' ? 'Ready' : 'NotReady');
    if (statuses.length === 0) statuses.push('Unknown');
    if (o.spec?.unschedulable === true) statuses.push('SchedulingDisabled');
    const info: Obj = o.status?.nodeInfo ?? {};
    return {
      cells: [
        name(o), statuses.join(','), nodeRoles(o), age(o, now), str(info.kubeletVersion),
        nodeAddress(o, 'InternalIP'), nodeAddress(o, 'ExternalIP'),
        str(info.osImage) || '<unknown>', str(info.kernelVersion) || '<unknown>', str(info.containerRuntimeVersion) || '<unknown>',
      ],
    };
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, col('Status', 'string', 'The status of the namespace'), ageColumn],
  row: (o, now) => ({ cells: [name(o), str(o.status?.phase), age(o, now)] }),
};

const count = (m: unknown): number => (m && typeof m === 'object' ? Object.keys(m).length : 0);

export const configMapPrinter: Printer = {
  columns: [nameColumn, col('Data', 'string', 'Data contains the configuration data.'), ageColumn],
  row: (o, now) => ({ cells: [name(o), count(o.data) + count(o.binaryData), age(o, now)] }),
};

export const secretPrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'),
    col('Data', 'string', 'Data contains the secret data.'),
    ageColumn,
  ],
  row: (o, now) => ({ cells: [name(o), str(o.type), count(o.data), age(o, now)] }),
};

function eventSource(o: Obj): string {
  const component = str(o.source?.component) || str(o.reportingComponent);
  const instance = str(o.source?.host) || str(o.reportingInstance);
  if (!component) return '<unknown>';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].', 1),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', 1),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', 1),
    col('Count', 'string', 'The number of times this event has occurred.', 1),
    { ...nameColumn, priority: 1 },
  ],
  row: (o, now) => {
    const first = str(o.firstTimestamp) ? since(o.firstTimestamp, now) : since(o.eventTime, now);
    let last = str(o.lastTimestamp) ? since(o.lastTimestamp, now) : first;
    let n = num(o.count);
    if (o.series && typeof o.series === 'object') {
      last = since(o.series.lastObservedTime, now);
      n = num(o.series.count);
    } else if (n === 0) n = 1;
    const inv: Obj = o.involvedObject ?? {};
    const kind = str(inv.kind).toLowerCase();
    const target = str(inv.name) ? `${kind}/${inv.name}` : kind;
    return {
      cells: [last, str(o.type), str(o.reason), target, str(inv.fieldPath), eventSource(o), str(o.message).trim(), first, n, name(o)],
    };
  },
};
