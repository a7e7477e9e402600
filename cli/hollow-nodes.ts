// `skiff hollow-nodes --count N`: N simulated nodes in one process — the real kubelet logic on
// the in-process fake runtime, heartbeats jittered so they do not all land at once. For scale
// tests of the control plane (like kubemark's hollow nodes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { stopOnSignal } from '../host/signals.js';

interface Flags {
  kubeconfig?: string;
  count: string;
  prefix: string;
  rootDir?: string;
}

export function hollowNodesCommand(): Command {
  return new Command('hollow-nodes')
    .description('run N simulated nodes (real kubelet logic, fake runtime) in one process')
    .option('--kubeconfig <file>', 'kubeconfig to reach the API (default $KUBECONFIG, ~/.kube/config)')
    .requiredOption('--count <n>', 'how many nodes')
    .option('--prefix <prefix>', 'node name prefix', 'hollow-')
    .option('--root-dir <dir>', 'state directory (default: a temp dir, removed on exit)')
    .action(async (flags: Flags) => {
      await runHollowNodes(flags);
    });
}

async function runHollowNodes(flags: Flags): Promise<void> {
  const count = Number(flags.count);
  if (!Number.isInteger(count) || count < 1 || count > 10_000) throw new Error(`--count: expected 1..10000, got ${flags.count}`);
  const { createLogger, kubeconfigPath, loadKubeconfig } = await import('../client/index.js');
  const { startHollowNodes } = await import('../kubelet/hollow.js');
  const log = createLogger('hollow-nodes');
  const config = loadKubeconfig(kubeconfigPath(flags.kubeconfig));
  const root = flags.rootDir ?? mkdtempSync(join(tmpdir(), 'skiff-hollow-'));
  const nodes = await startHollowNodes({ config, count, prefix: flags.prefix, rootDir: root, log });
  log.info({ count, prefix: flags.prefix }, 'hollow nodes running');

  stopOnSignal(log, async () => {
    await nodes.stop();
    if (!flags.rootDir) rmSync(root, { recursive: true, force: true });
  });
}
