// Where the API is and how to prove who we are: read from a standard kubeconfig file, the same
// one kubectl reads, so every component is configured exactly like a user's client.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export interface ClientConfig {
  server: string;
  /** PEM of the CA that signed the apiserver's certificate (https only). */
  caPem?: string;
  token?: string;
  certPem?: string;
  keyPem?: string;
  /** Skip verifying the server certificate (kubeconfig's insecure-skip-tls-verify). */
  insecure?: boolean;
}

interface NamedCluster { name: string; cluster: Record<string, unknown> }
interface NamedUser { name: string; user: Record<string, unknown> }
interface NamedContext { name: string; context: { cluster?: string; user?: string } }

/** Reads the current context of a kubeconfig (or `context`). Throws a one-line error naming what is wrong. */
export function loadKubeconfig(path: string, context?: string): ClientConfig {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(readFileSync(path, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`kubeconfig ${path}: ${(err as Error).message}`);
  }
  const base = dirname(resolve(path));
  const ctxName = context ?? (doc['current-context'] as string | undefined);
  const contexts = (doc.contexts ?? []) as NamedContext[];
  const ctx = contexts.find((c) => c.name === ctxName)?.context;
  if (!ctx) throw new Error(`kubeconfig ${path}: context "${ctxName ?? ''}" not found`);
  const cluster = ((doc.clusters ?? []) as NamedCluster[]).find((c) => c.name === ctx.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== 'string') throw new Error(`kubeconfig ${path}: cluster "${ctx.cluster ?? ''}" has no server`);
  const user = ((doc.users ?? []) as NamedUser[]).find((u) => u.name === ctx.user)?.user ?? {};
  const pem = (data: unknown, file: unknown): string | undefined => {
    if (typeof data === 'string') return Buffer.from(data, 'base64').toString('utf8');
    if (typeof file === 'string') return readFileSync(resolve(base, file), 'utf8');
    return undefined;
  };
  const cfg: ClientConfig = { server: cluster.server.replace(/\/$/, '') };
  const ca = pem(cluster['certificate-authority-data'], cluster['certificate-authority']);
  if (ca) cfg.caPem = ca;
  if (cluster['insecure-skip-tls-verify'] === true) cfg.insecure = true;
  if (typeof user.token === 'string') cfg.token = user.token;
  else if (typeof user.tokenFile === 'string') cfg.token = readFileSync(resolve(base, user.tokenFile), 'utf8').trim();
  const cert = pem(user['client-certificate-data'], user['client-certificate']);
  const key = pem(user['client-key-data'], user['client-key']);
  if (cert) cfg.certPem = cert;
  if (key) cfg.keyPem = key;
  return cfg;
}

/** `--kubeconfig F`, else $KUBECONFIG, else ~/.kube/config — kubectl's order (first file of a list only). */
export function kubeconfigPath(flag?: string): string {
  if (flag) return flag;
  const env = process.env.KUBECONFIG?.split(':').find(Boolean);
  if (env) return env;
  return resolve(process.env.HOME ?? '.', '.kube', 'config');
}
