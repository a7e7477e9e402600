// Pod networking with the standard CNI plugins (Debian's containernetworking-plugins): every pod
// sandbox is a network namespace (`ip netns`), `loopback` brings up lo, `bridge` + `host-local`
// give it eth0 with an IP from the node's pod CIDR and a default route via the bridge, `portmap`
// forwards hostPorts. The
// plugins are executed directly, as the CNI spec describes (env + config on stdin); no libcni.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const CNI_BIN_DIR = '/usr/lib/cni';
const NETNS_DIR = '/run/netns';

export interface NetworkOptions {
  /** Linux bridge the pods attach to (created by the plugin). */
  bridge: string;
  /** The node's pod CIDR, e.g. 10.244.1.0/24. */
  podCidr: string;
  /** host-local's allocation store (private to this runtime's root). */
  dataDir: string;
  /** SNAT traffic leaving the pod CIDR (off: pods talk to the node and each other only). */
  ipMasq: boolean;
  binDir?: string;
}

export function cniAvailable(binDir = CNI_BIN_DIR): boolean {
  return ['bridge', 'host-local', 'loopback'].every((p) => existsSync(`${binDir}/${p}`));
}

export function netnsName(sandboxId: string): string {
  return `skiff-${sandboxId.slice(0, 16)}`;
}

export function netnsPath(name: string): string {
  return `${NETNS_DIR}/${name}`;
}

async function invoke(plugin: string, command: 'ADD' | 'DEL', containerId: string, netns: string, ifName: string, config: object, binDir: string): Promise<unknown> {
  const env = {
    PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
    CNI_COMMAND: command,
    CNI_CONTAINERID: containerId,
    CNI_NETNS: netns,
    CNI_IFNAME: ifName,
    CNI_PATH: binDir,
  };
  const child = execFile(`${binDir}/${plugin}`, [], { env, timeout: 30_000 });
  child.stdin?.end(JSON.stringify(config));
  let stdout = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) {
    // CNI errors come back as JSON on stdout: { code, msg, details }.
    let msg = stdout.trim();
    try {
      const err = JSON.parse(stdout) as { msg?: string; details?: string };
      msg = [err.msg, err.details].filter(Boolean).join(': ');
    } catch {
      // not JSON
    }
    throw new Error(`CNI ${plugin} ${command} for ${containerId}: ${msg || `exit ${code}`}`);
  }
  return stdout.trim() ? (JSON.parse(stdout) as unknown) : {};
}

function bridgeConfig(opts: NetworkOptions): object {
  return {
    cniVersion: '1.0.0',
    name: `skiff-${opts.bridge}`,
    type: 'bridge',
    bridge: opts.bridge,
    isGateway: true,
    isDefaultGateway: true,
    hairpinMode: true,
    ipMasq: opts.ipMasq,
    ipam: { type: 'host-local', ranges: [[{ subnet: opts.podCidr }]], dataDir: opts.dataDir },
  };
}

const loopbackConfig = { cniVersion: '1.0.0', name: 'lo', type: 'loopback' };

export interface HostPort {
  protocol: 'TCP' | 'UDP' | 'SCTP';
  containerPort: number;
  hostPort: number;
  hostIp: string;
}

/** The `portmap` plugin (iptables DNAT from the node's ports to the pod), chained after bridge. */
function portmapConfig(opts: NetworkOptions, ports: HostPort[], prevResult?: unknown): object {
  return {
    cniVersion: '1.0.0',
    name: `skiff-${opts.bridge}`,
    type: 'portmap',
    capabilities: { portMappings: true },
    snat: true,
    runtimeConfig: {
      portMappings: ports.map((p) => ({ hostPort: p.hostPort, containerPort: p.containerPort, protocol: p.protocol.toLowerCase(), ...(p.hostIp ? { hostIP: p.hostIp } : {}) })),
    },
    ...(prevResult ? { prevResult } : {}),
  };
}

