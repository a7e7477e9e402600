// Test and bench fixture: a throwaway "node" network namespace with a bridge of "pods" (veth
// pairs into further namespaces, each running a tiny HTTP server that answers its own name)
// and an outside "client" namespace on a second link. Nothing touches the host's interfaces,
// routes or iptables; every address used lives only inside these namespaces.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface PodNet {
  name: string;
  ns: string;
  ip: string;
}

export interface NodeNetFixture {
  node: string;
  client: string;
  /** The node's address as seen from the client namespace. */
  nodeIP: string;
  pods: PodNet[];
  /** Runs a Node.js script inside a namespace; resolves with its stdout. */
  script(ns: string, code: string): Promise<string>;
  destroy(): Promise<void>;
}

export function canMakeNetns(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('ip', ['netns', 'list'], { stdio: 'ignore' });
    execFileSync('iptables-restore', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

const podServer = `
const name = process.argv[1];
require('http').createServer((q, s) => s.end(name)).listen(8080, () => console.log('ready'));
`;

export async function makeNodeNet(pods = 3): Promise<NodeNetFixture> {
  const tag = randomBytes(3).toString('hex');
  const node = `skp-${tag}-node`;
  const client = `skp-${tag}-cl`;
  const made: string[] = [];
  const servers: ChildProcess[] = [];
  const fixture: NodeNetFixture = {
    node,
    client,
    nodeIP: '192.168.77.1',
    pods: [],
    script: (ns, code) => runScript(ns, code),
    destroy: async () => {
      for (const s of servers) s.kill('SIGKILL');
      for (const ns of made.reverse()) {
        try {
          ip('netns', 'del', ns);
        } catch {
          // already gone
        }
      }
    },
  };
  try {
    for (const ns of [node, client]) {
      ip('netns', 'add', ns);
      made.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    execFileSync('ip', ['netns', 'exec', node, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    ip('-n', node, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', node, 'addr', 'add', '10.244.0.1/24', 'dev', 'br0');
    ip('-n', node, 'link', 'set', 'br0', 'up');
    ip('-n', node, 'link', 'add', 'ext0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client);
    ip('-n', node, 'addr', 'add', '192.168.77.1/24', 'dev', 'ext0');
    ip('-n', node, 'link', 'set', 'ext0', 'up');
    ip('-n', client, 'addr', 'add', '192.168.77.2/24', 'dev', 'eth0');
    ip('-n', client, 'link', 'set', 'eth0', 'up');
    ip('-n', client, 'route', 'add', 'default', 'via', '192.168.77.1');
    for (let i = 0; i < pods; i++) {
      const p: PodNet = { name: `pod-${i}`, ns: `skp-${tag}-p${i}`, ip: `10.244.0.${10 + i}` };
      ip('netns', 'add', p.ns);
      made.push(p.ns);
      ip('-n', p.ns, 'link', 'set', 'lo', 'up');
      ip('-n', node, 'link', 'add', `veth${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', p.ns);
      ip('-n', node, 'link', 'set', `veth${i}`, 'master', 'br0', 'up');
      // As the CNI bridge plugin's hairpinMode: a pod reaching itself through a VIP gets its
      // packet back out of the port it came in on (needed with br_netfilter loaded).
      ip('-n', node, 'link', 'set', `veth${i}`, 'type', 'bridge_slave', 'hairpin', 'on');
      ip('-n', p.ns, 'addr', 'add', `${p.ip}/24`, 'dev', 'eth0');
      ip('-n', p.ns, 'link', 'set', 'eth0', 'up');
      ip('-n', p.ns, 'route', 'add', 'default', 'via', '10.244.0.1');
      const server = spawn('ip', ['netns', 'exec', p.ns, process.execPath, '-e', podServer, p.name], { stdio: ['ignore', 'pipe', 'inherit'] });
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.stdout?.once('data', () => resolve());
        server.once('exit', (code) => reject(new Error(`pod server ${p.name} exited ${code}`)));
      });
      fixture.pods.push(p);
    }
    return fixture;
  } catch (err) {
    await fixture.destroy();
    throw err;
  }
}

function runScript(ns: string, code: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (c) => (c === 0 ? resolve(out) : reject(new Error(`script in ${ns} exited ${c}: ${err}`))));
  });
}

/** A script that makes `n` fresh-connection GETs to url and prints {name: count, error: count}. */
export function fetchScript(url: string, n: number): string {
  return `
const http = require('http');
const counts = {};
let left = ${n};
function one() {
  return new Promise((resolve) => {
    const req = http.get(${JSON.stringify(url)}, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => { counts[body] = (counts[body] || 0) + 1; resolve(); });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { const k = 'error:' + (e.code || e.message); counts[k] = (counts[k] || 0) + 1; resolve(); });
  });
}
(async () => { while (left-- > 0) await one(); console.log(JSON.stringify(counts)); })();
`;
}

/** A script that connects once and prints {code, ms}: how a connection attempt ends. */
export function connectScript(host: string, port: number): string {
  return `
const t0 = Date.now();
const s = require('net').connect(${port}, ${JSON.stringify(host)});
s.setTimeout(5000, () => { console.log(JSON.stringify({ code: 'TIMEOUT', ms: Date.now() - t0 })); process.exit(0); });
s.on('connect', () => { console.log(JSON.stringify({ code: 'CONNECTED', ms: Date.now() - t0 })); process.exit(0); });
s.on('error', (e) => { console.log(JSON.stringify({ code: e.code, ms: Date.now() - t0 })); process.exit(0); });
`;
}
