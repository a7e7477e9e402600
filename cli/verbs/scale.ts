// `skiff scale`: sets spec.replicas through the scale subresource (a merge patch, as kubectl sends).
import { Command } from 'commander';
import type { Scale } from '../../api/index.js';
import { clientFor, kindPrefix, parseTargets } from './resources.js';
import { action, CliError, withClientFlags, type Session } from './session.js';

interface ScaleFlags {
  replicas?: string;
  currentReplicas?: string;
}

export function scaleCommand(): Command {
  return withClientFlags(new Command('scale'))
    .description('set the number of replicas of a deployment or replica set')
    .argument('<type[/name]...>', 'TYPE NAME... or TYPE/NAME...')
    .option('--replicas <n>', 'the new number of replicas (required)')
    .option('--current-replicas <n>', 'only scale if the current number of replicas is this')
    .action(action(async (s: Session, args: string[], flags: ScaleFlags) => {
      const replicas = Number(flags.replicas);
      if (flags.replicas === undefined || !Number.isInteger(replicas) || replicas < 0) {
        throw new CliError('--replicas=COUNT is required, and COUNT must be a whole number >= 0');
      }
      const targets = parseTargets(args);
      for (const t of targets) {
        if (t.name === undefined) throw new CliError('resource(s) were provided, but no name was specified');
        if (!t.rt.subresources.includes('scale')) throw new CliError(`${t.rt.plural} "${t.name}" cannot be scaled: ${t.rt.plural} have no scale subresource`);
        const client = clientFor(s.cs, t.rt);
        const path = client.path(s.namespace, t.name, 'scale');
        if (flags.currentReplicas !== undefined) {
          const cur = await client.transport.request<Scale>('GET', path);
          if (String(cur.spec?.replicas ?? 0) !== flags.currentReplicas) {
            throw new CliError(`Expected replicas to be ${flags.currentReplicas}, was ${cur.spec?.replicas ?? 0}`);
          }
        }
        await client.transport.request<Scale>('PATCH', path, { body: { spec: { replicas } }, contentType: 'application/merge-patch+json' });
        process.stdout.write(`${kindPrefix(t.rt)}/${t.name} scaled\n`);
      }
    }));
}
