// Bearer-token authentication against Kubernetes' static token file (`--token-auth-file`):
// one `token,user,uid[,"group1,group2"]` line per identity. Authorization (RBAC) is not here yet:
// every authenticated user may do everything.
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors.js';

export interface UserInfo {
  name: string;
  uid: string;
  groups: string[];
}

/** Paths anyone may read, as kube-apiserver lets probes and version checks through. */
const publicPaths = new Set(['/healthz', '/readyz', '/livez', '/version']);

/** Splits one CSV line, honouring double quotes (the groups column is quoted). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

// Tokens are kept by their hash, so a lookup takes no time that depends on how much of a guess matched.
const digest = (token: string): string => createHash('sha256').update(token).digest('hex');

export class TokenAuthenticator {
  private constructor(private readonly byHash: Map<string, UserInfo>) {}

  /** Parses the file's text; `source` names it in errors. */
  static parse(text: string, source: string): TokenAuthenticator {
    const byHash = new Map<string, UserInfo>();
    for (const [i, raw] of text.split('\n').entries()) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#')) continue;
      const [token, name, uid, groups] = csvFields(line);
      if (!token || !name || !uid) throw new Error(`${source}:${i + 1}: want token,user,uid[,"groups"]`);
      byHash.set(digest(token), { name, uid, groups: (groups ?? '').split(',').map((g) => g.trim()).filter(Boolean) });
    }
    if (byHash.size === 0) throw new Error(`${source}: no tokens`);
    return new TokenAuthenticator(byHash);
  }

  /** The user a request's `Authorization: Bearer` header names, or undefined. */
  authenticate(header: string | undefined): UserInfo | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m ? this.byHash.get(digest(m[1]!)) : undefined;
  }

  /** Express middleware: 401 Status for anything but the public paths without a valid token. */
  middleware() {
    return (req: Request, res: Response, next: NextFunction): void => {
      if (publicPaths.has(req.path)) return next();
      const user = this.authenticate(req.get('authorization'));
      if (!user) {
        next(new ApiError(401, 'Unauthorized', 'Unauthorized'));
        return;
      }
      res.locals.user = user;
      next();
    };
  }
}
