// `skiff apply -f`: kubectl's client-side apply. Creates what is missing with the last-applied
// annotation; otherwise patches the three-way difference between that annotation, the new
// config and the live object; prints `<kind>.<group>/<name> created|configured|unchanged`.
import { Command } from 'commander';
import { ApiError, isConflict, isNotFound, type KubeObject } from '../../client/index.js';
import { readManifests, type Manifest } from './manifests.js';
import { canonicalJson, lastAppliedAnnotation, threeWayMergePatch, type JsonObject } from './merge.js';
import { clientFor, kindPrefix, resolveKind } from './resources.js';
import { action, CliError, errorLine, withClientFlags, type Session } from './session.js';

interface ApplyFlags {
  filename: string[];
  recursive?: boolean;
  dryRun: string;
}

export const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function applyCommand(): Command {
  return withClientFlags(new Command('apply'))
    .description('create or update objects from manifests (client-side apply with a three-way merge)')
    .option('-f, --filename <path>', 'file, directory, or - for stdin (repeatable)', collect, [])
    .option('-R, --recursive', 'read directories given to -f recursively')
    .option('--dry-run <mode>', 'none or server (validated and defaulted by the server, not stored)', 'none')
    .action(action(async (s: Session, flags: ApplyFlags) => {
      if (flags.dryRun !== 'none' && flags.dryRun !== 'server') throw new CliError(`--dry-run: only "none" and "server" are supported, got "${flags.dryRun}"`);
      const dryRun = flags.dryRun === 'server';
      const manifests = await readManifests(flags.filename, flags.recursive === true);
      let failed = false;
      for (const m of manifests) {
        try {
          const { name, verb } = await applyOne(s, m, dryRun);
          process.stdout.write(`${name} ${verb}${dryRun ? ' (server dry run)' : ''}\n`);
        } catch (err) {
          failed = true;
          process.stderr.write(`${errorLine(err)}\n`);
        }
      }
      if (failed) process.exitCode = 1;
    }));
}

async function applyOne(s: Session, m: Manifest, dryRun: boolean): Promise<{ name: string; verb: string }> {
  const rt = resolveKind(m.obj.apiVersion, m.obj.kind, m.source);
  const name = m.obj.metadata?.name;
  if (!name) throw new CliError(`error when retrieving current configuration of ${m.source}: resource name may not be empty`);
  let ns: string | undefined;
  if (rt.namespaced) {
    ns = m.obj.metadata?.namespace ?? s.namespace;
    if (s.namespaceFlag && m.obj.metadata?.namespace && m.obj.metadata.namespace !== s.namespace) {
      throw new CliError(`the namespace from the provided object "${m.obj.metadata.namespace}" does not match the namespace "${s.namespace}". You must pass '--namespace=${m.obj.metadata.namespace}' to perform this operation.`);
    }
  }
  const client = clientFor(s.cs, rt);
  const modified = withLastApplied(m.obj, ns);
  const label = `${kindPrefix(rt)}/${name}`;
  for (let attempt = 0; ; attempt++) {
    let current: KubeObject;
    try {
      current = await client.get(ns, name);
    } catch (err) {
      if (!isNotFound(err)) throw wrap(err, 'retrieving current configuration of', m.source);
      try {
        await client.create(ns, modified as KubeObject, { dryRun, fieldManager: 'skiff-client-side-apply' });
      } catch (e) {
        throw wrap(e, 'creating', m.source);
      }
      return { name: label, verb: 'created' };
    }
    const annotation = current.metadata?.annotations?.[lastAppliedAnnotation];
    const original = annotation ? (JSON.parse(annotation) as JsonObject) : undefined;
    const patch = threeWayMergePatch(original, modified, current as unknown as JsonObject);
    if (Object.keys(patch).length === 0) return { name: label, verb: 'unchanged' };
    try {
      await client.patch(ns, name, patch, 'merge', { dryRun, fieldManager: 'skiff-client-side-apply' });
      return { name: label, verb: 'configured' };
    } catch (err) {
      // Someone wrote in between: read again and recompute, as kubectl does.
      if (isConflict(err) && attempt < 5) continue;
      throw wrap(err, 'patching', m.source);
    }
  }
}

/** The config plus its own canonical JSON as the last-applied annotation (namespace filled in). */
function withLastApplied(obj: KubeObject, ns: string | undefined): JsonObject {
  const config = structuredClone(obj) as JsonObject & KubeObject;
  const meta = (config.metadata ??= {});
  if (ns !== undefined) meta.namespace = ns;
  const annotations = { ...(meta.annotations ?? {}) };
  delete annotations[lastAppliedAnnotation];
  if (Object.keys(annotations).length > 0) meta.annotations = annotations;
  else delete meta.annotations;
  const text = `${canonicalJson(config)}\n`;
  const modified = structuredClone(config);
  modified.metadata = { ...modified.metadata, annotations: { ...annotations, [lastAppliedAnnotation]: text } };
  return modified;
}

/** kubectl's `error when creating "file": …` context on the server's message. */
function wrap(err: unknown, doing: string, source: string): unknown {
  if (!(err instanceof ApiError)) return err;
  return new ApiError(err.code, err.reason, `error when ${doing} "${source}": ${err.message}`, err.status);
}
