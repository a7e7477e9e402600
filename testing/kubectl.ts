// The real kubectl against an in-process apiserver: a throwaway HOME with a kubeconfig (plain
// HTTP, no user) and its own discovery cache.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const kubectlPath = process.env.SKIFF_KUBECTL ?? '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface LocalKubectl {
  /** Runs kubectl in namespace `default`; never rejects, the exit code says how it went. */
  run(...args: string[]): Promise<KubectlResult>;
  close(): void;
}

export function localKubectl(serverUrl: string, prefix = 'skiff-kubectl-'): LocalKubectl {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  writeFileSync(
    join(dir, 'kubeconfig'),
    `apiVersion: v1\nkind: Config\nclusters:\n- name: t\n  cluster:\n    server: ${serverUrl}\ncontexts:\n- name: t\n  context:\n    cluster: t\n    user: u\ncurrent-context: t\nusers:\n- name: u\n  user: {}\n`,
  );
  return {
    run: (...args) =>
      new Promise((resolve) => {
        execFile(
          kubectlPath,
          [`--kubeconfig=${join(dir, 'kubeconfig')}`, `--cache-dir=${join(dir, 'cache')}`, '-n', 'default', ...args],
          { timeout: 60_000, env: { ...process.env, HOME: dir } },
          (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
        );
      }),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
