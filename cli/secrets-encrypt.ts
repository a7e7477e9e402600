// Secrets at rest for `skiff up`: the EncryptionConfiguration it starts the apiserver with
// (aescbc, a generated key; written once), and `skiff secrets-encrypt status|rotate` as k3s has:
// rotate puts a new key first (the old stays to read with), waits for the apiserver to reload it,
// and rewrites every Secret until etcd holds each under the new key.
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Etcd3 } from 'etcd3';
import { parse, stringify } from 'yaml';
import { Clientset, loadKubeconfig } from '../client/index.js';

interface AesKey {
  name: string;
  secret: string;
}
interface Config {
  apiVersion: string;
  kind: string;
  resources: Array<{ resources: string[]; providers: Array<{ aescbc?: { keys: AesKey[] }; identity?: object }> }>;
}

const newKey = (n: number): AesKey => ({ name: `key${n}`, secret: randomBytes(32).toString('base64') });

/** `<home>/pki/encryption-config.yaml`: Secrets under aescbc with a generated key, plaintext still readable. */
export function ensureEncryptionConfig(home: string): string {
  const file = join(home, 'pki', 'encryption-config.yaml');
  if (!existsSync(file)) write(file, { apiVersion: 'apiserver.config.k8s.io/v1', kind: 'EncryptionConfiguration', resources: [{ resources: ['secrets'], providers: [{ aescbc: { keys: [newKey(1)] } }, { identity: {} }] }] });
  return file;
}

function write(file: string, config: Config): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, stringify(config), { mode: 0o600 });
  renameSync(tmp, file);
}

function keysOf(config: Config): AesKey[] {
  return config.resources[0]?.providers.find((p) => p.aescbc)?.aescbc?.keys ?? [];
}

/** How many Secrets etcd holds under each key (`identity` for plaintext). */
async function census(home: string): Promise<Map<string, number>> {
  const st = JSON.parse(readFileSync(join(home, 'status.json'), 'utf8')) as { components: Array<{ name: string; where: string }> };
  const etcdUrl = st.components.find((c) => c.name === 'etcd')?.where;
  if (!etcdUrl) throw new Error(`no etcd in ${join(home, 'status.json')}; is the cluster running?`);
  const etcd = new Etcd3({ hosts: [etcdUrl] });
  try {
    const values = await etcd.getAll().prefix('/registry/secrets/').buffers();
    const out = new Map<string, number>();
    for (const v of Object.values(values)) {
      const m = /^k8s:enc:[a-z]+:v1:([^:]+):/.exec(v.subarray(0, 80).toString('latin1'));
      const k = m ? m[1]! : 'identity';
      out.set(k, (out.get(k) ?? 0) + 1);
    }
    return out;
  } finally {
    etcd.close();
  }
}

async function status(home: string): Promise<void> {
  const file = join(home, 'pki', 'encryption-config.yaml');
  if (!existsSync(file)) throw new Error(`no encryption configuration in ${home}; start the cluster with skiff up`);
  const keys = keysOf(parse(readFileSync(file, 'utf8')) as Config);
  process.stdout.write(`Encryption Status: ${keys.length > 0 ? 'Enabled' : 'Disabled'}\nConfiguration: ${file}\nActive key: ${keys[0] ? `aescbc ${keys[0].name}` : 'none'}\n`);
  if (keys.length > 1) process.stdout.write(`Older keys (read only): ${keys.slice(1).map((k) => k.name).join(', ')}\n`);
  const counts = await census(home);
  process.stdout.write(`Secrets in etcd by key: ${[...counts].map(([k, n]) => `${k}=${n}`).join(' ') || 'none'}\n`);
}

async function rotate(home: string): Promise<void> {
  const file = ensureEncryptionConfig(home);
  const config = parse(readFileSync(file, 'utf8')) as Config;
  const keys = keysOf(config);
  const next = newKey(Math.max(0, ...keys.map((k) => Number(k.name.replace(/\D/g, '')) || 0)) + 1);
  // Keep only the current key besides the new one: anything older has been rewritten by the last rotation.
  config.resources[0]!.providers = [{ aescbc: { keys: [next, ...keys.slice(0, 1)] } }, { identity: {} }];
  write(file, config);
  process.stdout.write(`new key ${next.name} written; rewriting every Secret under it…\n`);
  const cs = new Clientset(loadKubeconfig(join(home, 'kubeconfig')), { userAgent: 'skiff-secrets-encrypt' });
  const rewrite = async (): Promise<void> => {
    for (const s of (await cs.secrets.list(undefined)).items) {
      await cs.secrets.update(s).catch((err: unknown) => {
        if ((err as { code?: number }).code !== 409 && (err as { code?: number }).code !== 404) throw err;
      });
    }
  };
  // The apiserver picks the new file up within a few seconds: rewrite until etcd says every Secret moved.
  const deadline = Date.now() + 60_000;
  for (;;) {
    await rewrite();
    const counts = await census(home);
    if ([...counts.keys()].every((k) => k === next.name)) {
      process.stdout.write(`done: ${counts.get(next.name) ?? 0} Secret(s) under ${next.name}\n`);
      return;
    }
    if (Date.now() > deadline) throw new Error(`Secrets still under other keys after 60 s: ${[...counts].map(([k, n]) => `${k}=${n}`).join(' ')}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export function secretsEncryptCommand(): Command {
  const cmd = new Command('secrets-encrypt').description('encryption of Secrets at rest in the local cluster (as k3s)');
  const home = (h: string) => resolve(h);
  cmd.command('status').description('show the active key and how the stored Secrets are encrypted')
    .option('--home <dir>', 'the cluster home given to `skiff up`', join(homedir(), '.skiff'))
    .action((f: { home: string }) => status(home(f.home)));
  cmd.command('rotate').description('encrypt every Secret under a new key')
    .option('--home <dir>', 'the cluster home given to `skiff up`', join(homedir(), '.skiff'))
    .action((f: { home: string }) => rotate(home(f.home)));
  return cmd;
}
