// Encryption at rest, as kube-apiserver's EncryptionConfiguration (apiserver.config.k8s.io/v1):
// values of the listed resources are written with the first provider and read with whichever
// provider their prefix names (`k8s:enc:aescbc:v1:<key>:`), so keys can be rotated.
import { createCipheriv, createDecipheriv, randomBytes, type CipherGCMTypes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';

interface Key {
  name: string;
  secret: Buffer;
}

type Provider = { kind: 'identity' } | { kind: 'aescbc' | 'aesgcm'; keys: Key[] };

interface Rule {
  resources: Set<string>;
  providers: Provider[];
}

const supported = ['aescbc', 'aesgcm', 'identity'];

function parseKeys(raw: unknown, where: string): Key[] {
  const keys = (raw as { keys?: Array<{ name?: unknown; secret?: unknown }> } | undefined)?.keys ?? [];
  if (keys.length === 0) throw new Error(`${where}.keys: Required value: at least one key`);
  return keys.map((k, i) => {
    if (typeof k.name !== 'string' || !k.name) throw new Error(`${where}.keys[${i}].name: Required value`);
    const secret = Buffer.from(String(k.secret ?? ''), 'base64');
    if (![16, 24, 32].includes(secret.length)) throw new Error(`${where}.keys[${i}].secret: Invalid value: must be a base64 AES key of 16, 24 or 32 bytes`);
    return { name: k.name, secret };
  });
}

/** Reads an EncryptionConfiguration; errors name the field. */
export function parseEncryptionConfig(text: string, source: string): EncryptionTransformer {
  const doc = parseYaml(text) as { kind?: string; resources?: Array<{ resources?: string[]; providers?: Array<Record<string, unknown>> }> } | null;
  if (doc?.kind !== 'EncryptionConfiguration') throw new Error(`${source}: want an apiserver.config.k8s.io/v1 EncryptionConfiguration`);
  const rules = (doc.resources ?? []).map((r, i): Rule => {
    const providers = (r.providers ?? []).map((p, j): Provider => {
      const where = `${source}: resources[${i}].providers[${j}]`;
      const [kind, conf] = Object.entries(p)[0] ?? [];
      if (kind === 'identity') return { kind };
      if (kind === 'aescbc' || kind === 'aesgcm') return { kind, keys: parseKeys(conf, `${where}.${kind}`) };
      throw new Error(`${where}: Unsupported value: "${kind}": supported values: ${supported.map((s) => `"${s}"`).join(', ')}`);
    });
    if (providers.length === 0) throw new Error(`${source}: resources[${i}].providers: Required value`);
    return { resources: new Set((r.resources ?? []).map((s) => s.replace(/\.$/, ''))), providers };
  });
  return new EncryptionTransformer(rules);
}

const prefixOf = (kind: string, key: string) => `k8s:enc:${kind}:v1:${key}:`;

export class EncryptionTransformer {
  constructor(private readonly rules: Rule[]) {}

  /** The rule for an etcd key `<prefix>/<resource>/...`, by its resource segment. */
  private ruleFor(resource: string): Rule | undefined {
    return this.rules.find((r) => r.resources.has(resource) || r.resources.has('*.*'));
  }

  /** What gets written: the first provider's encryption of `plain`. */
  toStorage(resource: string, plain: Buffer): Buffer {
    const p = this.ruleFor(resource)?.providers[0];
    if (!p || p.kind === 'identity') return plain;
    const key = p.keys[0]!;
    const head = Buffer.from(prefixOf(p.kind, key.name));
    const bits = key.secret.length * 8;
    if (p.kind === 'aescbc') {
      const iv = randomBytes(16);
      const c = createCipheriv(`aes-${bits}-cbc`, key.secret, iv);
      return Buffer.concat([head, iv, c.update(plain), c.final()]);
    }
    const nonce = randomBytes(12);
    const c = createCipheriv(`aes-${bits}-gcm` as CipherGCMTypes, key.secret, nonce);
    const body = Buffer.concat([c.update(plain), c.final()]);
    return Buffer.concat([head, nonce, body, c.getAuthTag()]);
  }

  /** The plaintext of a stored value, whichever configured provider wrote it. */
  fromStorage(resource: string, stored: Buffer): Buffer {
    const text = stored.subarray(0, 80).toString('latin1');
    // Anything without the envelope was written in the clear (identity, or before encryption was on).
    if (!text.startsWith('k8s:enc:')) return stored;
    const m = /^k8s:enc:(aescbc|aesgcm):v1:([^:]+):/.exec(text);
    if (!m) throw new Error(`a stored ${resource} value is encrypted by a provider this apiserver does not know`);
    const [head, kind, name] = m as unknown as [string, 'aescbc' | 'aesgcm', string];
    const key = this.ruleFor(resource)?.providers.flatMap((p) => (p.kind === kind ? p.keys : [])).find((k) => k.name === name);
    if (!key) throw new Error(`no ${kind} key "${name}" in the encryption configuration to read a stored ${resource} value`);
    const data = stored.subarray(head.length);
    const bits = key.secret.length * 8;
    if (kind === 'aescbc') {
      const d = createDecipheriv(`aes-${bits}-cbc`, key.secret, data.subarray(0, 16));
      return Buffer.concat([d.update(data.subarray(16)), d.final()]);
    }
    const d = createDecipheriv(`aes-${bits}-gcm` as CipherGCMTypes, key.secret, data.subarray(0, 12));
    d.setAuthTag(data.subarray(data.length - 16));
    return Buffer.concat([d.update(data.subarray(12, data.length - 16)), d.final()]);
  }

  /** Whether a stored value was written otherwise than new writes would be (an old key): an update rewrites it even unchanged. */
  isStale(resource: string, stored: Buffer): boolean {
    const p = this.ruleFor(resource)?.providers[0];
    const text = stored.subarray(0, 80).toString('latin1');
    if (!p || p.kind === 'identity') return text.startsWith('k8s:enc:');
    return !text.startsWith(prefixOf(p.kind, p.keys[0]!.name));
  }

  /** The name of the key new writes of `resource` use (`identity` when none). */
  writeKey(resource: string): string {
    const p = this.ruleFor(resource)?.providers[0];
    return !p || p.kind === 'identity' ? 'identity' : `${p.kind}:${p.keys[0]!.name}`;
  }
}
