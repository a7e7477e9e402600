// Shared by the controllers' tests: an in-process apiserver on the test etcd with chosen
// controllers running against it, condition polling with deadlines, and object builders for
// playing the kubelet (no kubelet runs in these tests).
import { Clientset, createLogger } from '../client/index.js';
import type { Lease, Node, Pod } from '../api/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import type { ControllerDef } from './context.js';
import { newContext, runControllers } from './manager.js';
import { waitFor } from '../testing/wait.js';

export interface Harness {
  server: TestApiServer;
  cs: Clientset;
  stop(): Promise<void>;
}

export async function startControllers(defs: ControllerDef[]): Promise<Harness> {
  const server = await startTestApiServer();
  const cs = new Clientset({ server: server.url });
  const ctx = newContext(new Clientset({ server: server.url }), createLogger('controller-manager'), 5_000);
  const abort = new AbortController();
  let synced!: () => void;
  const ready = new Promise<void>((r) => (synced = r));
  const running = runControllers(ctx, defs, abort.signal, synced);
  await ready;
  return {
    server,
    cs,
    async stop() {
      abort.abort();
      await running;
      ctx.factory.stop();
      ctx.clientset.close();
      cs.close();
      await server.close();
    },
  };
}

/** Polls `probe` until it returns a value (testing/wait.ts); fails with `what` and the last value after `ms`. */
export const eventually = <T>(what: string, probe: () => Promise<T | undefined | false | null>, ms = 15_000): Promise<T> => waitFor(what, probe, ms, 50);

export function podSpec(name: string, labels: Record<string, string>, extra: Partial<Pod['spec']> = {}): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...extra } as Pod['spec'],
  };
}

/** What a kubelet would write: an IP, a phase and the Ready condition. */
export async function setPodStatus(cs: Clientset, ns: string, name: string, ip: string, ready: boolean): Promise<Pod> {
  const pod = await cs.pods.get(ns, name);
  const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return cs.pods.updateStatus({
    ...pod,
    status: {
      ...pod.status,
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: t }],
    },
  });
}

export async function createNode(cs: Clientset, name: string): Promise<Node> {
  const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const node = await cs.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } });
  return cs.nodes.updateStatus({ ...node, status: { conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: t, lastTransitionTime: t }] } });
}

/** Renews (or creates) the node's Lease in kube-node-lease, as the kubelet does every 10 s. */
export async function renewLease(cs: Clientset, node: string): Promise<void> {
  const renewTime = new Date().toISOString().replace('Z', '000Z');
  try {
    const lease = await cs.leases.get('kube-node-lease', node);
    await cs.leases.update({ ...lease, spec: { ...lease.spec, renewTime } });
  } catch {
    const lease: Lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: node, namespace: 'kube-node-lease' }, spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime } };
    await cs.leases.create('kube-node-lease', lease);
  }
}

/**
 * The scheduler and the kubelets, played for the workload controllers' tests: binds each
 * unscheduled pod to `nodeFor(pod)`, marks bound pods Running (and Ready when `ready(pod)`),
 * and removes deleted pods at once. Polls until stopped.
 */
export function playCluster(cs: Clientset, nodeFor: (pod: Pod) => string | undefined, ready: (pod: Pod) => boolean = () => true): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      for (const pod of (await cs.pods.list('default').catch(() => ({ items: [] as Pod[] }))).items) {
        const name = pod.metadata?.name ?? '';
        const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        try {
          if (pod.metadata?.deletionTimestamp) await cs.pods.delete('default', name, { gracePeriodSeconds: 0 });
          else if (!pod.spec?.nodeName) await cs.pods.bind('default', name, nodeFor(pod) ?? '');
          else if (pod.status?.phase !== 'Running' || isReady !== ready(pod)) {
            const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
            await cs.pods.patchStatus('default', name, { status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready(pod) ? 'True' : 'False', lastTransitionTime: t }] } });
          }
        } catch {
          // raced with the controller; the next round sees the new state
        }
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  return { stop: async () => { running = false; await loop; } };
}