interface CniResult {
  ips?: Array<{ address?: string }>;
}

/** Creates the sandbox's network namespace and attaches it; returns the netns path and pod IP. */
export async function setUpPodNetwork(sandboxId: string, opts: NetworkOptions, ports: HostPort[] = []): Promise<{ netns: string; ip: string }> {
  const name = netnsName(sandboxId);
  const path = netnsPath(name);
  if (!existsSync(path)) await run('ip', ['netns', 'add', name]);
  const binDir = opts.binDir ?? CNI_BIN_DIR;
  try {
    await invoke('loopback', 'ADD', sandboxId, path, 'lo', loopbackConfig, binDir);
    const result = (await invoke('bridge', 'ADD', sandboxId, path, 'eth0', bridgeConfig(opts), binDir)) as CniResult;
    const address = result.ips?.[0]?.address;
    if (!address) throw new Error(`CNI bridge ADD for ${sandboxId} returned no IP`);
    const mapped = ports.filter((p) => p.hostPort > 0);
    if (mapped.length > 0) await invoke('portmap', 'ADD', sandboxId, path, 'eth0', portmapConfig(opts, mapped, result), binDir);
    return { netns: path, ip: address.split('/')[0] ?? address };
  } catch (err) {
    await tearDownPodNetwork(sandboxId, opts, ports).catch(() => {});
    throw err;
  }
}

/** CNI DEL (releases the IP, removes the veth) and deletes the namespace. Idempotent. */
export async function tearDownPodNetwork(sandboxId: string, opts: NetworkOptions, ports: HostPort[] = []): Promise<void> {
  const name = netnsName(sandboxId);
  const path = netnsPath(name);
  const binDir = opts.binDir ?? CNI_BIN_DIR;
  // DEL must succeed even when the namespace is already gone (spec), so always run it.
  const mapped = ports.filter((p) => p.hostPort > 0);
  if (mapped.length > 0) await invoke('portmap', 'DEL', sandboxId, existsSync(path) ? path : '', 'eth0', portmapConfig(opts, mapped), binDir);
  await invoke('bridge', 'DEL', sandboxId, existsSync(path) ? path : '', 'eth0', bridgeConfig(opts), binDir);
  if (existsSync(path)) await run('ip', ['netns', 'delete', name]);
}

/**
 * portmap leaves its shared chains (CNI-HOSTPORT-*) in the nat table after the last pod is gone.
 * Removes them once no pod forwards a port any more; for teardown of a node (and tests). Other
 * runtimes on the host may still use them, hence the emptiness check.
 */
export async function removeIdlePortmapChains(): Promise<void> {
  const ipt = (...args: string[]): Promise<unknown> => run('iptables', ['-w', '-t', 'nat', ...args]);
  let rules: string;
  try {
    rules = (await run('iptables', ['-w', '-t', 'nat', '-S', 'CNI-HOSTPORT-DNAT'])).stdout;
  } catch {
    return; // no chain, nothing to do
  }
  if (rules.split('\n').some((l) => l.startsWith('-A CNI-HOSTPORT-DNAT'))) return;
  const jumps: Array<[string, string[]]> = [
    ['PREROUTING', ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT']],
    ['OUTPUT', ['-m', 'addrtype', '--dst-type', 'LOCAL', '-j', 'CNI-HOSTPORT-DNAT']],
    ['POSTROUTING', ['-m', 'comment', '--comment', 'CNI portfwd requiring masquerade', '-j', 'CNI-HOSTPORT-MASQ']],
  ];
  for (const [chain, spec] of jumps) await ipt('-D', chain, ...spec).catch(() => {});
  for (const chain of ['CNI-HOSTPORT-DNAT', 'CNI-HOSTPORT-MASQ', 'CNI-HOSTPORT-SETMARK']) {
    await ipt('-F', chain).catch(() => {});
    await ipt('-X', chain).catch(() => {});
  }
}
