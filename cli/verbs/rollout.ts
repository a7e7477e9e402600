// `skiff rollout status|history|undo` for Deployments, as kubectl does them: status watches the
// Deployment until its rollout is complete; history and undo read the ReplicaSets it controls
// (revision annotations); undo copies an old template into the Deployment with a JSON patch.
import { Command } from 'commander';
import type { Deployment, ReplicaSet } from '../../api/index.js';
import { selectorFromLabelSelector } from '../../api/labels.js';
import type { Clientset } from '../../client/index.js';
import { alignRows, Progress } from './format.js';
import { deepEqual, lastAppliedAnnotation, type Json } from './merge.js';
import { parseTargets } from './resources.js';
import { action, CliError, withClientFlags, type Session } from './session.js';
import { parseBool, parseDuration, sleep } from './wait.js';

const revisionAnnotation = 'deployment.kubernetes.io/revision';
const changeCauseAnnotation = 'kubernetes.io/change-cause';

/** The one Deployment a rollout subcommand acts on (`deploy/web` or `deployment web`). */
function deploymentName(args: string[]): string {
  const targets = parseTargets(args);
  const t = targets[0];
  if (targets.length !== 1 || !t || t.name === undefined) throw new CliError('required resource not specified; give TYPE NAME or TYPE/NAME');
  if (t.rt.kind !== 'Deployment') throw new CliError(`no rollout support for ${t.rt.plural}; only deployments are supported`);
  return t.name;
}

export function rolloutCommand(): Command {
  const rollout = new Command('rollout').description('watch, list and undo Deployment rollouts');
  rollout.addCommand(withClientFlags(new Command('status'))
    .description('wait until a rollout is complete, showing its progress')
    .argument('<type[/name]...>', 'deployment NAME or deployment/NAME')
    .option('-w, --watch [bool]', 'keep watching until the rollout completes (--watch=false prints once)', parseBool, true)
    .option('--timeout <duration>', 'give up after this long (0 = never), e.g. 5m', '0')
    .action(action(async (s: Session, args: string[], flags: { watch: boolean; timeout: string }) => {
      await rolloutStatus(s, deploymentName(args), flags.watch, parseDuration(flags.timeout, '--timeout'));
    })));
  rollout.addCommand(withClientFlags(new Command('history'))
    .description('list the revisions of a Deployment')
    .argument('<type[/name]...>', 'deployment NAME or deployment/NAME')
    .option('--revision <n>', 'show the pod template of this revision')
    .action(action(async (s: Session, args: string[], flags: { revision?: string }) => {
      await rolloutHistory(s, deploymentName(args), flags.revision === undefined ? undefined : revisionNumber(flags.revision, '--revision'));
    })));
  rollout.addCommand(withClientFlags(new Command('undo'))
    .description('roll a Deployment back to the previous (or a given) revision')
    .argument('<type[/name]...>', 'deployment NAME or deployment/NAME')
    .option('--to-revision <n>', 'the revision to roll back to (default: the previous one)', '0')
    .action(action(async (s: Session, args: string[], flags: { toRevision: string }) => {
      await rolloutUndo(s, deploymentName(args), revisionNumber(flags.toRevision, '--to-revision'));
    })));
  rollout.addCommand(withClientFlags(new Command('restart'))
    .description('restart every pod of a Deployment through a rolling update')
    .argument('<type[/name]...>', 'deployment NAME or deployment/NAME')
    .action(action(async (s: Session, args: string[]) => {
      const name = deploymentName(args);
      const d = await s.cs.deployments.get(s.namespace, name);
      if (d.spec?.paused) throw new CliError(`can't restart paused deployment (run rollout resume first)`);
      const patch = { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } };
      await s.cs.deployments.patch(s.namespace, name, patch, 'strategic');
      process.stdout.write(`deployment.apps/${name} restarted\n`);
    })));
  for (const [verb, paused] of [['pause', true], ['resume', false]] as const) {
    rollout.addCommand(withClientFlags(new Command(verb))
      .description(paused ? 'stop a Deployment from rolling out template changes' : 'let a paused Deployment roll out again')
      .argument('<type[/name]...>', 'deployment NAME or deployment/NAME')
      .action(action(async (s: Session, args: string[]) => {
        const name = deploymentName(args);
        const d = await s.cs.deployments.get(s.namespace, name);
        if ((d.spec?.paused ?? false) === paused) throw new CliError(`deployments.apps "${name}" ${paused ? 'is already paused' : 'is not paused'}`);
        await s.cs.deployments.patch(s.namespace, name, { spec: { paused: paused || null } }, 'merge');
        process.stdout.write(`deployment.apps/${name} ${paused ? 'paused' : 'resumed'}\n`);
      })));
  }
  return rollout;
}

function revisionNumber(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n)) throw new CliError(`invalid ${flag} "${text}": must be a revision number`);
  return n;
}

