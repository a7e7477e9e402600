// The `skiff` command. Each subcommand lives in its own file and exports a factory returning a
// commander Command; adding one is that file plus one line in `commands` below.
import { Command } from 'commander';
import { hollowNodesCommand } from './hollow-nodes.js';
import { kubeletCommand } from './kubelet.js';
import { apiserverCommand } from './apiserver.js';
import { controllerManagerCommand } from './controller-manager.js';
import { dnsCommand } from './dns.js';
import { proxyCommand } from './proxy.js';
import { runtimeCommand } from './runtime.js';
import { imageCommand } from './image.js';
import { joinCommand } from './join.js';
import { schedulerCommand } from './scheduler.js';
import { statusCommand } from './status.js';
import { upCommand } from './up.js';
import * as verbs from './verbs/index.js';

const commands: Array<() => Command> = [upCommand, statusCommand, joinCommand, apiserverCommand, controllerManagerCommand, schedulerCommand, kubeletCommand, hollowNodesCommand];
// The kubectl-like client verbs (cli/verbs/).
commands.push(...Object.values(verbs));
commands.push(proxyCommand, dnsCommand);
commands.push(runtimeCommand, imageCommand);

function program(): Command {
  const root = new Command('skiff')
    .description('Skiff: a small Kubernetes-compatible control plane')
    .showHelpAfterError('(run with --help for usage)');
  for (const make of commands) root.addCommand(make().copyInheritedSettings(root));
  return root;
}

/** Errors print as one readable line; SKIFF_DEBUG=1 adds the stack. */
function fail(err: unknown): never {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`skiff: ${message}\n`);
  if (process.env.SKIFF_DEBUG && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
}

program().parseAsync(process.argv).catch(fail);
