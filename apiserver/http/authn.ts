// Authentication: who a request comes from. X.509 client certificates signed by the cluster CA
// (CN = user, O = groups, as Kubernetes reads them) and bearer tokens from Kubernetes' static
// token file (`--token-auth-file`: one `token,user,uid[,"group1,group2"]` line per identity).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { withAuthenticated, type UserInfo } from '../auth/user.js';

export type { UserInfo } from '../auth/user.js';

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
}

const clientAuthOid = '1.3.6.1.5.5.7.3.2';

/**
 * The user of a verified client certificate. The TLS server asks for one and checks it against
 * the client CA (`authorized`); a certificate that fails the check authenticates nobody.
 */
export function certificateUser(req: IncomingMessage): UserInfo | undefined {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted || !socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  const cn = cert?.subject?.CN;
  if (!cn || typeof cn !== 'string') return undefined;
  if (cert.ext_key_usage && !cert.ext_key_usage.includes(clientAuthOid)) return undefined;
  const o = cert.subject.O as string | string[] | undefined;
  return { name: cn, uid: '', groups: o === undefined ? [] : Array.isArray(o) ? o : [o] };
}

export interface RequestAuthenticator {
  /** The request's user (with system:authenticated), or undefined when it proves nobody. */
  authenticate(req: IncomingMessage): UserInfo | undefined;
}

/** Client certificate first, then the bearer token, as kube-apiserver orders them. */
export function requestAuthenticator(opts: { tokens?: TokenAuthenticator; clientCerts: boolean }): RequestAuthenticator {
  return {
    authenticate(req) {
      const user = (opts.clientCerts ? certificateUser(req) : undefined) ?? opts.tokens?.authenticate(req.headers.authorization);
      return user && withAuthenticated(user);
    },
  };
}
