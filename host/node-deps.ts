// The Debian packages a node needs to isolate containers: runc and conmon (as CRI-O uses them),
// the standard CNI plugins for pod networks, iptables for Services. Installed with apt-get when
// missing and we are root; otherwise the one command to run is reported, and the runtime falls
// back to plain host processes.
import { existsSync } from 'node:fs';
import { aptInstall } from './apt.js';
import { findBinary } from './binaries.js';

export const NODE_PACKAGES = ['runc', 'conmon', 'containernetworking-plugins', 'iptables'] as const;
export const NODE_PACKAGES_HINT = `sudo apt-get update && sudo apt-get install -y ${NODE_PACKAGES.join(' ')}`;

const present: Record<(typeof NODE_PACKAGES)[number], () => boolean> = {
  runc: () => findBinary('runc') !== undefined,
  conmon: () => findBinary('conmon') !== undefined,
  'containernetworking-plugins': () => existsSync('/usr/lib/cni/bridge') && existsSync('/usr/lib/cni/host-local') && existsSync('/usr/lib/cni/loopback'),
  iptables: () => findBinary('iptables') !== undefined,
};

export function missingNodePackages(): string[] {
  return NODE_PACKAGES.filter((p) => !present[p]());
}

/**
 * Makes sure the node packages are installed. Returns what is still missing (empty when all is
 * there); not root, it installs nothing and logs the command to run instead.
 */
export async function ensureNodePackages(log: (line: string) => void): Promise<string[]> {
  const missing = missingNodePackages();
  if (missing.length === 0) return [];
  if (process.getuid?.() !== 0) {
    log(`missing ${missing.join(', ')}: containers will run unisolated on the host network; to isolate them run: ${NODE_PACKAGES_HINT}`);
    return missing;
  }
  log(`installing ${missing.join(' ')} with apt-get…`);
  await aptInstall(missing);
  return missingNodePackages();
}
