// `skiff describe`: a readable page per object, with its Events (and for pending pods the
// scheduler's reason). Pods, Deployments, ReplicaSets, Services and Nodes have their own pages;
// other kinds print their fields as indented key/values.
import { Command } from 'commander';
import type { Deployment, EndpointSlice, Event, Node, Pod, ReplicaSet, Service } from '../../api/index.js';
import type { ResourceType } from '../../api/resource.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import type { KubeObject } from '../../client/index.js';
import {
  annotationLines, describeContainers, describeEvents, describeMeta, Describer, mapLines, templateInto, timestamp,
} from './describe-sections.js';
import { ageOf } from './format.js';
import { clientFor, parseTargets, type Target } from './resources.js';
import { action, CliError, errorLine, withClientFlags, type Session } from './session.js';

export function describeCommand(): Command {
  return withClientFlags(new Command('describe'))
    .description('show an object in detail, with its events')
    .argument('<type[/name]...>', 'TYPE [NAME...] or TYPE/NAME...')
    .option('-l, --selector <selector>', 'describe every object of TYPE matching this label selector')
    .action(action(async (s: Session, args: string[], flags: { selector?: string }) => {
      const targets = await expand(s, parseTargets(args), flags.selector);
      let ok = true;
      let first = true;
      for (const t of targets) {
        try {
          const obj = await clientFor(s.cs, t.rt).get(t.rt.namespaced ? s.namespace : undefined, t.name!);
          const page = await describeObject(s, t.rt, obj);
          process.stdout.write(`${first ? '' : '\n\n'}${page}`);
          first = false;
        } catch (err) {
          ok = false;
          process.stderr.write(`${errorLine(err)}\n`);
        }
      }
      if (!ok) process.exitCode = 1;
    }));
}

/** `describe pods` (no name) describes every pod, like kubectl. */
async function expand(s: Session, targets: Target[], selector: string | undefined): Promise<Target[]> {
  const out: Target[] = [];
  for (const t of targets) {
    if (t.name !== undefined) {
      out.push(t);
      continue;
    }
    const list = await clientFor(s.cs, t.rt).listAll(t.rt.namespaced ? s.namespace : undefined, selector ? { labelSelector: selector } : {});
    for (const o of list.items) out.push({ rt: t.rt, name: o.metadata?.name ?? '' });
  }
  if (out.length === 0) throw new CliError(`no resources found in ${s.namespace} namespace`);
  return out;
}

async function eventsFor(s: Session, obj: KubeObject): Promise<Event[]> {
  const m = obj.metadata ?? {};
  const sel = [`involvedObject.name=${m.name ?? ''}`];
  if (m.namespace) sel.push(`involvedObject.namespace=${m.namespace}`);
  if (m.uid) sel.push(`involvedObject.uid=${m.uid}`);
  // Events of cluster-scoped objects (nodes) are recorded in the default namespace.
  const list = await s.cs.events.listAll(m.namespace ?? undefined, { fieldSelector: sel.join(',') });
  return list.items;
}

async function describeObject(s: Session, rt: ResourceType, obj: KubeObject): Promise<string> {
  const w = new Describer();
  switch (`${rt.group}/${rt.kind}`) {
    case '/Pod': describePod(w, obj as Pod); break;
    case 'apps/Deployment': await describeDeployment(s, w, obj as Deployment); break;
    case 'apps/ReplicaSet': await describeReplicaSet(s, w, obj as ReplicaSet); break;
    case '/Service': await describeService(s, w, obj as Service); break;
    case '/Node': await describeNode(s, w, obj as Node); break;
    default: describeGeneric(w, rt, obj);
  }
  describeEvents(w, await eventsFor(s, obj));
  return w.toString();
}

function common(w: Describer, obj: KubeObject, namespaced: boolean): void {
  describeMeta(w, obj.metadata, namespaced);
  w.kv('Labels', mapLines(obj.metadata?.labels));
  w.kv('Annotations', annotationLines(obj.metadata?.annotations));
}

