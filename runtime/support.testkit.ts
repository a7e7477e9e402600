// Shared by the runtime's tests and its benchmark: a runtime on a temp root and socket, and
// small helpers to run pods through the real gRPC client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { imageClient, runtimeClient, type ContainerStatus, type ImageClient, type Input, type ContainerConfig, type RuntimeClient } from '../proto/index.js';
import { removeIdlePortmapChains } from './cni.js';
import { startRuntime, type RunningRuntime, type RuntimeOptions } from './index.js';
import { testImages } from '../testing/test-images.js';
import { waitFor as poll } from '../testing/wait.js';

export interface TestRuntime {
  root: string;
  endpoint: string;
  bridge: string;
  podCidr: string;
  runtime: RunningRuntime;
  rt: RuntimeClient;
  images: ImageClient;
  /** Stops the server (containers keep running) and starts it again on the same root. */
  restart(): Promise<void>;
  /** Removes every sandbox, stops the server, deletes the bridge and the temp root. */
  destroy(): Promise<void>;
}

export async function startTestRuntime(opts: { podCidr: string; hostProcesses?: boolean; quiet?: boolean; registryConfig?: string; testMirror?: boolean }): Promise<TestRuntime> {
  const root = mkdtempSync(join(tmpdir(), 'skiff-runtime-'));
  if (opts.testMirror) {
    // docker.io comes from the run's test registry: `busybox` is the busybox-static test image.
    const registries = join(root, 'registries.yaml');
    writeFileSync(registries, `mirrors:\n  docker.io:\n    endpoint: ["http://${(await testImages()).host}"]\n`);
    opts = { ...opts, registryConfig: registries };
  }
  const endpoint = `unix://${join(root, 'runtime.sock')}`;
  const bridge = `skt${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.slice(0, 15);
  const runtimeOpts: RuntimeOptions = {
    listen: endpoint,
    root: join(root, 'state'),
    bridge,
    log: pino({ level: opts.quiet === false ? 'info' : 'error' }),
    ...(opts.hostProcesses ? { hostProcesses: true } : {}),
    ...(opts.registryConfig ? { registryConfig: opts.registryConfig } : {}),
  };
  const t: TestRuntime = {
    root,
    endpoint,
    bridge,
    podCidr: opts.podCidr,
    runtime: await startRuntime(runtimeOpts),
    rt: runtimeClient(endpoint),
    images: imageClient(endpoint),
    async restart() {
      t.rt.close();
      t.images.close();
      await t.runtime.close();
      t.runtime = await startRuntime(runtimeOpts);
      t.rt = runtimeClient(endpoint);
      t.images = imageClient(endpoint);
    },
    async destroy() {
      try {
        const { items } = await t.rt.listPodSandbox({});
        for (const s of items) await t.rt.removePodSandbox({ podSandboxId: s.id });
      } finally {
        t.rt.close();
        t.images.close();
        await t.runtime.close();
        if (!opts.hostProcesses) await removeIdlePortmapChains();
        try {
          execFileSync('ip', ['link', 'del', bridge], { stdio: 'ignore' });
        } catch {
          // never created (host-process mode) or already gone
        }
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
  await t.rt.updateRuntimeConfig({ runtimeConfig: { networkConfig: { podCidr: opts.podCidr } } });
  return t;
}

let podCounter = 0;

/** RunPodSandbox for a fresh pod; returns its sandbox id and log directory. */
export async function runPod(t: TestRuntime, name = `pod${++podCounter}`, runtimeHandler = ''): Promise<{ id: string; logDir: string }> {
  const logDir = join(t.root, 'logs', name);
  const { podSandboxId } = await t.rt.runPodSandbox({
    runtimeHandler,
    config: {
      metadata: { name, namespace: 'default', uid: `uid-${name}-${Date.now()}`, attempt: 0 },
      hostname: name,
      logDirectory: logDir,
      dnsConfig: { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] },
      labels: { app: 'test', pod: name },
    },
  });
  return { id: podSandboxId, logDir };
}

/** CreateContainer + StartContainer. */
export async function runContainer(t: TestRuntime, sandboxId: string, name: string, command: string[], extra: Input<ContainerConfig> = {}): Promise<string> {
  const { containerId } = await t.rt.createContainer({
    podSandboxId: sandboxId,
    config: { metadata: { name, attempt: 0 }, image: { image: 'busybox' }, command, logPath: `${name}/0.log`, ...extra },
  });
  await t.rt.startContainer({ containerId });
  return containerId;
}

export const waitFor = <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000): Promise<T> => poll(what, probe, timeoutMs, 25);

export async function waitExited(t: TestRuntime, containerId: string, timeoutMs = 20_000): Promise<ContainerStatus> {
  return waitFor(`container ${containerId} to exit`, async () => {
    const { status } = await t.rt.containerStatus({ containerId });
    return status?.state === 'CONTAINER_EXITED' ? status : undefined;
  }, timeoutMs);
}

export function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
