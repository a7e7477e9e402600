// One object per process holding a connection pool and a typed client per resource.
import type {
  ConfigMap, ControllerRevision, CronJob, DaemonSet, Deployment, Job, EndpointSlice, Endpoints, Event, Lease, Namespace, Node, Pod,
  PodDisruptionBudget, PriorityClass, ReplicaSet, ReplicationController, Scale, Secret, Service, StatefulSet,
} from '../api/index.js';
import { resources } from '../api/registry.js';
import type { ClientConfig } from './config.js';
import type { KubeObject } from './objects.js';
import { ResourceClient } from './resource-client.js';
import { Transport } from './transport.js';

export class PodClient extends ResourceClient<Pod> {
  /** POST pods/binding: assigns the pod to a node (409 if it already has one). */
  bind(namespace: string, name: string, nodeName: string, uid?: string): Promise<unknown> {
    const body = { apiVersion: 'v1', kind: 'Binding', metadata: { name, namespace, ...(uid ? { uid } : {}) }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName } };
    return this.transport.request('POST', this.path(namespace, name, 'binding'), { body });
  }

  /** POST pods/eviction: a delete that PodDisruptionBudgets may refuse (429 TooManyRequests). */
  evict(namespace: string, name: string, deleteOptions?: Record<string, unknown>): Promise<unknown> {
    const body = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, ...(deleteOptions ? { deleteOptions } : {}) };
    return this.transport.request('POST', this.path(namespace, name, 'eviction'), { body });
  }

  /** Container logs as text (not following). */
  logs(namespace: string, name: string, query: Record<string, string | number | boolean | undefined> = {}): Promise<string> {
    return this.transport.request<string>('GET', this.path(namespace, name, 'log'), { query });
  }
}

export class ScalableClient<T extends KubeObject> extends ResourceClient<T> {
  getScale(namespace: string, name: string): Promise<Scale> {
    return this.transport.request<Scale>('GET', this.path(namespace, name, 'scale'));
  }

  scale(namespace: string, name: string, replicas: number): Promise<Scale> {
    return this.transport.request<Scale>('PATCH', this.path(namespace, name, 'scale'), {
      body: { spec: { replicas } },
      contentType: 'application/merge-patch+json',
    });
  }
}

export interface ClientsetOptions {
  userAgent?: string;
}

export class Clientset {
  readonly transport: Transport;
  readonly pods: PodClient;
  readonly nodes: ResourceClient<Node>;
  readonly namespaces: ResourceClient<Namespace>;
  readonly services: ResourceClient<Service>;
  readonly endpoints: ResourceClient<Endpoints>;
  readonly endpointSlices: ResourceClient<EndpointSlice>;
  readonly configMaps: ResourceClient<ConfigMap>;
  readonly secrets: ResourceClient<Secret>;
  readonly events: ResourceClient<Event>;
  readonly leases: ResourceClient<Lease>;
  readonly deployments: ScalableClient<Deployment>;
  readonly replicaSets: ScalableClient<ReplicaSet>;
  readonly priorityClasses: ResourceClient<PriorityClass>;
  readonly jobs: ResourceClient<Job>;
  readonly daemonSets: ResourceClient<DaemonSet>;
  readonly statefulSets: ScalableClient<StatefulSet>;
  readonly replicationControllers: ScalableClient<ReplicationController>;
  readonly controllerRevisions: ResourceClient<ControllerRevision>;
  readonly cronJobs: ResourceClient<CronJob>;
  readonly podDisruptionBudgets: ResourceClient<PodDisruptionBudget>;

  constructor(readonly config: ClientConfig, opts: ClientsetOptions = {}) {
    this.transport = new Transport(config, opts.userAgent ?? 'skiff');
    this.pods = new PodClient(this.transport, info('pods'));
    this.nodes = this.resource<Node>('nodes');
    this.namespaces = this.resource<Namespace>('namespaces');
    this.services = this.resource<Service>('services');
    this.endpoints = this.resource<Endpoints>('endpoints');
    this.endpointSlices = this.resource<EndpointSlice>('endpointslices');
    this.configMaps = this.resource<ConfigMap>('configmaps');
    this.secrets = this.resource<Secret>('secrets');
    this.events = this.resource<Event>('events');
    this.leases = this.resource<Lease>('leases');
    this.deployments = new ScalableClient<Deployment>(this.transport, info('deployments'));
    this.replicaSets = new ScalableClient<ReplicaSet>(this.transport, info('replicasets'));
    this.priorityClasses = this.resource<PriorityClass>('priorityclasses');
    this.jobs = this.resource<Job>('jobs');
    this.daemonSets = this.resource<DaemonSet>('daemonsets');
    this.statefulSets = new ScalableClient<StatefulSet>(this.transport, info('statefulsets'));
    this.replicationControllers = new ScalableClient<ReplicationController>(this.transport, info('replicationcontrollers'));
    this.controllerRevisions = this.resource<ControllerRevision>('controllerrevisions');
    this.cronJobs = this.resource<CronJob>('cronjobs');
    this.podDisruptionBudgets = this.resource<PodDisruptionBudget>('poddisruptionbudgets');
  }

  /** A client for any served resource by plural name (`deployments`, `leases`, …). */
  resource<T extends KubeObject>(plural: string): ResourceClient<T> {
    return new ResourceClient<T>(this.transport, info(plural));
  }

  close(): void {
    this.transport.close();
  }
}

function info(plural: string): { group: string; version: string; plural: string; namespaced: boolean; kind: string } {
  const rt = resources.find((r) => r.plural === plural);
  if (!rt) throw new Error(`unknown resource ${plural}`);
  return { group: rt.group, version: rt.version, plural: rt.plural, namespaced: rt.namespaced, kind: rt.kind };
}