/** kubectl's DeploymentStatusViewer: the message, and whether the rollout is complete. */
export function deploymentStatus(d: Deployment): { message: string; done: boolean } {
  const name = d.metadata?.name ?? '';
  const st = d.status ?? {};
  if ((d.metadata?.generation ?? 0) > (st.observedGeneration ?? 0)) return { message: 'Waiting for deployment spec update to be observed...', done: false };
  const progressing = st.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`deployment "${name}" exceeded its progress deadline`);
  const want = d.spec?.replicas ?? 1;
  const updated = st.updatedReplicas ?? 0;
  if (updated < want) return { message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${want} new replicas have been updated...`, done: false };
  if ((st.replicas ?? 0) > updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...`, done: false };
  if ((st.availableReplicas ?? 0) < updated) return { message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...`, done: false };
  return { message: `deployment "${name}" successfully rolled out`, done: true };
}

async function rolloutStatus(s: Session, name: string, watch: boolean, timeoutMs: number): Promise<void> {
  const client = s.cs.deployments;
  const progress = new Progress();
  const abort = new AbortController();
  const timer = timeoutMs > 0 ? setTimeout(() => abort.abort(), timeoutMs) : undefined;
  try {
    let d = await client.get(s.namespace, name);
    for (;;) {
      const st = deploymentStatus(d);
      if (st.done || !watch) {
        progress.done(st.message);
        return;
      }
      progress.update(st.message);
      // Wait for the next change of this one Deployment, then re-evaluate.
      let next: Deployment | undefined;
      let deleted = false;
      const changed = new AbortController();
      const onAbort = (): void => changed.abort();
      abort.signal.addEventListener('abort', onAbort, { once: true });
      try {
        await client.watch(s.namespace, { fieldSelector: `metadata.name=${name}`, resourceVersion: d.metadata?.resourceVersion ?? '' }, (ev) => {
          if (ev.type === 'DELETED') deleted = true;
          else if (ev.type === 'BOOKMARK') return;
          else next = ev.object;
          changed.abort();
        }, changed.signal);
      } catch {
        // A broken or expired watch: read the object again and start over.
        await sleep(200);
      } finally {
        abort.signal.removeEventListener('abort', onAbort);
      }
      if (abort.signal.aborted) {
        progress.done();
        throw new CliError('timed out waiting for the condition');
      }
      if (deleted) {
        progress.done();
        throw new CliError(`deployment "${name}" was deleted`);
      }
      d = next ?? (await client.get(s.namespace, name));
    }
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The ReplicaSets the Deployment controls, oldest revision first. */
async function history(cs: Clientset, ns: string, d: Deployment): Promise<Array<{ revision: number; rs: ReplicaSet }>> {
  const selector = selectorFromLabelSelector(d.spec?.selector).toString();
  const list = await cs.replicaSets.listAll(ns, { labelSelector: selector });
  return list.items
    .filter((rs) => rs.metadata?.ownerReferences?.some((r) => r.controller === true && r.uid === d.metadata?.uid))
    .map((rs) => ({ revision: Number(rs.metadata?.annotations?.[revisionAnnotation] ?? NaN), rs }))
    .filter((h) => Number.isInteger(h.revision))
    .sort((a, b) => a.revision - b.revision);
}

async function rolloutHistory(s: Session, name: string, revision: number | undefined): Promise<void> {
  const d = await s.cs.deployments.get(s.namespace, name);
  const revisions = await history(s.cs, s.namespace, d);
  if (revision !== undefined) {
    const h = revisions.find((r) => r.revision === revision);
    if (!h) throw new CliError(`unable to find the specified revision`);
    const { describeTemplate } = await import('./describe-sections.js');
    process.stdout.write(`deployment.apps/${name} with revision #${revision}\n${describeTemplate(h.rs.spec?.template, '')}\n`);
    return;
  }
  if (revisions.length === 0) {
    process.stdout.write(`No rollout history found in deployment "${name}"\n`);
    return;
  }
  const rows = [['REVISION', 'CHANGE-CAUSE'], ...revisions.map((h) => [String(h.revision), h.rs.metadata?.annotations?.[changeCauseAnnotation] ?? '<none>'])];
  process.stdout.write(`deployment.apps/${name} \n${alignRows(rows, '', 2)}\n\n`);
}

/** Annotations a rollback leaves alone (kubectl's annotationsToSkip). */
const skippedAnnotations = new Set([lastAppliedAnnotation, revisionAnnotation, 'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

async function rolloutUndo(s: Session, name: string, toRevision: number): Promise<void> {
  const d = await s.cs.deployments.get(s.namespace, name);
  if (d.spec?.paused) throw new CliError(`you cannot rollback a paused deployment; resume it first with 'skiff rollout resume deployment/${name}' and try again`);
  const revisions = await history(s.cs, s.namespace, d);
  let target: { revision: number; rs: ReplicaSet } | undefined;
  if (toRevision > 0) {
    target = revisions.find((h) => h.revision === toRevision);
    if (!target) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  } else {
    if (revisions.length === 0) throw new CliError(`no rollout history found for deployment "${name}"`);
    target = revisions[revisions.length - 2];
    if (!target) throw new CliError(`no previous revision found for deployment "${name}"`);
  }
  const template = structuredClone(target.rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  if (deepEqual(template as Json, (d.spec?.template ?? {}) as Json)) {
    process.stdout.write(`deployment.apps/${name} skipped rollback (current template already matches revision ${target.revision})\n`);
    return;
  }
  const annotations: Record<string, string> = { ...(d.metadata?.annotations ?? {}) };
  for (const [k, v] of Object.entries(target.rs.metadata?.annotations ?? {})) if (!skippedAnnotations.has(k)) annotations[k] = v;
  await s.cs.deployments.patch(s.namespace, name, [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ], 'json');
  process.stdout.write(`deployment.apps/${name} rolled back\n`);
}
