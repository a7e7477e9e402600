// The audit log: one audit.k8s.io/v1 Event per request as a JSON line, at the level the policy's
// first matching rule gives (None, Metadata, Request, RequestResponse), written when the response
// completes, to a file rotated by size.
import { randomUUID } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { AuditSink, RequestContext } from './pipeline.js';

export type AuditLevel = 'None' | 'Metadata' | 'Request' | 'RequestResponse';
const levels: AuditLevel[] = ['None', 'Metadata', 'Request', 'RequestResponse'];

interface PolicyRule {
  level: AuditLevel;
  users?: string[];
  userGroups?: string[];
  verbs?: string[];
  resources?: Array<{ group?: string; resources?: string[]; resourceNames?: string[] }>;
  namespaces?: string[];
  nonResourceURLs?: string[];
}

/** Parses an audit.k8s.io/v1 Policy; errors name the rule. */
export function parseAuditPolicy(text: string, source: string): PolicyRule[] {
  const doc = parseYaml(text) as { kind?: string; rules?: PolicyRule[] } | null;
  if (doc?.kind !== 'Policy') throw new Error(`${source}: want an audit.k8s.io/v1 Policy`);
  const rules = doc.rules ?? [];
  for (const [i, r] of rules.entries()) {
    if (!levels.includes(r.level)) throw new Error(`${source}: rules[${i}].level: Unsupported value: "${String(r.level)}": supported values: ${levels.map((l) => `"${l}"`).join(', ')}`);
  }
  return rules;
}

const matchList = (list: string[] | undefined, v: string): boolean => !list || list.includes(v);

function levelFor(rules: PolicyRule[], ctx: RequestContext): AuditLevel {
  const a = ctx.attributes;
  for (const r of rules) {
    if (!matchList(r.users, a.user.name)) continue;
    if (r.userGroups && !a.user.groups.some((g) => r.userGroups!.includes(g))) continue;
    if (!matchList(r.verbs, a.verb)) continue;
    if (a.resourceRequest) {
      if (r.nonResourceURLs) continue;
      if (r.namespaces && !r.namespaces.includes(a.namespace)) continue;
      const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
      if (r.resources && !r.resources.some((g) => (g.group ?? '') === a.apiGroup && matchList(g.resources, res) && matchList(g.resourceNames, a.name))) continue;
    } else {
      if (r.resources || r.namespaces) continue;
      if (r.nonResourceURLs && !r.nonResourceURLs.some((u) => u === a.path || (u.endsWith('*') && a.path.startsWith(u.slice(0, -1))))) continue;
    }
    return r.level;
  }
  return 'None';
}

/** A JSON-lines file that starts a new one when it passes `maxBytes`, keeping `maxBackups` old ones. */
class RotatingFile {
  private out: WriteStream;
  private size: number;

  constructor(private readonly path: string, private readonly maxBytes: number, private readonly maxBackups: number) {
    this.size = existsSync(path) ? statSync(path).size : 0;
    this.out = createWriteStream(path, { flags: 'a', mode: 0o600 });
  }

  write(line: string): void {
    if (this.maxBytes > 0 && this.size + line.length > this.maxBytes && this.size > 0) this.rotate();
    this.size += Buffer.byteLength(line);
    this.out.write(line);
  }

  private rotate(): void {
    this.out.end();
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    renameSync(this.path, `${this.path.replace(/\.log$/, '')}-${stamp}.log`);
    const prefix = basename(this.path).replace(/\.log$/, '-');
    const old = readdirSync(dirname(this.path)).filter((f) => f.startsWith(prefix)).sort();
    for (const f of old.slice(0, Math.max(0, old.length - this.maxBackups))) rmSync(join(dirname(this.path), f), { force: true });
    this.out = createWriteStream(this.path, { flags: 'a', mode: 0o600 });
    this.size = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}

const responseBodies = new WeakMap<ServerResponse, string>();
const wantsResponse = new WeakSet<ServerResponse>();

/** Keeps a response body for a RequestResponse-level event (a no-op for any other request). */
export function rememberResponseBody(res: ServerResponse, body: string): void {
  if (wantsResponse.has(res)) responseBodies.set(res, body);
}

function parsed(text: string | Buffer | undefined): unknown {
  if (text === undefined || text.length === 0) return undefined;
  try {
    return JSON.parse(text.toString());
  } catch {
    return undefined;
  }
}

export class AuditLog implements AuditSink {
  private readonly file: RotatingFile;

  constructor(private readonly rules: PolicyRule[], path: string, opts: { maxSizeMb?: number; maxBackups?: number } = {}) {
    this.file = new RotatingFile(path, (opts.maxSizeMb ?? 100) * 1024 * 1024, opts.maxBackups ?? 10);
  }

  requestReceived(ctx: RequestContext, req: IncomingMessage, res?: ServerResponse): void {
    const level = levelFor(this.rules, ctx);
    if (level === 'None') return;
    const received = new Date().toISOString();
    const a = ctx.attributes;
    const base = {
      kind: 'Event', apiVersion: 'audit.k8s.io/v1', level, auditID: randomUUID(), stage: 'ResponseComplete', requestURI: req.url, verb: a.verb,
      user: { username: a.user.name, ...(a.user.uid ? { uid: a.user.uid } : {}), groups: a.user.groups },
      sourceIPs: [req.socket.remoteAddress ?? ''], ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
      ...(a.resourceRequest ? {
        objectRef: {
          resource: a.resource, ...(a.namespace ? { namespace: a.namespace } : {}), ...(a.name ? { name: a.name } : {}),
          apiGroup: a.apiGroup, apiVersion: a.apiVersion, ...(a.subresource ? { subresource: a.subresource } : {}),
        },
      } : {}),
    };
    if (!res) return this.emit({ ...base, stage: 'ResponseStarted', requestReceivedTimestamp: received, stageTimestamp: received });
    if (level === 'RequestResponse') wantsResponse.add(res);
    res.once('close', () => {
      const body = a.verb === 'create' || level !== 'Metadata' ? parsed((req as { body?: Buffer }).body) : undefined;
      const requestObject = level === 'Metadata' ? undefined : body;
      const responseObject = level === 'RequestResponse' ? parsed(responseBodies.get(res)) : undefined;
      // A create names its object in the body, not the URL.
      const created = (body as { metadata?: { name?: unknown } } | undefined)?.metadata?.name;
      const objectRef = base.objectRef && !base.objectRef.name && typeof created === 'string' ? { objectRef: { ...base.objectRef, name: created } } : {};
      this.emit({
        ...base, ...objectRef, responseStatus: { metadata: {}, code: res.statusCode },
        ...(requestObject !== undefined ? { requestObject } : {}), ...(responseObject !== undefined ? { responseObject } : {}),
        requestReceivedTimestamp: received, stageTimestamp: new Date().toISOString(),
      });
    });
  }

  private emit(event: object): void {
    this.file.write(`${JSON.stringify(event)}\n`);
  }

  close(): Promise<void> {
    return this.file.close();
  }
}
