// `skiff logs`: a container's log through the apiserver (GET …/pods/<pod>/log), streamed with -f.
import { Command } from 'commander';
import type { Pod } from '../../api/index.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import type { Query } from '../../client/index.js';
import { parseTargets } from './resources.js';
import { action, CliError, withClientFlags, type Session } from './session.js';
import { parseDuration } from './wait.js';

interface LogsFlags {
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tail?: string;
  timestamps?: boolean;
  since?: string;
}

export function logsCommand(): Command {
  return withClientFlags(new Command('logs'))
    .description('print the log of a container in a pod (or of the first pod of a deployment/replica set)')
    .argument('<pod>', 'POD, pod/POD, deploy/NAME or rs/NAME')
    .option('-c, --container <name>', 'the container (default: the first, with a note if there are several)')
    .option('-f, --follow', 'keep streaming new lines')
    .option('-p, --previous', 'the log of the previous, terminated instance of the container')
    .option('--tail <lines>', 'only the last N lines (-1: all)', '-1')
    .option('--timestamps', 'prefix each line with its RFC 3339 timestamp')
    .option('--since <duration>', 'only lines newer than this, e.g. 10s, 5m')
    .action(action(async (s: Session, target: string, flags: LogsFlags) => {
      const pod = await resolvePod(s, target);
      const name = pod.metadata?.name ?? '';
      const containers = pod.spec?.containers ?? [];
      let container = flags.container;
      if (container === undefined) {
        container = containers[0]?.name;
        if (containers.length > 1) process.stderr.write(`Defaulted container "${container}" out of: ${containers.map((c) => c.name).join(', ')}\n`);
      } else if (![...containers, ...(pod.spec?.initContainers ?? [])].some((c) => c.name === container)) {
        throw new CliError(`container ${container} is not valid for pod ${name}`);
      }
      const tail = Number(flags.tail);
      if (!Number.isInteger(tail) || tail < -1) throw new CliError(`invalid --tail "${flags.tail}": must be a whole number`);
      const query: Query = {
        container,
        follow: flags.follow ? true : undefined,
        previous: flags.previous ? true : undefined,
        tailLines: tail >= 0 ? tail : undefined,
        timestamps: flags.timestamps ? true : undefined,
        sinceSeconds: flags.since ? Math.max(1, Math.ceil(parseDuration(flags.since, '--since') / 1000)) : undefined,
      };
      const path = s.cs.pods.path(s.namespace, name, 'log');
      if (!flags.follow) {
        process.stdout.write(await s.cs.transport.request<string>('GET', path, { query, headers: { accept: '*/*' } }) ?? '');
        return;
      }
      const res = await s.cs.transport.stream(path, { query, headers: { accept: '*/*' } });
      const stop = (): void => void res.destroy();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) process.stdout.write(chunk);
      } catch (err) {
        if (!res.destroyed) throw err;
      }
    }));
}

/** A pod by name, or the first pod (by name) selected by a deployment or replica set. */
async function resolvePod(s: Session, target: string): Promise<Pod> {
  if (!target.includes('/')) return s.cs.pods.get(s.namespace, target);
  const [t] = parseTargets([target]);
  if (t!.rt.kind === 'Pod') return s.cs.pods.get(s.namespace, t!.name!);
  if (t!.rt.kind !== 'Deployment' && t!.rt.kind !== 'ReplicaSet') throw new CliError(`cannot get the logs of ${t!.rt.plural}`);
  const owner = t!.rt.kind === 'Deployment' ? await s.cs.deployments.get(s.namespace, t!.name!) : await s.cs.replicaSets.get(s.namespace, t!.name!);
  const pods = await s.cs.pods.list(s.namespace, { labelSelector: selectorFromLabelSelector(owner.spec?.selector).toString() });
  const pod = [...pods.items].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))[0];
  if (!pod) throw new CliError(`no pods found for ${t!.rt.kind.toLowerCase()} "${t!.name}"`);
  return pod;
}
