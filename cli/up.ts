// `skiff up`: a whole local cluster in the foreground — etcd, apiserver, controller manager,
// scheduler, cluster DNS and N local nodes (runtime + kubelet + proxy each), every one its own
// supervised process logging to <home>/logs/<component>.log. As root each node lives in its own
// network namespace (see node-net.ts). The apiserver serves HTTPS with the cluster's own CA
// (<home>/pki) to bearer-token clients. Ctrl-C (or SIGTERM, SIGHUP) stops everything in reverse
// order; if this process is killed outright its children stop by themselves (process.ts), and the
// next `up` of the home first clears whatever was left (home-cleanup.ts).
import { Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { Clientset, createLogger, loadKubeconfig } from '../client/index.js';
import { parseCron } from '../host/cron.js';
import { ensureEtcdInstalled } from '../host/etcd.js';
import { cleanHome, recordNetwork } from './home-cleanup.js';
import { checkRegistriesFile, parseMirror, startLoopbackRelays, writeMirrorsFile, type Mirror } from './registry-mirrors.js';
import { acquirePidLock } from '../host/lock.js';
import { ensureNodePackages } from '../host/node-deps.js';
import {
  bridgeIp, canIsolateNodes, networkRecord, routeServiceCidr, setUpHostNetwork, setUpNodeNetwork, tearDownNodeNetwork, type NodeNet,
} from '../host/node-net.js';
import { certIdentities, ensureClusterPki, nodeIdentity, writeCertKubeconfig, writeClusterKubeconfigs, writeTokenKubeconfig, type ClusterPki } from '../host/pki.js';
import { ensureEncryptionConfig } from './secrets-encrypt.js';
import { startPodRoutes } from './pod-routes.js';
import { assertPortFree, freePort, parsePort, type Child } from '../host/process.js';
import { startSnapshotSchedule } from '../host/snapshot-schedule.js';
import { Supervisor, type Component } from '../host/supervisor.js';
import { requestWithCa } from '../host/tls-get.js';
import { etcdComponent, fileExists, healthz, skiffProcess } from './up-components.js';
import { cleanUpNodePods, waitForNodesReady } from './up-nodes.js';

interface Flags {
  home: string;
  port: string;
  etcdPort: string;
  nodes: string;
  hollowNodes: string;
  etcdSnapshotSchedule?: string;
  etcdSnapshotRetention: string;
  etcdSnapshotDir?: string;
  registryMirror: string[];
  registryConfig?: string;
}

export interface Settings {
  home: string;
  port: number;
  etcdPort: number;
  nodes: number;
  hollowNodes: number;
  snapshots?: { cron: string; retention: number; dir: string };
  /** Mirrors from --registry-mirror, or the user's registries.yaml from --registry-config. */
  registries?: { mirrors: Mirror[] } | { file: string };
}

const defaultAuditPolicy = `# skiff up's default audit policy (audit.k8s.io/v1); edit it and restart to change what is logged.
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version", "/metrics"]
  - level: None
    users: ["system:kube-scheduler", "system:kube-controller-manager", "system:kube-proxy", "system:kube-dns"]
    verbs: ["get", "list", "watch"]
  - level: Metadata
`;

export function upCommand(): Command {
  return new Command('up')
    .description('start a local cluster in the foreground (control plane + local nodes); Ctrl-C stops it')
    .option('--home <dir>', 'where the cluster keeps its state, logs and kubeconfig', join(homedir(), '.skiff'))
    .option('--port <port>', 'apiserver port', '6443')
    .option('--etcd-port <port>', 'etcd client port (its peer port is this + 1)', '2379')
    .option('--nodes <n>', 'local nodes (runtime + kubelet + proxy each); 0 runs the control plane alone', '1')
    .option('--hollow-nodes <n>', 'simulated nodes (real kubelet logic, fake runtime) for scale tests', '0')
    .option('--etcd-snapshot-schedule <cron>', "take etcd snapshots on this cron schedule, e.g. '0 */6 * * *'")
    .option('--etcd-snapshot-retention <n>', 'scheduled snapshots to keep', '5')
    .option('--etcd-snapshot-dir <dir>', 'where scheduled snapshots go (default <home>/snapshots)')
    .option('--registry-mirror <registry=url>', 'pull REGISTRY\'s images from URL, e.g. docker.io=http://127.0.0.1:5000 (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--registry-config <file>', "the nodes' registries.yaml (k3s format: mirrors, auth, tls) instead of --registry-mirror")
    .action(async (flags: Flags) => {
      const code = await up(settingsFrom(flags));
      process.exit(code);
    });
}

function count(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${flag}: give a whole number from 0 to ${max}, not ${value}`);
  return n;
}

function settingsFrom(flags: Flags): Settings {
  const port = parsePort(flags.port, '--port');
  const etcdPort = parsePort(flags.etcdPort, '--etcd-port');
  if (port === 0) throw new Error('--port: give a fixed port (the kubeconfig names it)');
  if (etcdPort === 0 || etcdPort === 65535) throw new Error('--etcd-port: give a fixed port below 65535');
  const nodes = count(flags.nodes, '--nodes', 200);
  const hollowNodes = count(flags.hollowNodes, '--hollow-nodes', 5000);
  if (nodes > 1 && !canIsolateNodes()) {
    throw new Error('--nodes above 1 needs root: each local node gets its own network namespace');
  }
  const home = resolve(flags.home);
  const retention = count(flags.etcdSnapshotRetention, '--etcd-snapshot-retention', 10_000);
  if (flags.etcdSnapshotSchedule !== undefined) {
    try {
      parseCron(flags.etcdSnapshotSchedule);
    } catch (err) {
      throw new Error(`--etcd-snapshot-schedule: ${(err as Error).message}`);
    }
    if (retention < 1) throw new Error('--etcd-snapshot-retention: keep at least 1');
  }
  const snapshots = flags.etcdSnapshotSchedule === undefined ? undefined : { cron: flags.etcdSnapshotSchedule, retention, dir: resolve(flags.etcdSnapshotDir ?? join(home, 'snapshots')) };
  if (flags.registryConfig !== undefined && flags.registryMirror.length > 0) {
    throw new Error('--registry-mirror: give mirrors either with --registry-mirror or in the --registry-config file, not both');
  }
  const registries =
    flags.registryConfig !== undefined ? { file: checkRegistriesFile(flags.registryConfig) } : flags.registryMirror.length > 0 ? { mirrors: flags.registryMirror.map(parseMirror) } : undefined;
  return { home, port, etcdPort, nodes, hollowNodes, ...(snapshots ? { snapshots } : {}), ...(registries ? { registries } : {}) };
}

const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Runs the cluster until a signal; exit code 0 after a clean stop, 1 when starting failed. */
async function up(s: Settings): Promise<number> {
  mkdirSync(join(s.home, 'logs'), { recursive: true });
  const lock = acquirePidLock(
    join(s.home, 'up.pid'),
    (pid) => new Error(`a cluster is already running from ${s.home} (pid ${pid}); stop it first or use another --home`),
  );
  const abort = new AbortController();
  const cluster = new LocalCluster(s, abort.signal);
  const signalled = new Promise<NodeJS.Signals>((resolveSignal) => {
    const onSignal = (sig: NodeJS.Signals): void => {
      if (abort.signal.aborted) {
        say('second signal: killing everything now');
        cluster.tearDownNetwork();
        lock.release();
        process.exit(130); // the exit hook in process.ts SIGKILLs the children
      }
      abort.abort();
      resolveSignal(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    process.on('SIGHUP', onSignal); // the terminal closed
  });
  let code = 0;
  try {
    const left = await cleanHome(s.home);
    if (left.length) say(`cleared what a previous run of this home left: ${left.join(', ')}`);
    await cluster.start();
    const sig = await signalled;
    say(`\nreceived ${sig}, shutting down…`);
  } catch (err) {
    if (abort.signal.aborted) say('\ninterrupted, shutting down…');
    else {
      say(`\nskiff up failed: ${(err as Error).message}`);
      say('shutting down what was started…');
      code = 1;
    }
  }
  await cluster.stop();
  lock.release();
  say(code === 0 ? 'stopped.' : 'stopped after a failure.');
  return code;
}

interface Row {
  name: string;
  where: string;
  child: Child;
}

/** The processes and host state of one `skiff up`, started in order and stopped in reverse. */
class LocalCluster {
  private readonly sup = new Supervisor({ say, changed: () => this.writeStatus() });
  private readonly logs: string;
  private readonly rows: Row[] = [];
  private readonly nodeNets: NodeNet[] = [];
  private hostNetDown: (() => void) | undefined;
  private stopRoutes: (() => void) | undefined;
  private stopRelays: (() => void) | undefined;
  private readonly runtimes: Array<{ endpoint: string; node: string }> = [];
  private clientset: Clientset | undefined;
  private snapshots: { stop: () => Promise<void> } | undefined;

  constructor(
    private readonly s: Settings,
    private readonly signal: AbortSignal,
  ) {
    this.logs = join(s.home, 'logs');
  }

  private get isolated(): boolean {
    return this.s.nodes > 0 && canIsolateNodes();
  }

  async start(): Promise<void> {
    const { s } = this;
    const reusing = existsSync(join(s.home, 'etcd', 'member'));
    say(`skiff up: home ${s.home} (${reusing ? 'existing cluster data' : 'new cluster'})`);
    await ensureEtcdInstalled({ log: say });
    // Check fixed ports before starting anything, so a clash is reported up front.
    await assertPortFree(s.port, 'apiserver, --port');
    await assertPortFree(s.etcdPort, 'etcd, --etcd-port');

    await this.run(etcdComponent(join(s.home, 'etcd'), s.etcdPort, join(this.logs, 'etcd.log'), this.signal), `http://127.0.0.1:${s.etcdPort}`);
    if (s.snapshots) {
      this.snapshots = startSnapshotSchedule({ ...s.snapshots, etcdUrl: `http://127.0.0.1:${s.etcdPort}`, log: say });
      say(`  etcd snapshots on '${s.snapshots.cron}' to ${s.snapshots.dir}, keeping ${s.snapshots.retention}`);
    }
    const pki = ensureClusterPki(s.home, { extraSans: this.isolated ? [bridgeIp] : [] });
    const url = `https://127.0.0.1:${s.port}`;
    await this.run(this.apiserver(pki, url), url);
    writeClusterKubeconfigs(s.home, pki, url);
    this.clientset = new Clientset(loadKubeconfig(join(s.home, 'kubeconfig')), { userAgent: 'skiff-up' });

    // Before any node process starts, and from the host's namespace: a node's namespace has no
    // route out, so node processes never install anything themselves.
    if (s.nodes > 0) await this.installNodePackages();

    const cmPort = await freePort();
    await this.run(this.hostProcess('controller-manager', ['controller-manager', '--kubeconfig', this.kubeconfig('controller-manager'), '--port', String(cmPort)], healthz('127.0.0.1', cmPort)), `:${cmPort}/healthz`);
    const schedPort = await freePort();
    await this.run(this.hostProcess('scheduler', ['scheduler', '--kubeconfig', this.kubeconfig('scheduler'), '--port', String(schedPort)], healthz('127.0.0.1', schedPort)), `:${schedPort}/healthz`);

    if (this.isolated) this.setUpNetwork();
    const dnsAddr = this.isolated ? `${bridgeIp}:53` : `127.0.0.1:${await freePort()}`;
    await this.run(this.hostProcess('dns', ['dns', '--kubeconfig', this.kubeconfig('dns'), '--listen', dnsAddr], () => Promise.resolve(true)), dnsAddr);

    // Node components reach the apiserver on the host bridge when they live in their own namespace.
    const nodeServer = this.isolated ? `https://${bridgeIp}:${s.port}` : url;
    const nodeKubeconfig = join(s.home, 'components', 'node-local.kubeconfig');
    writeTokenKubeconfig(nodeKubeconfig, nodeServer, pki.tokens.node, pki.caPem, 'node');
    const proxyKubeconfig = join(s.home, 'components', 'proxy-local.kubeconfig');
    writeCertKubeconfig(proxyKubeconfig, nodeServer, pki, 'proxy', certIdentities.proxy);
    // Each local node's kubelet is system:node:<name>: the Node authorizer limits it to its own pods.
    const kubeletKubeconfig = (node: string): string => {
      const file = join(s.home, 'components', `kubelet-${node}.kubeconfig`);
      writeCertKubeconfig(file, nodeServer, pki, `kubelet-${node}`, nodeIdentity(node));
      return file;
    };
    const registryArgs = s.nodes > 0 ? await this.registryArgs() : [];
    for (let i = 1; i <= s.nodes; i++) await this.startNode(i, kubeletKubeconfig, proxyKubeconfig, registryArgs);
    if (s.hollowNodes > 0) {
      await this.run(this.hostProcess('hollow-nodes', ['hollow-nodes', '--kubeconfig', nodeKubeconfig, '--count', String(s.hollowNodes)], () => Promise.resolve(true)), `${s.hollowNodes}-hollow-nodes`);
    }
    const want = s.nodes + s.hollowNodes;
    if (want > 0) await waitForNodesReady(this.clientset, want, say, this.signal);
    this.writeStatus();
    this.printSummary();
  }

  private apiserver(pki: ClusterPki, url: string): Component {
    const { s } = this;
    return skiffProcess({
      name: 'apiserver',
      args: [
        'apiserver', '--etcd-servers', `http://127.0.0.1:${s.etcdPort}`, '--port', String(s.port),
        '--tls-cert-file', pki.certFile, '--tls-private-key-file', pki.keyFile, '--token-auth-file', pki.tokenFile, '--client-ca-file', pki.caFile,
        '--encryption-provider-config', ensureEncryptionConfig(s.home),
        '--audit-policy-file', this.auditPolicyFile(), '--audit-log-path', join(this.logs, 'audit.log'),
        '--kubelet-client-token-file', this.kubeletTokenFile(),
      ],
      logFile: join(this.logs, 'apiserver.log'),
      ready: () => requestWithCa(`${url}/readyz`, { ca: pki.caPem, timeoutMs: 2000 }).then((r) => r.status === 200),
      readyWhat: `the apiserver to become ready at ${url}/readyz`,
      signal: this.signal,
    });
  }

  private hostProcess(name: string, args: string[], ready: () => Promise<boolean>): Component {
    return skiffProcess({ name, args, logFile: join(this.logs, `${name}.log`), ready, readyWhat: `${name} to become ready`, signal: this.signal });
  }

  /** Metadata for every request but the probes, unless the user already wrote their own policy. */
  private auditPolicyFile(): string {
    const file = join(this.s.home, 'audit-policy.yaml');
    if (!existsSync(file)) writeFileSync(file, defaultAuditPolicy);
    return file;
  }

  /** The shared secret the apiserver shows kubelets when it relays logs and exec. */
  private kubeletTokenFile(): string {
    const file = join(this.s.home, 'pki', 'kubelet-client.token');
    if (!existsSync(file)) writeFileSync(file, `${randomBytes(24).toString('hex')}\n`, { mode: 0o600 });
    return file;
  }

  private kubeconfig(component: string): string {
    return join(this.s.home, 'components', `${component}.kubeconfig`);
  }

  private async installNodePackages(): Promise<void> {
    say('checking node packages (runc, conmon, CNI plugins, iptables)…');
    const missing = await ensureNodePackages(say);
    say(missing.length ? `  still missing: ${missing.join(', ')}` : '  node packages present');
  }

  private setUpNetwork(): void {
    say('setting up node networks…');
    recordNetwork(this.s.home, networkRecord(this.s.nodes));
    this.hostNetDown = setUpHostNetwork();
    for (let i = 1; i <= this.s.nodes; i++) this.nodeNets.push(setUpNodeNetwork(i));
    routeServiceCidr(this.nodeNets[0]?.ip);
    const ips = new Set(this.nodeNets.map((n) => n.ip));
    this.stopRoutes = startPodRoutes(this.clientset as Clientset, ips, createLogger('pod-routes', 'warn'));
    say(`  ${this.nodeNets.length} node namespace(s) on bridge ${bridgeIp}/24`);
  }

  /** The runtimes' `--registry-config`: the user's file, or one written from --registry-mirror. */
  private async registryArgs(): Promise<string[]> {
    const r = this.s.registries;
    if (!r) return [];
    if ('file' in r) return ['--registry-config', r.file];
    const { file, relays } = writeMirrorsFile(this.s.home, r.mirrors, this.isolated ? bridgeIp : undefined);
    if (relays.length > 0) {
      this.stopRelays = await startLoopbackRelays(bridgeIp, relays);
      say(`  nodes reach the loopback registry mirror(s) through ${relays.map((p) => `${bridgeIp}:${p}`).join(', ')}`);
    }
    return ['--registry-config', file];
  }

  private async startNode(i: number, kubeletKubeconfig: (node: string) => string, proxyKubeconfig: string, registryArgs: string[]): Promise<void> {
    const net = this.nodeNets[i - 1];
    const name = net?.name ?? `node-${i}`;
    const kubeconfig = kubeletKubeconfig(name);
    const dir = join(this.s.home, 'nodes', name);
    mkdirSync(dir, { recursive: true });
    const sock = join(dir, 'runtime.sock');
    const endpoint = `unix://${sock}`;
    const host = net?.ip ?? '127.0.0.1';
    const kubeletPort = net ? 10250 : await freePort();
    const proxyPort = net ? 10249 : await freePort();
    const nodeProc = (component: string, args: string[], ready: () => Promise<boolean>): Component =>
      skiffProcess({
        name: `${name}/${component}`, args, logFile: join(this.logs, `${name}-${component}.log`), ready,
        readyWhat: `${component} on ${name} to become ready`, signal: this.signal, ...(net ? { netns: net.netns } : {}),
      });
    rmSync(sock, { force: true });
    await this.run(nodeProc('runtime', ['runtime', '--listen', endpoint, '--root', join(dir, 'runtime'), ...registryArgs], fileExists(sock)), endpoint);
    this.runtimes.push({ endpoint, node: name });
    await this.run(
      nodeProc('kubelet', [
        'kubelet', '--kubeconfig', kubeconfig, '--node-name', name, '--runtime-endpoint', endpoint,
        '--root-dir', join(dir, 'kubelet'), '--port', String(kubeletPort), '--address', host, '--cluster-dns', '10.96.0.10',
        '--kubelet-auth-token-file', this.kubeletTokenFile(),
      ], healthz(host, kubeletPort)),
      `${host}:${kubeletPort}`,
    );
    await this.run(
      nodeProc('proxy', ['proxy', '--kubeconfig', proxyKubeconfig, '--node-name', name, '--metrics-port', String(proxyPort), '--metrics-bind-address', host], healthz(host, proxyPort)),
      `${host}:${proxyPort}`,
    );
  }

  /** Starts a component under supervision with "starting X… / X ready" progress lines. */
  private async run(component: Component, where: string): Promise<void> {
    say(`starting ${component.name}…`);
    const t0 = Date.now();
    const child = await this.sup.start(component);
    this.rows.push({ name: component.name, where, child });
    say(`  ${component.name} ready (pid ${child.pid}, ${((Date.now() - t0) / 1000).toFixed(1)}s)`);
    this.writeStatus();
  }

  /** `<home>/status.json`: what `skiff status` reads to find the components. */
  private writeStatus(): void {
    const components = this.sup.status().map((c) => ({ ...c, where: this.rows.find((r) => r.name === c.name)?.where ?? '' }));
    writeFileSync(join(this.s.home, 'status.json'), `${JSON.stringify({ pid: process.pid, components }, null, 2)}\n`);
  }

  private printSummary(): void {
    const kubeconfig = join(this.s.home, 'kubeconfig');
    say('');
    say('skiff is up:');
    for (const r of this.rows) {
      const child = this.sup.child(r.name) ?? r.child;
      say(`  ${r.name.padEnd(18)} ${r.where.padEnd(32)} pid ${String(child.pid).padEnd(8)} log ${child.logFile}`);
    }
    say(`  ${'kubeconfig'.padEnd(18)} ${kubeconfig}`);
    say('');
    say('Try:');
    say(`  export KUBECONFIG=${kubeconfig}`);
    say('  kubectl get nodes');
    say('  kubectl get pods -A');
    say('');
    say(`Press Ctrl-C to stop. The data stays in ${join(this.s.home, 'etcd')} for the next \`skiff up\`.`);
  }

  async stop(): Promise<void> {
    await this.snapshots?.stop();
    this.stopRoutes?.(); // before the apiserver goes, so its informer does not complain
    this.stopRoutes = undefined;
    await this.sup.stopAll({
      // Containers outlive the kubelet and runtime by design; a stopping cluster removes its pods
      // through each runtime before stopping it, so nothing is left running.
      before: async (name) => {
        const rt = this.runtimes.find((r) => name === `${r.node}/runtime`);
        if (rt) await cleanUpNodePods(rt.endpoint, say);
      },
    });
    this.clientset?.close();
    this.stopRelays?.();
    this.tearDownNetwork();
  }

  tearDownNetwork(): void {
    this.stopRoutes?.();
    this.stopRoutes = undefined;
    for (const n of this.nodeNets.splice(0)) tearDownNodeNetwork(n);
    this.hostNetDown?.();
    this.hostNetDown = undefined;
  }
}
