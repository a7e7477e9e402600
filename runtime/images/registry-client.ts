// The client side of the OCI distribution API for one repository: manifests by tag or digest
// (with the Accept headers registries need to return OCI and Docker schema 2 documents), blobs
// as streams. Endpoints (mirrors first, then the registry) are tried in order; each request
// answers a 401 challenge once (auth.ts), follows redirects (blob CDNs) without leaking the
// Authorization header to another host, and uses the system CAs or the endpoint's TLS config.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import type { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import type { AuthConfig } from '../../proto/index.js';
import { basicHeader, credentialsFrom, fetchToken, parseChallenge, type Credentials } from './auth.js';
import { endpointsFor, rewriteRepository, type Endpoint, type RegistriesFile, type RegistryTls } from './registry-config.js';
import type { Reference } from '../../proto/image-reference.js';

export const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
];
const MAX_MANIFEST = 4 * 1024 * 1024;

export class RegistryError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

const SYSTEM_CA_FILES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt'];
let systemCas: string[] | undefined;
/** The system's CA bundle (Debian's ca-certificates), else Node's built-in Mozilla list. */
function systemCa(): string[] {
  systemCas ??= (() => {
    const file = SYSTEM_CA_FILES.find((f) => existsSync(f));
    return file ? [readFileSync(file, 'utf8')] : [...rootCertificates];
  })();
  return systemCas;
}

const agents = new Map<string, Dispatcher>();
function agentFor(tls: RegistryTls | undefined): Dispatcher {
  const key = JSON.stringify(tls ?? {});
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({
      connect: {
        ca: tls?.ca_file ? [...systemCa(), readFileSync(tls.ca_file, 'utf8')] : systemCa(),
        ...(tls?.cert_file ? { cert: readFileSync(tls.cert_file) } : {}),
        ...(tls?.key_file ? { key: readFileSync(tls.key_file) } : {}),
        rejectUnauthorized: !tls?.insecure_skip_verify,
      },
      headersTimeout: 60_000,
      bodyTimeout: 120_000,
    });
    agents.set(key, agent);
  }
  return agent;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Readable & { text(): Promise<string>; dump(): Promise<void> };
}

