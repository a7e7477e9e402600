// Many hollow kubelets in one process: each the real kubelet logic on its own fake runtime,
// sharing an API connection pool per 16 nodes (each node holds two watches, and a pool has 64
// sockets), started a few at a time, with no logs/exec server (their
// pods have nothing to read) and heartbeats jittered by the node agent.
import { join } from 'node:path';
import { Clientset, type ClientConfig, type Logger } from '../client/index.js';
import { FakeRuntime } from './fake-runtime.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';

export interface HollowOptions {
  /** Where the API is; each group of nodes gets its own connection pool (watches hold sockets). */
  config: ClientConfig;
  count: number;
  prefix: string;
  rootDir: string;
  log: Logger;
  /** Start this many at once (default 20). */
  parallel?: number;
  overrides?: Partial<KubeletOptions>;
}

export interface HollowNodes {
  kubelets: Kubelet[];
  stop(): Promise<void>;
}

export async function startHollowNodes(o: HollowOptions): Promise<HollowNodes> {
  const kubelets: Kubelet[] = [];
  const clientsets: Clientset[] = [];
  const parallel = o.parallel ?? 20;
  const perPool = 16;
  for (let i = 0; i < o.count; i += parallel) {
    const batch = [];
    for (let j = i; j < Math.min(o.count, i + parallel); j++) {
      const name = `${o.prefix}${j}`;
      if (j % perPool === 0) clientsets.push(new Clientset(o.config, { userAgent: 'hollow-nodes' }));
      const clientset = clientsets[clientsets.length - 1]!;
      const fake = new FakeRuntime();
      const k = new Kubelet({
        clientset, nodeName: name, runtime: fake, rootDir: join(o.rootDir, name), hollow: true,
        // Documentation addresses (TEST-NET-2): nothing ever connects to a hollow node.
        address: `198.51.${100 + Math.floor(j / 254)}.${(j % 254) + 1}`, port: -1,
        net: async (t) => fake.netProbe(t.host, t.port, t.path),
        relistMs: 2000, workers: 2, log: o.log.child({ node: name }),
        ...o.overrides,
      });
      kubelets.push(k);
      batch.push(k.start());
    }
    await Promise.all(batch);
  }
  return {
    kubelets,
    async stop() {
      await Promise.all(kubelets.map((k) => k.stop()));
      for (const c of clientsets) c.close();
    },
  };
}
