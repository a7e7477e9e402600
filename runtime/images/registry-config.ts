// Registry mirrors, endpoints, credentials and TLS from a registries.yaml in k3s's format:
//
//   mirrors:
//     docker.io:
//       endpoint: ["http://127.0.0.1:5000", "https://mirror.example.com"]
//       rewrite: { "^library/(.*)": "mirrored/$1" }
//   configs:
//     "mirror.example.com":
//       auth: { username: u, password: p }        # or auth: <base64 user:pass>, identity_token
//       tls: { ca_file: …, cert_file: …, key_file: …, insecure_skip_verify: false }
//
// A pull tries the mirror endpoints in order, then the registry itself (as k3s and containerd
// do). Plain HTTP only where an endpoint says http://, or for a loopback registry (after HTTPS
// failed, as containerd does for localhost).
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

const authSchema = z.object({ username: z.string().optional(), password: z.string().optional(), auth: z.string().optional(), identity_token: z.string().optional() }).strict();
const tlsSchema = z.object({ ca_file: z.string().optional(), cert_file: z.string().optional(), key_file: z.string().optional(), insecure_skip_verify: z.boolean().optional() }).strict();
const fileSchema = z
  .object({
    mirrors: z.record(z.string(), z.object({ endpoint: z.array(z.string().url()).optional(), rewrite: z.record(z.string(), z.string()).optional() }).strict()).optional(),
    configs: z.record(z.string(), z.object({ auth: authSchema.optional(), tls: tlsSchema.optional() }).strict()).optional(),
  })
  .strict();

export type RegistryAuth = z.infer<typeof authSchema>;
export type RegistryTls = z.infer<typeof tlsSchema>;
export type RegistriesFile = z.infer<typeof fileSchema>;

export interface Endpoint {
  /** Base URL; requests go to <base>/v2/…. */
  base: URL;
  /** Whether this endpoint is a mirror (rewrites apply) rather than the registry itself. */
  mirror: boolean;
  /** Try plain HTTP when HTTPS fails (loopback registries only). */
  httpFallback: boolean;
  auth?: RegistryAuth;
  tls?: RegistryTls;
  rewrite?: Record<string, string>;
}

export function loadRegistriesFile(path: string): RegistriesFile {
  let doc: unknown;
  try {
    doc = parse(readFileSync(path, 'utf8')) ?? {};
  } catch (err) {
    throw new Error(`--registry-config ${path}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`--registry-config ${path}: ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

const isLoopback = (host: string): boolean => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(host);

function baseUrl(endpoint: string): URL {
  const u = new URL(endpoint);
  u.pathname = u.pathname.replace(/\/+$/, '').replace(/\/v2$/, '');
  return u;
}

/** The endpoints to try for `registry` (docker.io, host:port), in order. */
export function endpointsFor(registry: string, file: RegistriesFile = {}): Endpoint[] {
  const configFor = (host: string): { auth?: RegistryAuth; tls?: RegistryTls } => file.configs?.[host] ?? {};
  const mirror = file.mirrors?.[registry] ?? file.mirrors?.['*'];
  const out: Endpoint[] = [];
  for (const e of mirror?.endpoint ?? []) {
    const base = baseUrl(e);
    out.push({ base, mirror: true, httpFallback: false, ...configFor(base.host), ...(mirror?.rewrite ? { rewrite: mirror.rewrite } : {}) });
  }
  const own = registry === 'docker.io' ? 'https://registry-1.docker.io' : `https://${registry}`;
  if (!out.some((e) => e.base.href === baseUrl(own).href)) {
    out.push({ base: baseUrl(own), mirror: false, httpFallback: isLoopback(registry), ...configFor(registry) });
  }
  return out;
}

/** The repository path on a mirror after its first matching rewrite rule. */
export function rewriteRepository(repository: string, rewrite: Record<string, string> | undefined): string {
  for (const [pattern, replacement] of Object.entries(rewrite ?? {})) {
    const re = new RegExp(pattern);
    if (re.test(repository)) return repository.replace(re, replacement);
  }
  return repository;
}
