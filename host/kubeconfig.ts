// Writing a standard kubeconfig file (the format kubectl and client libraries read).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  /** PEM of the CA that signed the server's certificate (stored as certificate-authority-data). */
  caPem?: string;
  /** Bearer token of the user. */
  token?: string;
  /** PEM client certificate and key, for clients that authenticate with one. */
  clientCertPem?: string;
  clientKeyPem?: string;
  cluster?: string;
  user?: string;
  context?: string;
}

const b64 = (pem: string): string => Buffer.from(pem).toString('base64');

export function kubeconfigYaml(opts: KubeconfigOptions): string {
  const cluster = opts.cluster ?? 'skiff';
  const user = opts.user ?? 'admin';
  const context = opts.context ?? 'skiff';
  const clusterEntry: Record<string, string> = { server: opts.server };
  if (opts.caPem !== undefined) clusterEntry['certificate-authority-data'] = b64(opts.caPem);
  const userEntry: Record<string, string> = {};
  if (opts.token !== undefined) userEntry.token = opts.token;
  if (opts.clientCertPem !== undefined) userEntry['client-certificate-data'] = b64(opts.clientCertPem);
  if (opts.clientKeyPem !== undefined) userEntry['client-key-data'] = b64(opts.clientKeyPem);
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: clusterEntry }],
    users: [{ name: user, user: userEntry }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes the kubeconfig atomically, readable by the owner only (it holds credentials). */
export function writeKubeconfig(file: string, opts: KubeconfigOptions): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigYaml(opts), { mode: 0o600 });
  renameSync(tmp, file);
}
