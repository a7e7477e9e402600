// A kubelet on the fake runtime against an in-process apiserver, for the tests.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container, Pod } from '../api/index.js';
import { Clientset } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { FakeRuntime } from './fake-runtime.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface HollowHarness {
  api: TestApiServer;
  cs: Clientset;
  fake: FakeRuntime;
  kubelet: Kubelet;
  root: string;
  /** A fresh kubelet on the same fake runtime and root dir (the "restart"). */
  restart(): Promise<Kubelet>;
  close(): Promise<void>;
}

export async function hollowHarness(overrides: Partial<KubeletOptions> = {}): Promise<HollowHarness> {
  const api = await startTestApiServer();
  const cs = new Clientset({ server: api.url }, { userAgent: 'kubelet-test' });
  const fake = new FakeRuntime();
  const root = mkdtempSync(join(tmpdir(), 'skiff-kubelet-'));
  const opts = (): KubeletOptions => ({
    clientset: cs, nodeName: 'node-1', runtime: fake, rootDir: root, address: '127.0.0.1', port: 0, hollow: true,
    net: async (t) => fake.netProbe(t.host, t.port, t.path),
    backoff: { initialMs: 400, maxMs: 3200 }, leaseIntervalMs: 300, statusIntervalMs: 300, relistMs: 50, resyncMs: 2000,
    clusterDNS: ['10.96.0.10'],
    ...overrides,
  });
  const h: HollowHarness = {
    api, cs, fake, root,
    kubelet: new Kubelet(opts()),
    async restart() {
      await h.kubelet.stop();
      h.kubelet = new Kubelet(opts());
      await h.kubelet.start();
      return h.kubelet;
    },
    async close() {
      await h.kubelet.stop();
      fake.close();
      cs.close();
      await api.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  await h.kubelet.start();
  return h;
}

export function pod(name: string, containers: Array<Partial<Container>>, spec: Partial<NonNullable<Pod['spec']>> = {}): Pod {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      nodeName: 'node-1',
      terminationGracePeriodSeconds: 1,
      ...spec,
      containers: containers.map((c, i) => ({ name: `c${i}`, image: 'busybox', ...c })),
    },
  };
}

/** A kubeconfig for kubectl against a plain-HTTP test apiserver. */
export function writeKubeconfig(dir: string, server: string): string {
  const path = join(dir, 'kubeconfig');
  writeFileSync(path, [
    'apiVersion: v1', 'kind: Config', 'current-context: t',
    'clusters:', `- name: t`, `  cluster:`, `    server: ${server}`,
    'users:', '- name: u', '  user: {}',
    'contexts:', '- name: t', '  context: {cluster: t, user: u, namespace: default}', '',
  ].join('\n'));
  return path;
}
