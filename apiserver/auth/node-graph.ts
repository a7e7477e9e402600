// Which Secrets, ConfigMaps, PVCs and ServiceAccounts each node's pods use, kept from the watch
// cache: the Node authorizer lets a kubelet read exactly these (as Kubernetes' node graph).
import type { KubeObject } from '../../api/resource.js';
import type { Store } from '../storage/store.js';
import type { WatchCache } from '../storage/watch-cache.js';

interface PodRefs {
  node: string;
  refs: string[];
}

type Named = { name?: string } | undefined;
interface PodLike {
  metadata: { namespace?: string };
  spec?: {
    nodeName?: string;
    serviceAccountName?: string;
    imagePullSecrets?: Named[];
    volumes?: Array<{
      secret?: { secretName?: string };
      configMap?: Named;
      persistentVolumeClaim?: { claimName?: string };
      projected?: { sources?: Array<{ secret?: Named; configMap?: Named }> };
    }>;
    containers?: ContainerLike[];
    initContainers?: ContainerLike[];
  };
}
interface ContainerLike {
  env?: Array<{ valueFrom?: { secretKeyRef?: Named; configMapKeyRef?: Named } }>;
  envFrom?: Array<{ secretRef?: Named; configMapRef?: Named }>;
}

/** `secrets/<ns>/<name>` and the like for everything a pod reads. */
export function podReferences(pod: KubeObject): string[] {
  const p = pod as unknown as PodLike;
  const ns = p.metadata.namespace ?? '';
  const out = new Set<string>();
  const add = (resource: string, name: string | undefined) => name && out.add(`${resource}/${ns}/${name}`);
  const spec = p.spec ?? {};
  add('serviceaccounts', spec.serviceAccountName || 'default');
  for (const s of spec.imagePullSecrets ?? []) add('secrets', s?.name);
  for (const v of spec.volumes ?? []) {
    add('secrets', v.secret?.secretName);
    add('configmaps', v.configMap?.name);
    add('persistentvolumeclaims', v.persistentVolumeClaim?.claimName);
    for (const src of v.projected?.sources ?? []) {
      add('secrets', src.secret?.name);
      add('configmaps', src.configMap?.name);
    }
  }
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add('secrets', e.valueFrom?.secretKeyRef?.name);
      add('configmaps', e.valueFrom?.configMapKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add('secrets', e.secretRef?.name);
      add('configmaps', e.configMapRef?.name);
    }
  }
  return [...out];
}

export class NodeGraph {
  private readonly pods = new Map<string, PodRefs>();
  /** node → reference → how many of its pods hold it */
  private readonly byNode = new Map<string, Map<string, number>>();

  constructor(
    private readonly store: Store,
    private readonly prefix: string,
  ) {}

  async start(cache: WatchCache, atRev?: number): Promise<void> {
    const { items, revision } = await this.store.list(this.prefix, atRev ? { revision: atRev } : {});
    for (const key of [...this.pods.keys()]) this.set(key, undefined);
    for (const pod of items) this.set(`${pod.metadata.namespace}/${pod.metadata.name}`, pod);
    const relist = () => void this.start(cache).catch(() => setTimeout(relist, 1000));
    cache.subscribe(this.prefix, revision, (ev) => this.set(ev.key.slice(this.prefix.length), ev.type === 'put' ? ev.object() : undefined), { onReset: relist });
  }

  private set(key: string, pod: KubeObject | undefined): void {
    const old = this.pods.get(key);
    if (old) this.count(old, -1);
    const node = (pod?.spec as { nodeName?: string } | undefined)?.nodeName;
    if (!pod || !node) {
      this.pods.delete(key);
      return;
    }
    const refs: PodRefs = { node, refs: podReferences(pod) };
    this.pods.set(key, refs);
    this.count(refs, 1);
  }

  private count(p: PodRefs, delta: number): void {
    let m = this.byNode.get(p.node);
    if (!m) this.byNode.set(p.node, (m = new Map()));
    for (const r of p.refs) {
      const n = (m.get(r) ?? 0) + delta;
      if (n > 0) m.set(r, n);
      else m.delete(r);
    }
    if (m.size === 0) this.byNode.delete(p.node);
  }

  /** Whether a pod bound to `node` uses this object. */
  related(node: string, resource: string, namespace: string, name: string): boolean {
    return (this.byNode.get(node)?.get(`${resource}/${namespace}/${name}`) ?? 0) > 0;
  }

  /** The node a pod is bound to, if any. */
  nodeOf(namespace: string, name: string): string | undefined {
    return this.pods.get(`${namespace}/${name}`)?.node;
  }
}
