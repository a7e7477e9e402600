// Turning what a user typed (`po`, `deploy/web`, `deployments.apps`) or a manifest's
// apiVersion/kind into a served resource and a client for it, and naming objects as kubectl does.
import { findByKind, findByName } from '../../api/registry.js';
import type { ResourceType } from '../../api/resource.js';
import type { Clientset, KubeObject, ResourceClient } from '../../client/index.js';
import { CliError } from './session.js';

export function resolveType(typed: string): ResourceType {
  const rt = findByName(typed);
  if (!rt) throw new CliError(`the server doesn't have a resource type "${typed}"`);
  return rt;
}

export function resolveKind(apiVersion: string | undefined, kind: string | undefined, source: string): ResourceType {
  if (!apiVersion || !kind) throw new CliError(`${source}: apiVersion and kind must be set`);
  const rt = findByKind(apiVersion, kind);
  if (!rt) throw new CliError(`${source}: no matches for kind "${kind}" in version "${apiVersion}"`);
  return rt;
}

export function clientFor(cs: Clientset, rt: ResourceType): ResourceClient<KubeObject> {
  return cs.resource<KubeObject>(rt.plural);
}

/** `deployment.apps`, `service`: kubectl's kind prefix of `-o name` and of apply's lines. */
export function kindPrefix(rt: ResourceType): string {
  return rt.group ? `${rt.kind.toLowerCase()}.${rt.group}` : rt.kind.toLowerCase();
}

/** `deployments.apps`, `pods`: the resource as the server's messages name it. */
export function pluralName(rt: ResourceType): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

export interface Target {
  rt: ResourceType;
  name?: string;
}

/**
 * kubectl's argument forms: `TYPE`, `TYPE NAME...`, `TYPE1,TYPE2`, or `TYPE/NAME...` (all
 * arguments then need the slash form).
 */
export function parseTargets(args: string[]): Target[] {
  if (args.length === 0) throw new CliError('you must specify the type of resource to get');
  if (args[0]!.includes('/')) {
    return args.map((a) => {
      const i = a.indexOf('/');
      if (i <= 0 || i === a.length - 1) throw new CliError(`arguments in resource/name form must have a single resource and name: "${a}"`);
      return { rt: resolveType(a.slice(0, i)), name: a.slice(i + 1) };
    });
  }
  const types = args[0]!.split(',').filter(Boolean).flatMap(expandCategory);
  const names = args.slice(1);
  if (names.some((n) => n.includes('/'))) throw new CliError('there is no need to specify a resource type as a separate argument when passing arguments in resource/name form');
  if (names.length === 0) return types.map((rt) => ({ rt }));
  return types.flatMap((rt) => names.map((name) => ({ rt, name })));
}

function expandCategory(typed: string): ResourceType[] {
  if (typed === 'all') {
    // kubectl's order for the `all` category.
    return ['pods', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets', 'cronjobs', 'jobs'].map((p) => resolveType(p));
  }
  return [resolveType(typed)];
}
