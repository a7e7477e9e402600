// Image references as Kubernetes (and Docker) read them: `busybox` is
// docker.io/library/busybox:latest; a first component with a `.` or `:` or `localhost` is a
// registry host; a `@sha256:` digest pins the content (a tag beside it is kept for display only).

export interface Reference {
  /** Registry host as written (docker.io for Docker Hub), with port. */
  registry: string;
  /** Repository path inside the registry (library/busybox). */
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const HOST = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::\d+)?$/;

export class InvalidReferenceError extends Error {}

/** Parses and normalises a reference; throws InvalidReferenceError naming what is wrong. */
export function parseReference(input: string): Reference {
  const raw = input.trim();
  const bad = (why: string): never => {
    throw new InvalidReferenceError(`invalid image reference ${JSON.stringify(input)}: ${why}`);
  };
  if (!raw) bad('empty');
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) bad(`digest ${JSON.stringify(digest)} is not sha256:<64 hex>`);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) bad(`tag ${JSON.stringify(tag)} is not valid`);
  }
  const slash = rest.indexOf('/');
  const first = slash === -1 ? '' : rest.slice(0, slash);
  let registry = 'docker.io';
  let repository = rest;
  if (slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    registry = first;
    repository = rest.slice(slash + 1);
    if (!HOST.test(registry)) bad(`registry host ${JSON.stringify(registry)} is not valid`);
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  for (const c of repository.split('/')) if (!COMPONENT.test(c)) bad(`repository component ${JSON.stringify(c)} must be lower-case letters, digits and separators`);
  if (repository.length > 255) bad('repository name longer than 255 characters');
  if (!tag && !digest) tag = 'latest';
  return { registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

/** registry/repository, the name part of a reference. */
export function repoName(ref: Reference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** docker.io/library/busybox:latest, or name@sha256:… for digest references. */
export function formatReference(ref: Reference): string {
  return ref.digest ? `${repoName(ref)}@${ref.digest}` : `${repoName(ref)}:${ref.tag ?? 'latest'}`;
}

/** Normalised form of a reference string (the input unchanged if it does not parse). */
export function normalizeImage(input: string): string {
  try {
    return formatReference(parseReference(input));
  } catch {
    return input.trim();
  }
}
