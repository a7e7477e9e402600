// The `skiff` command. Each subcommand lives in its own file and exports a factory returning a
// commander Command; adding one is that file plus one line in `commands` below. Only the
// command being run is loaded (its imports pull in whole components): `skiff version` must not
// pay for the apiserver, the runtime and gRPC. Help and unknown commands load them all.
import { Command } from 'commander';

type Factory = () => Command;

/** In the order `skiff --help` lists them. */
const commands: Array<[name: string, load: () => Promise<Factory>]> = [
  ['up', async () => (await import('./up.js')).upCommand],
  ['down', async () => (await import('./down.js')).downCommand],
  ['etcd-snapshot', async () => (await import('./etcd-snapshot.js')).etcdSnapshotCommand],
  ['status', async () => (await import('./status.js')).statusCommand],
  ['join', async () => (await import('./join.js')).joinCommand],
  ['apiserver', async () => (await import('./apiserver.js')).apiserverCommand],
  ['controller-manager', async () => (await import('./controller-manager.js')).controllerManagerCommand],
  ['scheduler', async () => (await import('./scheduler.js')).schedulerCommand],
  ['kubelet', async () => (await import('./kubelet.js')).kubeletCommand],
  ['hollow-nodes', async () => (await import('./hollow-nodes.js')).hollowNodesCommand],
  // The kubectl-like client verbs (cli/verbs/).
  ['apply', async () => (await import('./verbs/apply.js')).applyCommand],
  ['get', async () => (await import('./verbs/get.js')).getCommand],
  ['delete', async () => (await import('./verbs/delete.js')).deleteCommand],
  ['scale', async () => (await import('./verbs/scale.js')).scaleCommand],
  ['version', async () => (await import('./verbs/version.js')).versionCommand],
  ['describe', async () => (await import('./verbs/describe.js')).describeCommand],
  ['rollout', async () => (await import('./verbs/rollout.js')).rolloutCommand],
  ['logs', async () => (await import('./verbs/logs.js')).logsCommand],
  ['exec', async () => (await import('./verbs/exec.js')).execCommand],
  ['proxy', async () => (await import('./proxy.js')).proxyCommand],
  ['dns', async () => (await import('./dns.js')).dnsCommand],
  ['runtime', async () => (await import('./runtime.js')).runtimeCommand],
  ['image', async () => (await import('./image.js')).imageCommand],
  ['secrets-encrypt', async () => (await import('./secrets-encrypt.js')).secretsEncryptCommand],
];

/** The subcommand named on the command line: the first argument that is not an option. */
function named(argv: string[]): string | undefined {
  return argv.slice(2).find((a) => !a.startsWith('-'));
}

async function program(argv: string[]): Promise<Command> {
  const root = new Command('skiff')
    .description('Skiff: a small Kubernetes-compatible control plane')
    .showHelpAfterError('(run with --help for usage)');
  const wanted = named(argv);
  const one = commands.find(([name]) => name === wanted);
  const factories = await Promise.all((one ? [one] : commands).map(([, load]) => load()));
  for (const make of factories) root.addCommand(make().copyInheritedSettings(root));
  return root;
}

/** Errors print as one readable line; SKIFF_DEBUG=1 adds the stack. */
function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`skiff: ${message}\n`);
  if (process.env.SKIFF_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}

program(process.argv)
  .then((root) => root.parseAsync(process.argv))
  .catch(fail);
