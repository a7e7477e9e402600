// Finding, installing and starting a single-member etcd (Debian's `etcd-server` package).
// Shared by `skiff up` and the test set-up.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { aptInstall } from './apt.js';
import { findBinary } from './binaries.js';
import { assertPortFree, httpOk, spawnLogged, waitUntil, type Child } from './process.js';

export const INSTALL_HINT = 'sudo apt-get update && sudo apt-get install -y etcd-server';

/** The path of the `etcd` binary, or undefined. */
export const findEtcd = (): string | undefined => findBinary('etcd');

export interface InstallOptions {
  /** Progress lines ("installing etcd-server with apt-get…"). */
  log: (line: string) => void;
}

/**
 * Returns the etcd binary, installing Debian's `etcd-server` first when it is missing and we are
 * root. Not root: throws an error whose message says exactly what to run.
 */
export async function ensureEtcdInstalled(opts: InstallOptions): Promise<string> {
  const found = findEtcd();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error(`etcd is not installed; install it with: ${INSTALL_HINT}`);
  }
  opts.log('etcd is not installed; installing Debian package etcd-server with apt-get…');
  await aptInstall(['etcd-server']);
  const installed = findEtcd();
  if (!installed) throw new Error(`apt-get installed etcd-server but no etcd binary was found on PATH`);
  opts.log(`installed ${installed}`);
  return installed;
}

export interface EtcdOptions {
  dataDir: string;
  clientPort: number;
  peerPort: number;
  /** Where etcd's output goes; default `<dataDir>/../etcd.log`. */
  logFile?: string;
  /** The binary; default: found on PATH. */
  binary?: string;
  /** How long to wait for /health; default 30 s. */
  timeoutMs?: number;
  /** Aborting stops the starting etcd and rejects. */
  signal?: AbortSignal;
}

export interface Etcd {
  /** Client URL, e.g. http://127.0.0.1:2379. */
  url: string;
  pid: number;
  child: Child;
  stop(): Promise<void>;
}

/** Starts a single-member etcd on 127.0.0.1 and resolves once GET /health reports healthy. */
export async function startEtcd(opts: EtcdOptions): Promise<Etcd> {
  const binary = opts.binary ?? findEtcd();
  if (!binary) throw new Error(`etcd is not installed; install it with: ${INSTALL_HINT}`);
  await assertPortFree(opts.clientPort, 'etcd client');
  await assertPortFree(opts.peerPort, 'etcd peer');
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });

  const url = `http://127.0.0.1:${opts.clientPort}`;
  const peerUrl = `http://127.0.0.1:${opts.peerPort}`;
  const args = [
    '--name', 'default',
    '--data-dir', opts.dataDir,
    '--listen-client-urls', url,
    '--advertise-client-urls', url,
    '--listen-peer-urls', peerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `default=${peerUrl}`,
    '--initial-cluster-state', 'new',
    '--logger', 'zap',
    '--log-outputs', 'stderr',
    // No --auto-compaction-retention: the apiserver compacts history itself.
  ];
  const child = await spawnLogged({
    name: 'etcd',
    command: binary,
    args,
    logFile: opts.logFile ?? join(opts.dataDir, '..', 'etcd.log'),
    env: withoutEtcdEnv(process.env),
  });
  try {
    await waitUntil(() => httpOk(`${url}/health`, (body) => isHealthy(body)), {
      what: `etcd to become healthy at ${url}`,
      timeoutMs: opts.timeoutMs ?? 30_000,
      child,
      signal: opts.signal,
    });
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { url, pid: child.pid, child, stop: () => child.stop() };
}

function isHealthy(body: string): boolean {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && (parsed as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

/** etcd refuses to start when an ETCD_* variable duplicates a flag; ours come from flags only. */
function withoutEtcdEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith('ETCD_')) out[k] = v;
  return out;
}
