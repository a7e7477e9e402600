// Local nodes as separate "machines" on this one: as root, each node of `skiff up --nodes N` gets
// its own network namespace joined to a host bridge by a veth pair, with its own IP, routing and
// iptables. Routing is host-gw style and closed: the host routes each node's pod CIDR to that
// node; nodes route the cluster ranges (pods, Services) back through the host and have no default
// route, and an `unreachable` route for the whole pod range means an unassigned pod IP never
// leaves the machine through the default gateway.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const hostBridge = 'skiffbr0';
export const bridgeCidr = '172.30.0.0/24';
export const bridgeIp = '172.30.0.1';
export const clusterCidr = '10.244.0.0/16';
export const serviceCidr = '10.96.0.0/12';

export interface NodeNet {
  /** Node name, e.g. `node-1`. */
  name: string;
  /** Network namespace name (`ip netns exec <netns> …`). */
  netns: string;
  /** The node's address on the host bridge. */
  ip: string;
}

/** Namespaced networking needs root and iproute2; otherwise nodes share the host's network. */
export function canIsolateNodes(): boolean {
  return process.getuid?.() === 0 && (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip'));
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function ipOk(...args: string[]): boolean {
  try {
    ip(...args);
    return true;
  } catch {
    return false;
  }
}

const forwardFile = '/proc/sys/net/ipv4/ip_forward';

/**
 * The host side: bridge, forwarding, and routes that keep every cluster address on this machine.
 * Returns a function that undoes it.
 */
export function setUpHostNetwork(): () => void {
  if (!ipOk('link', 'show', hostBridge)) ip('link', 'add', hostBridge, 'type', 'bridge');
  ipOk('addr', 'add', `${bridgeIp}/24`, 'dev', hostBridge);
  ip('link', 'set', hostBridge, 'up');
  const forwardBefore = readFileSync(forwardFile, 'utf8').trim();
  writeFileSync(forwardFile, '1');
  ip('route', 'replace', 'unreachable', clusterCidr);
  return () => {
    ipOk('route', 'del', 'unreachable', clusterCidr);
    ipOk('route', 'del', serviceCidr);
    ipOk('link', 'del', hostBridge);
    try {
      writeFileSync(forwardFile, forwardBefore);
    } catch {
      // best effort
    }
  };
}

/** The host names of node i (1-based): namespace, veth ends, address 172.30.0.(10+i). */
function nodeNames(index: number, name = `node-${index}`): NodeNet & { hostEnd: string; nodeEnd: string } {
  return { name, netns: `skiff-${name}`, ip: `172.30.0.${10 + index}`, hostEnd: `skv${index}h`, nodeEnd: `skv${index}n` };
}

/**
 * Everything `skiff up --nodes N` creates on the host, by name. The launcher writes it under its
 * home before creating anything, so that after a crash `tearDownRecorded` removes exactly that.
 */
export interface NetworkRecord {
  bridge: string;
  netns: string[];
  links: string[];
  routes: string[][];
}

export function networkRecord(nodes: number): NetworkRecord {
  const all = Array.from({ length: nodes }, (_, i) => nodeNames(i + 1));
  return { bridge: hostBridge, netns: all.map((n) => n.netns), links: all.map((n) => n.hostEnd), routes: [['unreachable', clusterCidr], [serviceCidr]] };
}

/** Removes what a record names and still exists; returns what it removed, in words. */
export function tearDownRecorded(rec: NetworkRecord): string[] {
  const removed: string[] = [];
  for (const netns of rec.netns) {
    if (existsSync(`/run/netns/${netns}`) && ipOk('netns', 'del', netns)) removed.push(`netns ${netns}`);
  }
  // A veth whose namespace was held open by a surviving process outlives `netns del`.
  for (const link of [...rec.links, rec.bridge]) if (ipOk('link', 'show', link) && ipOk('link', 'del', link)) removed.push(`link ${link}`);
  for (const route of rec.routes) if (ipOk('route', 'del', ...route)) removed.push(`route ${route.join(' ')}`);
  return removed;
}

/** Node i (1-based): namespace, veth to the host bridge, address 172.30.0.(10+i), closed routing. */
export function setUpNodeNetwork(index: number, name = `node-${index}`): NodeNet {
  const { netns, ip: nodeIp, hostEnd, nodeEnd } = nodeNames(index, name);
  tearDownNodeNetwork({ name, netns, ip: nodeIp }); // leftovers of a killed run
  ip('netns', 'add', netns);
  ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', nodeEnd);
  ip('link', 'set', hostEnd, 'master', hostBridge, 'up');
  ip('link', 'set', nodeEnd, 'netns', netns);
  const inNs = (...args: string[]): void => ip('-n', netns, ...args);
  inNs('link', 'set', 'lo', 'up');
  inNs('link', 'set', nodeEnd, 'name', 'eth0');
  inNs('addr', 'add', `${nodeIp}/24`, 'dev', 'eth0');
  inNs('link', 'set', 'eth0', 'up');
  // No default route: pods can reach the cluster and the host, nothing beyond this machine.
  inNs('route', 'add', clusterCidr, 'via', bridgeIp);
  execFileSync('ip', ['netns', 'exec', netns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1'], { stdio: 'ignore' });
  return { name, netns, ip: nodeIp };
}

export function tearDownNodeNetwork(node: NodeNet): void {
  // Deleting the namespace removes its end of the veth, and with it the host end.
  if (existsSync(`/run/netns/${node.netns}`)) ipOk('netns', 'del', node.netns);
}

/** Host route for a node's pod CIDR once the controller manager has assigned it. */
export function routePodCidr(cidr: string, nodeIp: string): void {
  ip('route', 'replace', cidr, 'via', nodeIp);
}

export function unroutePodCidr(cidr: string): void {
  ipOk('route', 'del', cidr);
}

/**
 * Service VIPs from the host go to the first node, whose proxy DNATs them to pods (and whose local
 * route refuses the unprogrammed ones); with no node, they are refused locally.
 */
export function routeServiceCidr(firstNodeIp: string | undefined): void {
  if (firstNodeIp) ip('route', 'replace', serviceCidr, 'via', firstNodeIp);
  else ip('route', 'replace', 'local', serviceCidr, 'dev', 'lo');
}