const header = (a: Answer, name: string): string | undefined => {
  const v = a.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export interface ManifestAnswer {
  mediaType: string;
  digest: string;
  body: Buffer;
}

export class RegistryClient {
  private readonly endpoints: Endpoint[];
  /** The endpoint that answered the manifest; blobs come from it first. */
  private preferred: Endpoint | undefined;
  private readonly tokens = new Map<string, string>();

  constructor(
    private readonly ref: Reference,
    registries: RegistriesFile,
    private readonly auth: AuthConfig | null | undefined,
  ) {
    this.endpoints = endpointsFor(ref.registry, registries);
  }

  private repository(e: Endpoint): string {
    return e.mirror ? rewriteRepository(this.ref.repository, e.rewrite) : this.ref.repository;
  }

  private credentials(e: Endpoint): Credentials | undefined {
    // Mirrors get their own configured credentials; the kubelet's are for the registry it named.
    return credentialsFrom(e.mirror ? undefined : this.auth, e.auth);
  }

  /** One request against one endpoint: redirects, one 401 challenge, HTTP fallback for loopback. */
  private async send(e: Endpoint, path: string, accept: string[]): Promise<Answer> {
    const repo = this.repository(e);
    const scope = `repository:${repo}:pull`;
    let base = e.base;
    const go = async (authorization: string | undefined): Promise<Answer> => {
      let url = new URL(`${base.href.replace(/\/$/, '')}/v2/${repo}/${path}`);
      for (let hop = 0; ; hop++) {
        const sameHost = url.host === base.host;
        const res = (await request(url, {
          method: 'GET',
          dispatcher: agentFor(e.tls),
          headers: { accept: accept.join(', '), 'user-agent': 'skiff/0.1', ...(authorization && sameHost ? { authorization } : {}) },
        })) as unknown as { statusCode: number; headers: Answer['headers']; body: Answer['body'] };
        const answer: Answer = { status: res.statusCode, headers: res.headers, body: res.body };
        const location = header(answer, 'location');
        if (answer.status >= 300 && answer.status < 400 && location && hop < 5) {
          await answer.body.dump();
          url = new URL(location, url);
          continue;
        }
        return answer;
      }
    };
    const first = async (): Promise<Answer> => {
      const cached = this.tokens.get(`${base.host}|${scope}`);
      return go(cached);
    };
    let answer: Answer;
    try {
      answer = await first();
    } catch (err) {
      if (!e.httpFallback || base.protocol !== 'https:') throw err;
      base = new URL(base.href.replace(/^https:/, 'http:'));
      e.base = base;
      answer = await first();
    }
    if (answer.status !== 401) return answer;
    const challenge = parseChallenge(header(answer, 'www-authenticate') ?? '');
    await answer.body.dump();
    const creds = this.credentials(e);
    let authorization: string;
    if (creds?.registryToken) authorization = `Bearer ${creds.registryToken}`;
    else if (challenge?.scheme === 'bearer') {
      const token = await fetchToken(challenge, scope, creds, async (url, init) => {
        const res = await request(url, { method: init.method, headers: init.headers, body: init.body ?? null, dispatcher: agentFor(e.tls) });
        return { status: res.statusCode, text: await res.body.text() };
      });
      authorization = `Bearer ${token}`;
    } else if (challenge?.scheme === 'basic' && creds?.username !== undefined) authorization = basicHeader(creds);
    else throw new RegistryError(`unauthorized: ${base.host} requires credentials${challenge ? ` (${challenge.scheme})` : ''} and none were given`, 401);
    this.tokens.set(`${base.host}|${scope}`, authorization);
    answer = await go(authorization);
    if (answer.status === 401) {
      await answer.body.dump();
      throw new RegistryError(`unauthorized: ${base.host} refused the credentials for ${repo}`, 401);
    }
    return answer;
  }

  /** Tries each endpoint in order; the last error (or the registry's own answer) wins. */
  private async fromEndpoints(path: string, accept: string[], what: string): Promise<{ answer: Answer; endpoint: Endpoint }> {
    const order = this.preferred ? [this.preferred, ...this.endpoints.filter((e) => e !== this.preferred)] : this.endpoints;
    let lastError: Error | undefined;
    for (const e of order) {
      try {
        const answer = await this.send(e, path, accept);
        if (answer.status === 200) return { answer, endpoint: e };
        const text = (await answer.body.text()).slice(0, 300);
        lastError = new RegistryError(answer.status === 404 ? `${what} not found at ${e.base.host}` : `${e.base.host} answered HTTP ${answer.status} for ${what}: ${text}`, answer.status);
      } catch (err) {
        lastError = err instanceof RegistryError ? err : new RegistryError(`${e.base.host}: ${describe(err)}`);
      }
    }
    throw lastError ?? new RegistryError(`no endpoint for ${this.ref.registry}`);
  }

  /** A manifest or index by tag or digest; the digest is checked when it was asked for. */
  async manifest(reference: string): Promise<ManifestAnswer> {
    const { answer, endpoint } = await this.fromEndpoints(`manifests/${reference}`, MANIFEST_TYPES, `manifest ${reference}`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_MANIFEST) {
        answer.body.destroy();
        throw new RegistryError(`manifest ${reference} is larger than ${MAX_MANIFEST} bytes`);
      }
      chunks.push(chunk);
    }
    const body = Buffer.concat(chunks);
    const digest = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    if (reference.startsWith('sha256:') && digest !== reference) throw new RegistryError(`manifest ${reference}: content has digest ${digest}`);
    this.preferred ??= endpoint;
    const mediaType = (header(answer, 'content-type') ?? '').split(';')[0]?.trim() || ((JSON.parse(body.toString()) as { mediaType?: string }).mediaType ?? '');
    return { mediaType, digest, body };
  }

  /** A blob as a stream (the caller verifies size and digest while it reads). */
  async blob(digest: string): Promise<Readable> {
    const { answer } = await this.fromEndpoints(`blobs/${digest}`, ['*/*'], `blob ${digest}`);
    return answer.body;
  }
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { message?: string; code?: string } };
  return [e.message, e.cause?.code ?? e.cause?.message].filter(Boolean).join(': ');
}