function controlledBy(w: Describer, obj: KubeObject): void {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  if (ref) w.kv('Controlled By', `${ref.kind}/${ref.name}`);
}

function describePod(w: Describer, pod: Pod): void {
  const spec = pod.spec;
  const st = pod.status ?? {};
  describeMeta(w, pod.metadata, true);
  w.kv('Priority', spec?.priority ?? 0);
  if (spec?.priorityClassName) w.kv('Priority Class Name', spec.priorityClassName);
  w.kv('Service Account', spec?.serviceAccountName ?? 'default');
  w.kv('Node', spec?.nodeName ? `${spec.nodeName}/${st.hostIP ?? ''}` : '<none>');
  if (st.startTime) w.kv('Start Time', timestamp(st.startTime));
  w.kv('Labels', mapLines(pod.metadata?.labels));
  w.kv('Annotations', annotationLines(pod.metadata?.annotations));
  w.kv('Status', pod.metadata?.deletionTimestamp ? 'Terminating' : (st.phase ?? 'Pending'));
  if (st.reason) w.kv('Reason', st.reason);
  if (st.message) w.kv('Message', st.message);
  w.kv('IP', st.podIP ?? '');
  w.kv('IPs', (st.podIPs ?? []).map((p) => `IP: ${p.ip}`));
  controlledBy(w, pod);
  if (st.nominatedNodeName) w.kv('NominatedNodeName', st.nominatedNodeName);
  describeContainers(w, 'Init Containers', spec?.initContainers, 0);
  describeContainers(w, 'Containers', spec?.containers, 0);
  for (const cs of st.containerStatuses ?? []) {
    const state = cs.state?.running ? 'Running' : cs.state?.waiting ? `Waiting (${cs.state.waiting.reason ?? ''})` : cs.state?.terminated ? `Terminated (${cs.state.terminated.reason ?? ''})` : 'Unknown';
    w.kv(`${cs.name}`, `${state}, Ready: ${cs.ready}, Restart Count: ${cs.restartCount}`, 1);
  }
  const conds = st.conditions ?? [];
  const withReason = conds.some((c) => c.status !== 'True' && (c.reason || c.message));
  w.table('Conditions:', [withReason ? ['Type', 'Status', 'Reason', 'Message'] : ['Type', 'Status']],
    conds.map((c) => (withReason ? [c.type, c.status, c.reason ?? '', c.message ?? ''] : [c.type, c.status])));
  w.kv('Volumes', (spec?.volumes ?? []).map((v) => v.name));
  w.kv('QoS Class', st.qosClass ?? '<none>');
  w.kv('Node-Selectors', mapLines(spec?.nodeSelector));
  w.kv('Tolerations', (spec?.tolerations ?? []).map((t) => {
    const base = t.key ? `${t.key}${t.operator === 'Exists' ? '' : `=${t.value ?? ''}`}` : '';
    return `${base}${t.effect ? `:${t.effect}` : ''}${t.operator === 'Exists' && !t.key ? ' op=Exists' : ''}${t.tolerationSeconds !== undefined ? ` for ${t.tolerationSeconds}s` : ''}`;
  }));
}

