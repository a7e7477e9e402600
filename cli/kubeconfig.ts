// Writing a standard kubeconfig file (the format kubectl and client libraries read).
import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

export interface KubeconfigOptions {
  server: string;
  cluster?: string;
  user?: string;
  context?: string;
}

export function kubeconfigYaml(opts: KubeconfigOptions): string {
  const cluster = opts.cluster ?? 'skiff';
  const user = opts.user ?? 'admin';
  const context = opts.context ?? 'skiff';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: opts.server } }],
    users: [{ name: user, user: {} }],
    contexts: [{ name: context, context: { cluster, user } }],
    'current-context': context,
    preferences: {},
  });
}

/** Writes the kubeconfig atomically, readable by the owner only (it will hold credentials). */
export function writeKubeconfig(file: string, opts: KubeconfigOptions): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, kubeconfigYaml(opts), { mode: 0o600 });
  renameSync(tmp, file);
}
