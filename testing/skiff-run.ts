// `skiff` as a child process for tests of the launcher: output collected as it arrives, waiting
// for a line with a deadline, and free ports for a cluster (etcd needs two in a row).
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertPortFree, freePort, sleep } from '../host/process.js';

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
