// How `skiff up` starts each component: the command line, where it runs (a node's network
// namespace or the host), and when it counts as ready. Every component is the same `skiff <name>`
// entry point a user can run alone.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startEtcd } from '../host/etcd.js';
import { httpOk, spawnLogged, waitUntil, type Child } from '../host/process.js';
import type { Component } from '../host/supervisor.js';

/** dist/cli/main.js, next to this file once compiled. */
export function mainScript(): string {
  return fileURLToPath(new URL('./main.js', import.meta.url));
}

export interface ProcessSpec {
  name: string;
  /** `skiff` subcommand and flags. */
  args: string[];
  logFile: string;
  /** Run inside this network namespace (a local node). */
  netns?: string;
  ready: () => Promise<boolean>;
  readyWhat: string;
  readyTimeoutMs?: number;
  signal: AbortSignal;
}

/** A `skiff <subcommand>` child that is ready once `ready()` says so; stopped again if it never is. */
export function skiffProcess(spec: ProcessSpec): Component {
  return {
    name: spec.name,
    start: async (): Promise<Child> => {
      const skiff = [process.execPath, mainScript(), ...spec.args];
      // nsenter joins only the node's network namespace. (`ip netns exec` would also give the
      // process a private /sys without the cgroup mounts that runc needs.)
      const [command, ...args] = spec.netns ? ['nsenter', `--net=/run/netns/${spec.netns}`, '--', ...skiff] : skiff;
      const child = await spawnLogged({ name: spec.name, command: command as string, args, logFile: spec.logFile });
      try {
        await waitUntil(spec.ready, { what: spec.readyWhat, timeoutMs: spec.readyTimeoutMs ?? 60_000, child, signal: spec.signal, intervalMs: 200 });
      } catch (err) {
        await child.stop();
        throw err;
      }
      return child;
    },
  };
}

export function etcdComponent(dataDir: string, clientPort: number, logFile: string, signal: AbortSignal): Component {
  return {
    name: 'etcd',
    start: async () => (await startEtcd({ dataDir, clientPort, peerPort: clientPort + 1, logFile, signal })).child,
  };
}

export const healthz = (host: string, port: number) => (): Promise<boolean> => httpOk(`http://${host}:${port}/healthz`);

export const fileExists = (path: string) => (): Promise<boolean> => Promise.resolve(existsSync(path));
