// The pod-template-hash: a stable hash of the deployment's template (plus the collision count),
// rendered like upstream's rand.SafeEncodeString(fmt.Sprint(fnv32a)), and template equality
// that ignores the hash label.
import type { PodTemplateSpec } from '../../api/index.js';
import { stableJson } from '../replicaset/index.js';

export const hashLabel = 'pod-template-hash';
const alphabet = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(s, 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function computeHash(template: PodTemplateSpec, collisionCount: number | undefined): string {
  let input = stableJson(template);
  if (collisionCount !== undefined && collisionCount > 0) input += `#${collisionCount}`;
  const digits = String(fnv32a(input));
  let out = '';
  for (let i = 0; i < digits.length; i++) out += alphabet[digits.charCodeAt(i) % alphabet.length];
  return out;
}

export function withoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const t = structuredClone(template ?? {}) as PodTemplateSpec;
  if (t.metadata?.labels) {
    delete t.metadata.labels[hashLabel];
  }
  return t;
}

export function equalIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return stableJson(withoutHash(a)) === stableJson(withoutHash(b));
}
