// API errors as Kubernetes `Status` objects. Handlers throw ApiError; the HTTP layer renders it.
import type { FieldError, ResourceType } from '../api/resource.js';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field?: string }[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  /** The Status as Kubernetes writes it: `details.group` only for a named group (omitempty). */
  toStatus(): Record<string, unknown> {
    let details: StatusDetails | undefined = this.details;
    if (details?.group === '') {
      const { group: _core, ...rest } = details;
      details = rest;
    }
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(details ? { details } : {}),
      code: this.code,
    };
  }
}

/** `deployments.apps` — how Kubernetes names a resource in messages. */
export function qualifiedResource(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

export const notFound = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new ApiError(404, 'NotFound', `${qualifiedResource(rt)} "${name}" not found`, { name, group: rt.group, kind: rt.plural });

export const alreadyExists = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string) =>
  new ApiError(409, 'AlreadyExists', `${qualifiedResource(rt)} "${name}" already exists`, { name, group: rt.group, kind: rt.plural });

export const conflict = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') =>
  new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(rt)} "${name}": ${why}`, { name, group: rt.group, kind: rt.plural });

export const badRequest = (message: string) => new ApiError(400, 'BadRequest', message);

export const forbidden = (rt: Pick<ResourceType, 'group' | 'plural'>, name: string, why: string) =>
  new ApiError(403, 'Forbidden', `${qualifiedResource(rt)} "${name}" is forbidden: ${why}`, { name, group: rt.group, kind: rt.plural });

export const gone = (message: string) => new ApiError(410, 'Expired', message);

export const methodNotAllowed = (message = 'the server does not allow this method on the requested resource') =>
  new ApiError(405, 'MethodNotAllowed', message);

export function invalid(rt: Pick<ResourceType, 'group' | 'kind'>, name: string, errors: FieldError[]): ApiError {
  const parts = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message));
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const kind = rt.group ? `${rt.kind}.${rt.group}` : rt.kind;
  return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${joined}`, {
    name,
    group: rt.group,
    kind: rt.kind,
    causes: errors.map((e) => ({ reason: e.reason, message: e.field ? `${e.message}` : e.message, field: e.field })),
  });
}

export const internal = (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
