// Node-side steps of `skiff up`: waiting for nodes to report Ready (with a progress line), and
// removing a node's pods through its runtime when the cluster stops, so no container outlives it.
import type { Node } from '../api/index.js';
import type { Clientset } from '../client/index.js';
import { runtimeClient } from '../proto/index.js';
import { sleep } from '../host/process.js';

const isReady = (n: Node): boolean => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Waits up to 2 minutes for `want` nodes to be Ready; a node that is late is reported, not fatal. */
export async function waitForNodesReady(clientset: Clientset, want: number, say: (l: string) => void, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + 120_000;
  let last = '';
  while (!signal.aborted) {
    const nodes = await clientset.nodes.list(undefined).then((l) => l.items, () => [] as Node[]);
    const ready = nodes.filter(isReady).length;
    const line = `  nodes ready: ${ready}/${want}`;
    if (line !== last) say(line);
    last = line;
    if (ready >= want) return;
    if (Date.now() > deadline) {
      say(`  not every node became Ready within 2 minutes; see the node logs (skiff status shows them)`);
      return;
    }
    await sleep(500);
  }
}

/** Stops and removes every pod sandbox of a runtime (their containers, network and mounts). */
export async function cleanUpNodePods(endpoint: string, say: (l: string) => void): Promise<void> {
  const rt = runtimeClient(endpoint);
  try {
    const { items } = await rt.listPodSandbox({ filter: null }, { timeoutMs: 5000 });
    if (items.length) say(`removing ${items.length} pod(s) from ${endpoint.replace('unix://', '')}…`);
    for (const sb of items) {
      await rt.stopPodSandbox({ podSandboxId: sb.id }, { timeoutMs: 30_000 }).catch(() => undefined);
      await rt.removePodSandbox({ podSandboxId: sb.id }, { timeoutMs: 30_000 }).catch(() => undefined);
    }
  } finally {
    rt.close();
  }
}
