// Chain names as kube-proxy makes them: a fixed prefix plus the first 16 characters of the
// base32-encoded SHA-256 of what the chain stands for, so a name is stable across restarts and
// fits iptables' 28-character limit.
import { createHash } from 'node:crypto';

export const chains = {
  services: 'SKIFF-SERVICES',
  nodePorts: 'SKIFF-NODEPORTS',
  postrouting: 'SKIFF-POSTROUTING',
  markMasq: 'SKIFF-MARK-MASQ',
} as const;

/** Every chain we own starts with this; anything else in the tables is not ours to touch. */
export const ownPrefix = 'SKIFF-';

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(buf: Buffer): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

function hash16(...parts: string[]): string {
  return base32(createHash('sha256').update(parts.join('')).digest()).slice(0, 16);
}

/** `SKIFF-SVC-…` for one Service port (`ns/name:portName`) and protocol. */
export function serviceChain(servicePortName: string, protocol: string): string {
  return `SKIFF-SVC-${hash16(servicePortName, protocol)}`;
}

/** `SKIFF-SEP-…` for one endpoint (`ip:port`) of a Service port. */
export function endpointChain(servicePortName: string, protocol: string, endpoint: string): string {
  return `SKIFF-SEP-${hash16(servicePortName, protocol, endpoint)}`;
}
