// Registry authentication as Docker Hub does it: a 401 carries
// `WWW-Authenticate: Bearer realm="…",service="…",scope="…"`; the client fetches a token from the
// realm (anonymously, with Basic credentials over GET, or with an identity token over the OAuth
// POST form) and retries with `Authorization: Bearer <token>`. A `Basic` challenge is answered with
// the credentials directly. Credentials come from the CRI AuthConfig, else from registries.yaml.
import type { AuthConfig } from '../../proto/index.js';
import type { RegistryAuth } from './registry-config.js';

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth refresh token (Docker's identity token). */
  identityToken?: string;
  /** A bearer token to send as is. */
  registryToken?: string;
}

export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="https://auth",service="x",scope="a,b"` (quoted values may hold commas). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m?.[1]) return undefined;
  const params: Record<string, string> = {};
  const re = /([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/g;
  for (const p of (m[2] ?? '').matchAll(re)) if (p[1]) params[p[1].toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1].toLowerCase(), params };
}

function decodeAuth(auth: string): { username: string; password: string } | undefined {
  const text = Buffer.from(auth, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon === -1 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Credentials from the kubelet's AuthConfig, else from the registries.yaml entry. */
export function credentialsFrom(cri: AuthConfig | null | undefined, file: RegistryAuth | undefined): Credentials | undefined {
  for (const src of [cri ? { username: cri.username, password: cri.password, auth: cri.auth, identity_token: cri.identityToken, registry_token: cri.registryToken } : undefined, file]) {
    if (!src) continue;
    const s = src as RegistryAuth & { registry_token?: string };
    if (s.registry_token) return { registryToken: s.registry_token };
    if (s.identity_token) return { identityToken: s.identity_token, ...(s.username ? { username: s.username } : {}) };
    if (s.username) return { username: s.username, password: s.password ?? '' };
    const decoded = s.auth ? decodeAuth(s.auth) : undefined;
    if (decoded) return decoded;
  }
  return undefined;
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username ?? ''}:${c.password ?? ''}`).toString('base64')}`;
}

export type TokenFetcher = (url: URL, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }) => Promise<{ status: number; text: string }>;

/** Fetches a bearer token for `challenge`; throws with the realm's answer when refused. */
export async function fetchToken(challenge: Challenge, defaultScope: string, creds: Credentials | undefined, send: TokenFetcher): Promise<string> {
  const realm = challenge.params.realm;
  if (!realm) throw new Error('registry sent a Bearer challenge without a realm');
  const service = challenge.params.service ?? '';
  const scope = challenge.params.scope ?? defaultScope;
  let res: { status: number; text: string };
  if (creds?.identityToken) {
    const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, service, scope, client_id: 'skiff' });
    res = await send(new URL(realm), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
  } else {
    const url = new URL(realm);
    if (service) url.searchParams.set('service', service);
    for (const s of scope.split(' ').filter(Boolean)) url.searchParams.append('scope', s);
    const headers: Record<string, string> = creds?.username !== undefined ? { authorization: basicHeader(creds) } : {};
    res = await send(url, { method: 'GET', headers });
    if ((res.status === 404 || res.status === 405) && creds?.username !== undefined) {
      // Some token servers only speak the OAuth2 password grant.
      const form = new URLSearchParams({ grant_type: 'password', username: creds.username, password: creds.password ?? '', service, scope, client_id: 'skiff' });
      res = await send(new URL(realm), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    }
  }
  if (res.status === 401 || res.status === 403) throw new Error(`unauthorized: the token server ${realm} refused the credentials (HTTP ${res.status})`);
  if (res.status >= 300) throw new Error(`token server ${realm} answered HTTP ${res.status}: ${res.text.slice(0, 200)}`);
  const body = JSON.parse(res.text) as { token?: string; access_token?: string };
  const token = body.token ?? body.access_token;
  if (!token) throw new Error(`token server ${realm} returned no token`);
  return token;
}
