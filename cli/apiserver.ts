// `skiff apiserver`: the API server alone. A thin main: parse flags, start the library, run
// until SIGTERM/SIGINT, close, exit 0.
import { Command } from 'commander';
import { pino } from 'pino';
import { parsePort } from '../host/process.js';
import { stopOnSignal } from '../host/signals.js';

interface Flags {
  etcdServers: string;
  port: string;
  bindAddress?: string;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  tokenAuthFile?: string;
  clientCaFile?: string;
  maxRequestsInflight: string;
  maxMutatingRequestsInflight: string;
  auditPolicyFile?: string;
  encryptionProviderConfig?: string;
  auditLogPath?: string;
  auditLogMaxsize: string;
  auditLogMaxbackup: string;
  kubeletClientTokenFile?: string;
  etcdPrefix: string;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
}

export function apiserverCommand(): Command {
  return new Command('apiserver')
    .description('run the API server (HTTPS with --tls-cert-file/--tls-private-key-file; plain HTTP on 127.0.0.1 without them)')
    .requiredOption('--etcd-servers <urls>', 'comma-separated etcd client URLs, e.g. http://127.0.0.1:2379')
    .option('--port <port>', 'port to serve on (0 = random)', '6443')
    .option('--bind-address <ip>', 'address to listen on (default 127.0.0.1, or 0.0.0.0 with TLS)')
    .option('--tls-cert-file <file>', 'PEM certificate to serve HTTPS with')
    .option('--tls-private-key-file <file>', 'PEM private key of --tls-cert-file')
    .option('--token-auth-file <file>', 'static bearer tokens (CSV: token,user,uid,"group1,group2"); requests without one get 401')
    .option('--client-ca-file <file>', 'CA whose client certificates authenticate (CN = user, O = groups)')
    .option('--kubelet-client-token-file <file>', 'bearer token presented to kubelets for logs and exec (the file their --kubelet-auth-token-file reads)')
    .option('--max-requests-inflight <n>', 'read requests under way beyond which the next gets 429 (0 = no limit)', '400')
    .option('--max-mutating-requests-inflight <n>', 'writes under way beyond which the next gets 429 (0 = no limit)', '200')
    .option('--encryption-provider-config <file>', 'EncryptionConfiguration: which resources are encrypted in etcd, with which keys (reloaded when it changes)')
    .option('--audit-policy-file <file>', 'audit.k8s.io/v1 Policy: which requests are logged at which level')
    .option('--audit-log-path <file>', 'where audit events go, one JSON line each')
    .option('--audit-log-maxsize <mb>', 'size at which the audit log is rotated', '100')
    .option('--audit-log-maxbackup <n>', 'rotated audit logs kept', '10')
    .option('--etcd-prefix <prefix>', 'key prefix for everything stored in etcd', '/registry')
    .option('--service-cluster-ip-range <cidr>', 'IPv4 range Service ClusterIPs come from', '10.96.0.0/12')
    .option('--service-node-port-range <lo-hi>', 'port range NodePorts come from', '30000-32767')
    .action(async (flags: Flags) => {
      await runApiServer(flags);
    });
}

async function runApiServer(flags: Flags): Promise<void> {
  const etcdServers = flags.etcdServers
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (etcdServers.length === 0) throw new Error('--etcd-servers: give at least one URL');
  for (const u of etcdServers) {
    if (!/^https?:\/\/[^/]+/.test(u)) throw new Error(`--etcd-servers: not a URL: ${u}`);
  }
  const port = parsePort(flags.port, '--port');
  const range = /^(\d+)-(\d+)$/.exec(flags.serviceNodePortRange);
  if (!range || Number(range[1]) >= Number(range[2])) throw new Error(`--service-node-port-range: expected LOW-HIGH, got ${flags.serviceNodePortRange}`);
  if (!/^\d+\.\d+\.\d+\.\d+\/\d+$/.test(flags.serviceClusterIpRange)) throw new Error(`--service-cluster-ip-range: expected an IPv4 CIDR, got ${flags.serviceClusterIpRange}`);
  if ((flags.tlsCertFile === undefined) !== (flags.tlsPrivateKeyFile === undefined)) {
    throw new Error('--tls-cert-file and --tls-private-key-file go together');
  }
  const log = pino({ name: 'apiserver' });
  const count = (v: string, flag: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${flag}: want a non-negative integer, got ${v}`);
    return n;
  };

  // Imported lazily so that other subcommands do not load the whole server.
  const { startApiServer } = await import('../apiserver/index.js');
  const server = await startApiServer({
    etcdServers,
    port,
    ...(flags.bindAddress !== undefined ? { host: flags.bindAddress } : {}),
    ...(flags.tlsCertFile !== undefined ? { tlsCertFile: flags.tlsCertFile } : {}),
    ...(flags.tlsPrivateKeyFile !== undefined ? { tlsKeyFile: flags.tlsPrivateKeyFile } : {}),
    ...(flags.tokenAuthFile !== undefined ? { tokenAuthFile: flags.tokenAuthFile } : {}),
    ...(flags.clientCaFile !== undefined ? { clientCaFile: flags.clientCaFile } : {}),
    ...(flags.kubeletClientTokenFile !== undefined ? { kubeletClientTokenFile: flags.kubeletClientTokenFile } : {}),
    maxRequestsInflight: count(flags.maxRequestsInflight, '--max-requests-inflight'),
    maxMutatingRequestsInflight: count(flags.maxMutatingRequestsInflight, '--max-mutating-requests-inflight'),
    ...(flags.encryptionProviderConfig !== undefined ? { encryptionProviderConfig: flags.encryptionProviderConfig } : {}),
    ...(flags.auditPolicyFile !== undefined ? { auditPolicyFile: flags.auditPolicyFile } : {}),
    ...(flags.auditLogPath !== undefined ? { auditLogPath: flags.auditLogPath } : {}),
    auditLogMaxSizeMb: count(flags.auditLogMaxsize, '--audit-log-maxsize'),
    auditLogMaxBackups: count(flags.auditLogMaxbackup, '--audit-log-maxbackup'),
    etcdPrefix: flags.etcdPrefix,
    serviceCidr: flags.serviceClusterIpRange,
    nodePortRange: [Number(range[1]), Number(range[2])],
  });
  // startApiServer logs its URL itself.

  stopOnSignal(log, () => server.close());
}
