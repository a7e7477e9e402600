// `skiff` as a child process for tests of the launcher: output collected as it arrives, waiting
// for a line with a deadline, and free ports for a cluster (etcd needs two in a row).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { assertPortFree, freePort, sleep } from '../host/process.js';
import { requestWithCa, type TlsRequestOptions } from '../host/tls-get.js';

const main = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export interface SkiffRun {
  proc: ChildProcess;
  output: () => string;
  exit: Promise<number | null>;
}

export function runSkiff(args: string[]): SkiffRun {
  const proc = spawn(process.execPath, [main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  return { proc, output: () => out, exit };
}

export async function waitForOutput(run: SkiffRun, text: string, ms = 90_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!run.output().includes(text)) {
    if (run.proc.exitCode !== null || Date.now() > deadline) {
      throw new Error(`did not see ${JSON.stringify(text)}; output:\n${run.output()}`);
    }
    await sleep(100);
  }
}

/** Two consecutive free ports for etcd (client, peer = client + 1). */
export async function etcdPorts(): Promise<number> {
  for (;;) {
    const p = await freePort();
    if (p < 65535 && (await assertPortFree(p + 1, 'etcd peer').then(() => true, () => false))) return p;
  }
}

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }>;
  users: Array<{ user: { token?: string; 'client-certificate-data'?: string; 'client-key-data'?: string } }>;
}

/**
 * Requests to the apiserver of a home as its kubeconfig's admin: https, the cluster CA and the
 * admin's client certificate (or token). The kubeconfig is read at each call: `up` rewrites it.
 */
export function homeApi(home: string): (path: string, opts?: TlsRequestOptions) => ReturnType<typeof requestWithCa> {
  return (path, opts = {}) => {
    const cfg = parse(readFileSync(join(home, 'kubeconfig'), 'utf8')) as Kubeconfig;
    const data = (v: string | undefined) => Buffer.from(v ?? '', 'base64').toString();
    const { cluster } = cfg.clusters[0]!;
    const user = cfg.users[0]!.user;
    const creds = opts.token || !user['client-certificate-data'] ? { token: user.token } : { cert: data(user['client-certificate-data']), key: data(user['client-key-data']) };
    return requestWithCa(`${cluster.server}${path}`, { ca: data(cluster['certificate-authority-data']), ...creds, ...opts });
  };
}
