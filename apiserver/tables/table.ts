// `as=Table` responses: content negotiation (Accept: application/json;as=Table;v=v1;g=meta.k8s.io),
// conversion of objects and lists to meta.k8s.io Tables, and the per-event encoder of Table watches.
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { badRequest } from '../errors.js';
import { defaultPrinter, type Obj, type Printer } from './columns.js';
import {
  configMapPrinter, endpointsPrinter, eventPrinter, namespacePrinter, nodePrinter, secretPrinter, servicePrinter,
} from './core.js';
import {
  deploymentPrinter, endpointSlicePrinter, leasePrinter, pdbPrinter, priorityClassPrinter, replicaSetPrinter, replicationControllerPrinter,
  roleBindingPrinter, statefulSetPrinter,
} from './groups.js';
import { cronJobPrinter, jobPrinter } from './batch.js';
import { controllerRevisionPrinter, daemonSetPrinter } from './daemonset.js';
import { podPrinter } from './pod.js';

const printers: Record<string, Printer> = {
  '/Pod': podPrinter,
  '/Service': servicePrinter,
  '/Endpoints': endpointsPrinter,
  '/Node': nodePrinter,
  '/Namespace': namespacePrinter,
  '/ConfigMap': configMapPrinter,
  '/Secret': secretPrinter,
  '/Event': eventPrinter,
  '/ReplicationController': replicationControllerPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'apps/DaemonSet': daemonSetPrinter,
  'apps/StatefulSet': statefulSetPrinter,
  'apps/ControllerRevision': controllerRevisionPrinter,
  'batch/Job': jobPrinter,
  'batch/CronJob': cronJobPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'scheduling.k8s.io/PriorityClass': priorityClassPrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
  'policy/PodDisruptionBudget': pdbPrinter,
  'rbac.authorization.k8s.io/RoleBinding': roleBindingPrinter,
  'rbac.authorization.k8s.io/ClusterRoleBinding': roleBindingPrinter,
};

export function printerFor(rt: Pick<ResourceType, 'group' | 'kind'>): Printer {
  return printers[`${rt.group}/${rt.kind}`] ?? defaultPrinter;
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableRequest {
  /** meta.k8s.io/v1 or meta.k8s.io/v1beta1, whichever the client listed first. */
  apiVersion: string;
  includeObject: IncludeObject;
}

/** The Table version the Accept header asks for, if any (the first acceptable media range wins). */
export function tableVersionOf(accept: string | undefined): string | undefined {
  if (!accept) return undefined;
  for (const range of accept.split(',')) {
    const [type, ...paramParts] = range.split(';').map((s) => s.trim());
    const params = new Map(paramParts.map((p) => {
      const i = p.indexOf('=');
      return [p.slice(0, i).trim().toLowerCase(), p.slice(i + 1).trim().replace(/^"(.*)"$/, '$1')] as const;
    }));
    const mediaType = type?.toLowerCase();
    if (mediaType !== 'application/json' && mediaType !== '*/*' && mediaType !== 'application/*') continue;
    const as = params.get('as');
    if (as === undefined) return undefined; // plain JSON is acceptable first: no Table
    if (as === 'Table' && params.get('g') === 'meta.k8s.io' && (params.get('v') === 'v1' || params.get('v') === 'v1beta1')) {
      return `meta.k8s.io/${params.get('v')}`;
    }
  }
  return undefined;
}

/** The Table request of a GET, or undefined when the client wants plain objects. */
export function tableRequest(accept: string | undefined, includeObject: string | undefined): TableRequest | undefined {
  const apiVersion = tableVersionOf(accept);
  if (!apiVersion) return undefined;
  const inc = includeObject === undefined || includeObject === '' ? 'Metadata' : includeObject;
  if (inc !== 'None' && inc !== 'Metadata' && inc !== 'Object') {
    throw badRequest(`includeObject: Unsupported value: "${inc}": supported values: "Metadata", "None", "Object"`);
  }
  return { apiVersion, includeObject: inc };
}

function rowOf(printer: Printer, obj: KubeObject, req: TableRequest, now: number): Obj {
  const printed = printer.row(obj as Obj, now);
  const row: Obj = { cells: printed.cells };
  if (printed.conditions) row.conditions = printed.conditions;
  if (req.includeObject === 'Object') row.object = obj;
  else if (req.includeObject === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: req.apiVersion, metadata: obj.metadata };
  return row;
}

/** A Table of the given objects; `meta` is the list metadata (resourceVersion, continue, remainingItemCount). */
export function toTable(rt: ResourceType, items: KubeObject[], meta: Record<string, unknown>, req: TableRequest, now = Date.now()): Obj {
  const printer = printerFor(rt);
  return {
    kind: 'Table',
    apiVersion: req.apiVersion,
    metadata: meta,
    columnDefinitions: printer.columns,
    rows: items.map((o) => rowOf(printer, o, req, now)),
  };
}

/** A one-object Table (single GET, watch events): its metadata carries the object's resourceVersion. */
export function objectTable(rt: ResourceType, obj: KubeObject, req: TableRequest, now = Date.now()): Obj {
  const rv = obj.metadata?.resourceVersion;
  return toTable(rt, [obj], rv !== undefined ? { resourceVersion: rv } : {}, req, now);
}

/** The JSON of a Table watch event's object (column definitions on every event; kubectl prints headers once). */
export function tableEventEncoder(rt: ResourceType, req: TableRequest): (obj: KubeObject) => string {
  return (obj) => JSON.stringify(objectTable(rt, obj, req));
}