async function describeDeployment(s: Session, w: Describer, d: Deployment): Promise<void> {
  const st = d.status ?? {};
  describeMeta(w, d.metadata, true);
  w.kv('CreationTimestamp', timestamp(d.metadata?.creationTimestamp));
  w.kv('Labels', mapLines(d.metadata?.labels));
  w.kv('Annotations', annotationLines(d.metadata?.annotations));
  w.kv('Selector', selectorFromLabelSelector(d.spec?.selector).toString());
  w.kv('Replicas', `${d.spec?.replicas ?? 1} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable`);
  const strategy = d.spec?.strategy?.type ?? 'RollingUpdate';
  w.kv('StrategyType', strategy);
  w.kv('MinReadySeconds', d.spec?.minReadySeconds ?? 0);
  if (strategy === 'RollingUpdate') {
    const ru = d.spec?.strategy?.rollingUpdate;
    w.kv('RollingUpdateStrategy', `${String(ru?.maxUnavailable ?? '25%')} max unavailable, ${String(ru?.maxSurge ?? '25%')} max surge`);
  }
  w.line('Pod Template:');
  templateInto(w, d.spec?.template, 1);
  const conds = st.conditions ?? [];
  w.table('Conditions:', [['Type', 'Status', 'Reason'], ['----', '------', '------']], conds.map((c) => [c.type, c.status, c.reason ?? '']));
  const owned = (await s.cs.replicaSets.listAll(s.namespace, { labelSelector: selectorFromLabelSelector(d.spec?.selector).toString() })).items
    .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller && r.uid === d.metadata?.uid))
    .sort((a, b) => Number(a.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) - Number(b.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0));
  const rsLine = (rs: ReplicaSet): string => `${rs.metadata?.name ?? ''} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 1} replicas created)`;
  const newest = owned[owned.length - 1];
  const old = owned.slice(0, -1).filter((rs) => (rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0);
  w.kv('OldReplicaSets', old.length ? old.map(rsLine).join(', ') : '<none>');
  w.kv('NewReplicaSet', newest ? rsLine(newest) : '<none>');
}

async function describeReplicaSet(s: Session, w: Describer, rs: ReplicaSet): Promise<void> {
  describeMeta(w, rs.metadata, true);
  w.kv('Selector', selectorFromLabelSelector(rs.spec?.selector).toString());
  w.kv('Labels', mapLines(rs.metadata?.labels));
  w.kv('Annotations', annotationLines(rs.metadata?.annotations));
  controlledBy(w, rs);
  w.kv('Replicas', `${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 1} desired`);
  const pods = (await s.cs.pods.listAll(s.namespace, { labelSelector: selectorFromLabelSelector(rs.spec?.selector).toString() })).items
    .filter((p) => p.metadata?.ownerReferences?.some((r) => r.controller && r.uid === rs.metadata?.uid));
  const count = (phase: string): number => pods.filter((p) => (p.status?.phase ?? 'Pending') === phase).length;
  w.kv('Pods Status', `${count('Running')} Running / ${count('Pending')} Waiting / ${count('Succeeded')} Succeeded / ${count('Failed')} Failed`);
  w.line('Pod Template:');
  templateInto(w, rs.spec?.template, 1);
}

async function describeService(s: Session, w: Describer, svc: Service): Promise<void> {
  const spec = svc.spec ?? {};
  common(w, svc, true);
  w.kv('Selector', mapLines(spec.selector).join(','));
  w.kv('Type', spec.type ?? 'ClusterIP');
  if (spec.ipFamilyPolicy) w.kv('IP Family Policy', spec.ipFamilyPolicy);
  if (spec.ipFamilies) w.kv('IP Families', spec.ipFamilies.join(','));
  w.kv('IP', spec.clusterIP ?? '');
  if (spec.clusterIPs) w.kv('IPs', spec.clusterIPs.join(','));
  const slices = (await s.cs.endpointSlices.listAll(s.namespace, { labelSelector: `kubernetes.io/service-name=${svc.metadata?.name ?? ''}` })).items;
  for (const p of spec.ports ?? []) {
    w.kv('Port', `${p.name || '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}`);
    w.kv('TargetPort', `${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}`);
    if (p.nodePort) w.kv('NodePort', `${p.name || '<unset>'}  ${p.nodePort}/${p.protocol ?? 'TCP'}`);
    w.kv('Endpoints', endpointsFor(slices, p.name ?? ''));
  }
  w.kv('Session Affinity', spec.sessionAffinity ?? 'None');
}

/** Ready addresses of the slices' port named like the Service port, as `ip:port,…`. */
function endpointsFor(slices: EndpointSlice[], portName: string): string {
  const out: string[] = [];
  for (const sl of slices) {
    const port = sl.ports?.find((p) => (p.name ?? '') === portName)?.port;
    if (port === undefined) continue;
    for (const ep of sl.endpoints ?? []) if (ep.conditions?.ready !== false) for (const a of ep.addresses) out.push(`${a}:${port}`);
  }
  return out.length === 0 ? '<none>' : out.length > 3 ? `${out.slice(0, 3).join(',')} + ${out.length - 3} more...` : out.join(',');
}

