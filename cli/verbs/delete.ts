// `skiff delete`: by name, TYPE/NAME, -f manifests or -l; cascade policy, grace period, and by
// default waits until the objects are gone (a progress line on a terminal).
import { Command } from 'commander';
import type { ResourceType } from '../../api/resource.js';
import { isNotFound, type DeleteOptions, type KubeObject } from '../../client/index.js';
import { collect } from './apply.js';
import { Progress } from './format.js';
import { readManifests } from './manifests.js';
import { clientFor, kindPrefix, parseTargets, pluralName, resolveKind } from './resources.js';
import { action, CliError, errorLine, withClientFlags, type Session } from './session.js';
import { parseBool, parseDuration, sleep } from './wait.js';

interface DeleteFlags {
  filename: string[];
  recursive?: boolean;
  selector?: string;
  all?: boolean;
  cascade: string;
  gracePeriod?: string;
  now?: boolean;
  wait: boolean;
  timeout: string;
  ignoreNotFound?: boolean;
}

interface Victim {
  rt: ResourceType;
  ns: string | undefined;
  name: string;
}

const cascades: Record<string, DeleteOptions['propagationPolicy']> = {
  background: 'Background', true: 'Background', foreground: 'Foreground', orphan: 'Orphan', false: 'Orphan',
};

export function deleteCommand(): Command {
  return withClientFlags(new Command('delete'))
    .description('delete objects by name, by label selector, or as listed in manifests')
    .argument('[type[/name]...]', 'TYPE NAME..., TYPE/NAME..., or TYPE with -l/--all')
    .option('-f, --filename <path>', 'delete the objects in these manifests (repeatable)', collect, [])
    .option('-R, --recursive', 'read directories given to -f recursively')
    .option('-l, --selector <selector>', 'delete every object of TYPE matching this label selector')
    .option('--all', 'delete every object of TYPE in the namespace')
    .option('--cascade <policy>', 'background, foreground or orphan (dependents)', 'background')
    .option('--grace-period <seconds>', 'seconds a pod gets to stop (0 with --force only in kubectl; here 0 is immediate)')
    .option('--now', 'same as --grace-period=1')
    .option('--wait [bool]', 'wait until the objects are gone (--wait=false returns once accepted)', parseBool, true)
    .option('--timeout <duration>', 'how long to wait (0 = no limit), e.g. 30s, 2m', '0')
    .option('--ignore-not-found', 'a missing object is not an error')
    .action(action(async (s: Session, args: string[], flags: DeleteFlags) => {
      const policy = cascades[flags.cascade];
      if (!policy) throw new CliError(`invalid --cascade "${flags.cascade}": must be background, foreground or orphan`);
      const opts: DeleteOptions = { propagationPolicy: policy };
      const grace = flags.now ? 1 : flags.gracePeriod !== undefined ? Number(flags.gracePeriod) : undefined;
      if (grace !== undefined) {
        if (!Number.isInteger(grace) || grace < -1) throw new CliError(`invalid --grace-period "${flags.gracePeriod}": must be a whole number of seconds`);
        if (grace >= 0) opts.gracePeriodSeconds = grace;
      }
      const victims = await findVictims(s, args, flags);
      const deleted: Array<Victim & { uid?: string }> = [];
      let ok = true;
      for (const v of victims) {
        try {
          const out = (await clientFor(s.cs, v.rt).delete(v.ns, v.name, opts)) as KubeObject | undefined;
          process.stdout.write(`${kindPrefix(v.rt)} "${v.name}" deleted\n`);
          deleted.push({ ...v, ...(out?.metadata?.uid ? { uid: out.metadata.uid } : {}) });
        } catch (err) {
          if (flags.ignoreNotFound && isNotFound(err)) continue;
          ok = false;
          process.stderr.write(`${errorLine(err)}\n`);
        }
      }
      if (flags.wait && deleted.length > 0) await waitGone(s, deleted, parseDuration(flags.timeout, '--timeout'));
      if (!ok) process.exitCode = 1;
    }));
}

async function findVictims(s: Session, args: string[], flags: DeleteFlags): Promise<Victim[]> {
  if (flags.filename.length > 0) {
    if (args.length > 0) throw new CliError('names cannot be given together with -f');
    const manifests = await readManifests(flags.filename, flags.recursive === true);
    return manifests.map((m) => {
      const rt = resolveKind(m.obj.apiVersion, m.obj.kind, m.source);
      const name = m.obj.metadata?.name;
      if (!name) throw new CliError(`${m.source}: resource name may not be empty`);
      return { rt, ns: rt.namespaced ? (m.obj.metadata?.namespace ?? s.namespace) : undefined, name };
    });
  }
  if (args.length === 0) throw new CliError('you must provide one or more resources by argument or filename');
  const targets = parseTargets(args);
  const named = targets.filter((t) => t.name !== undefined);
  const bare = targets.filter((t) => t.name === undefined);
  if (bare.length > 0 && !flags.selector && !flags.all) {
    throw new CliError(`resource(s) were provided, but no name was specified; give names, -l SELECTOR or --all`);
  }
  const out: Victim[] = named.map((t) => ({ rt: t.rt, ns: t.rt.namespaced ? s.namespace : undefined, name: t.name! }));
  for (const { rt } of bare) {
    const ns = rt.namespaced ? s.namespace : undefined;
    const list = await clientFor(s.cs, rt).listAll(ns, flags.selector ? { labelSelector: flags.selector } : {});
    for (const o of list.items) out.push({ rt, ns, name: o.metadata?.name ?? '' });
  }
  if (out.length === 0) process.stderr.write(bare[0]?.rt.namespaced ? `No resources found in ${s.namespace} namespace.\n` : 'No resources found\n');
  return out;
}

/** Polls until each object is gone (or replaced by a new one with another uid), like kubectl's --wait. */
async function waitGone(s: Session, victims: Array<Victim & { uid?: string }>, timeoutMs: number): Promise<void> {
  const progress = process.stderr.isTTY ? new Progress(process.stderr) : undefined;
  const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
  let pending = victims;
  let delay = 100;
  const started = Date.now();
  while (pending.length > 0) {
    const still: typeof pending = [];
    for (const v of pending) {
      try {
        const cur = await clientFor(s.cs, v.rt).get(v.ns, v.name);
        if (!v.uid || cur.metadata?.uid === v.uid) still.push(v);
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    pending = still;
    if (pending.length === 0) break;
    if (Date.now() > deadline) {
      progress?.done();
      throw new CliError(`timed out waiting for the condition on ${pluralName(pending[0]!.rt)}/${pending[0]!.name}`);
    }
    progress?.update(`waiting for ${pending.length} object(s) to be deleted (${pluralName(pending[0]!.rt)}/${pending[0]!.name}) ${Math.round((Date.now() - started) / 1000)}s`);
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
  progress?.done();
}
