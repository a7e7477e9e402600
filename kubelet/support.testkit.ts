// A kubelet on the fake runtime against an in-process apiserver, for the tests.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Container, Pod } from '../api/index.js';
import { Clientset } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { FakeRuntime } from './fake-runtime.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';
import { connectRuntime, type Runtime } from './runtime.js';
import { waitFor as poll } from '../testing/wait.js';

const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export const waitFor = <T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 15_000): Promise<T> =>
  poll(what, probe, timeoutMs, 25);

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

function which(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Why the real runtime cannot run here, or undefined when it can. */
export function realRuntimeMissing(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  for (const b of ['runc', 'conmon', 'kubectl', 'ip']) if (!which(b)) return `${b} not installed`;
  if (!existsSync('/usr/lib/cni/bridge')) return 'CNI plugins missing in /usr/lib/cni';
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 missing';
  return undefined;
}

export interface RealRuntime {
  endpoint: string;
  /** The runtime process (for RSS figures). */
  pid: number;
  bridge: string;
  client: Runtime;
  stop(): Promise<void>;
}

/** Starts `skiff runtime` as its own process on a temp root and a bridge of its own. */
export async function startRealRuntime(dir: string, registryConfig?: string): Promise<RealRuntime> {
  const endpoint = `unix://${join(dir, 'runtime.sock')}`;
  const bridge = `skk${process.pid.toString(36)}`.slice(0, 15);
  const child: ChildProcess = spawn(process.execPath, [cli, 'runtime', '--listen', endpoint, '--root', join(dir, 'state'), '--bridge', bridge, ...(registryConfig ? ['--registry-config', registryConfig] : [])], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, SKIFF_LOG_LEVEL: 'warn' },
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const client = connectRuntime(endpoint);
  await waitFor(`runtime on ${endpoint}${stderr ? `: ${stderr}` : ''}`, () => client.version({}, { timeoutMs: 1000 }).then(() => true), 20_000);
  return {
    endpoint, bridge, client, pid: child.pid ?? 0,
    async stop() {
      try {
        const { items } = await client.listPodSandbox({});
        for (const s of items) await client.removePodSandbox({ podSandboxId: s.id }).catch(() => undefined);
      } finally {
        client.close();
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
        try {
          execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
        } catch {
          // not created
        }
      }
    },
  };
}