async function describeNode(s: Session, w: Describer, node: Node): Promise<void> {
  const st = node.status ?? {};
  const roles = Object.keys(node.metadata?.labels ?? {}).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice(24));
  w.kv('Name', node.metadata?.name ?? '');
  w.kv('Roles', roles.length ? roles.join(',') : '<none>');
  w.kv('Labels', mapLines(node.metadata?.labels));
  w.kv('Annotations', annotationLines(node.metadata?.annotations));
  w.kv('CreationTimestamp', timestamp(node.metadata?.creationTimestamp));
  w.kv('Taints', (node.spec?.taints ?? []).map((t) => `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`));
  w.kv('Unschedulable', node.spec?.unschedulable ?? false);
  w.table('Conditions:', [['Type', 'Status', 'LastHeartbeatTime', 'Reason', 'Message'], ['----', '------', '-----------------', '------', '-------']],
    (st.conditions ?? []).map((c) => [c.type, c.status, timestamp(c.lastHeartbeatTime) ?? '', c.reason ?? '', c.message ?? '']));
  w.line('Addresses:');
  for (const a of st.addresses ?? []) w.kv(a.type, a.address, 1);
  for (const [title, list] of [['Capacity', st.capacity], ['Allocatable', st.allocatable]] as const) {
    w.line(`${title}:`);
    for (const [k, v] of Object.entries(list ?? {})) w.kv(k, String(v), 1);
  }
  const info = st.nodeInfo;
  if (info) {
    w.line('System Info:');
    w.kv('OS Image', info.osImage, 1).kv('Kernel Version', info.kernelVersion, 1).kv('Architecture', info.architecture, 1)
      .kv('Container Runtime Version', info.containerRuntimeVersion, 1).kv('Kubelet Version', info.kubeletVersion, 1);
  }
  if (node.spec?.podCIDR) w.kv('PodCIDR', node.spec.podCIDR);
  const pods = (await s.cs.pods.listAll(undefined, { fieldSelector: `spec.nodeName=${node.metadata?.name ?? ''},status.phase!=Succeeded,status.phase!=Failed` })).items;
  const req = (p: Pod, kind: 'requests' | 'limits', r: string): string =>
    (p.spec?.containers ?? []).map((c) => c.resources?.[kind]?.[r]).filter((v) => v !== undefined).map(String).join('+') || '0';
  w.table(`Non-terminated Pods:          (${pods.length} in total)`, [
    ['Namespace', 'Name', 'CPU Requests', 'CPU Limits', 'Memory Requests', 'Memory Limits', 'Age'],
    ['---------', '----', '------------', '----------', '---------------', '-------------', '---'],
  ], pods.map((p) => [p.metadata?.namespace ?? '', p.metadata?.name ?? '', req(p, 'requests', 'cpu'), req(p, 'limits', 'cpu'), req(p, 'requests', 'memory'), req(p, 'limits', 'memory'), ageOf(p.metadata?.creationTimestamp)]));
}

/** Any other kind: metadata, then every other top-level field as indented key/values. */
function describeGeneric(w: Describer, rt: ResourceType, obj: KubeObject): void {
  common(w, obj, rt.namespaced);
  const rest = Object.entries(obj as Record<string, unknown>).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k));
  for (const [k, v] of rest) fieldsInto(w, title(k), v, 0);
}

const title = (k: string): string => k.charAt(0).toUpperCase() + k.slice(1);

function fieldsInto(w: Describer, key: string, v: unknown, indent: number): void {
  if (v !== null && typeof v === 'object') {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    if (entries.length === 0) {
      w.kv(key, '<none>', indent);
      return;
    }
    w.line(`${key}:`, indent);
    for (const [k, x] of entries) fieldsInto(w, Array.isArray(v) ? `[${k}]` : title(k), x, indent + 1);
    return;
  }
  w.kv(key, v === undefined || v === null ? '<none>' : String(v as string | number | boolean), indent);
}
