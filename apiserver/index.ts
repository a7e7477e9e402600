// The apiserver as a library: `skiff apiserver` and `skiff up` both start it through here.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { resources } from '../api/registry.js';
import type { ResourceType } from '../api/resource.js';
import { buildHandler } from './http/app.js';
import { NodeProxy } from './http/node-proxy.js';
import { requestAuthenticator, TokenAuthenticator, type RequestAuthenticator } from './http/authn.js';
import { mastersAuthorizer, unionAuthorizer } from './auth/authorizer.js';
import { impersonator } from './auth/impersonation.js';
import { RbacAuthorizer } from './auth/rbac.js';
import { bootstrapClusterRoles } from './auth/bootstrap-policy.js';
import { NodeAuthorizer } from './auth/node-authorizer.js';
import { NodeGraph } from './auth/node-graph.js';
import { nodeRestrictionPlugin } from './admission/node-restriction.js';
import { reconcileBootstrapPolicy } from './auth/reconcile.js';
import { reviewHandler } from './auth/reviews.js';
import { rbacEscalationPlugin } from './admission/rbac-escalation.js';
import { ObjectIndex } from './storage/object-index.js';
import { AuditLog, parseAuditPolicy } from './http/audit.js';
import { InflightLimiter } from './http/inflight.js';
import { parseEncryptionConfig } from './storage/encryption.js';
import { Discovery } from './http/discovery.js';
import { ResourceHandler } from './http/resources.js';
import { createLogger, type Logger } from './log.js';
import { ApiMetrics } from './metrics.js';
import { NamespaceFinalizer } from './registry/namespace-finalizer.js';
import { NamespaceTracker } from './registry/namespaces.js';
import { ensureKubernetesService } from './registry/kubernetes-service.js';
import { AdmissionChain } from './admission/chain.js';
import { namespaceLifecyclePlugin } from './admission/namespace-lifecycle.js';
import { defaultTolerationSecondsPlugin, ensureSystemPriorityClasses, priorityPlugin } from './admission/priority.js';
import { strategyTable } from './registry/strategy.js';
import { systemPriorityClasses } from '../api/scheduling/v1/rules.js';
import { Registry } from './registry/rest.js';
import { ServiceAllocator } from './registry/service-alloc.js';
import { Compactor } from './storage/compactor.js';
import { Store } from './storage/store.js';
import { WatchCache } from './storage/watch-cache.js';

export interface ApiServerOptions {
  etcdServers: string[];
  /** 0 picks a free port. Default 6443. */
  port?: number;
  /** Default 127.0.0.1 without TLS (the API is then only for this machine), 0.0.0.0 with TLS. */
  host?: string;
  /** PEM certificate (chain) and key to serve HTTPS with; both or neither. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Kubernetes' static token CSV; with it (or a client CA) every request but the probes needs credentials. */
  tokenAuthFile?: string;
  /** CA whose client certificates authenticate their CN as user and O as groups (needs TLS). */
  clientCaFile?: string;
  /** Bearer token (file) presented to kubelets when relaying pods/log and pods/exec. */
  kubeletClientTokenFile?: string;
  /** etcd key prefix, default `/registry`; tests use their own to stay apart. */
  etcdPrefix?: string;
  /** How often to compact etcd history (ms); default 5 minutes. */
  compactIntervalMs?: number;
  /** ClusterIPs come from here; default 10.96.0.0/12. */
  serviceCidr?: string;
  /** NodePorts come from here; default 30000-32767. */
  nodePortRange?: [number, number];
  /** Requests under way beyond which the next gets 429 (Kubernetes' defaults 400 and 200; 0 = no limit). */
  maxRequestsInflight?: number;
  maxMutatingRequestsInflight?: number;
  /** apiserver.config.k8s.io/v1 EncryptionConfiguration: which resources are encrypted in etcd, with which keys. */
  encryptionProviderConfig?: string;
  /** audit.k8s.io/v1 Policy file; with auditLogPath, one JSON line per audited request. */
  auditPolicyFile?: string;
  auditLogPath?: string;
  auditLogMaxSizeMb?: number;
  auditLogMaxBackups?: number;
  /** Events kept in the watch cache; older resourceVersions get 410 Gone. */
  watchCacheSize?: number;
  log?: Logger;
}

export interface ApiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const systemNamespaces = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

async function ensureNamespaces(registry: Registry, nsType: ResourceType, log: Logger): Promise<void> {
  for (const name of systemNamespaces) {
    try {
      await registry.create(nsType, undefined, { metadata: { name } });
      log.info({ namespace: name }, 'created system namespace');
    } catch (err) {
      if ((err as { code?: number }).code !== 409) throw err;
    }
  }
}

/** Reads the TLS and token files up front, so a bad path fails before anything starts. */
interface Security {
  tls?: { cert: Buffer; key: Buffer; ca?: Buffer; requestCert?: boolean; rejectUnauthorized?: boolean };
  authn?: RequestAuthenticator;
}

function loadSecurity(opts: ApiServerOptions): Security {
  if ((opts.tlsCertFile === undefined) !== (opts.tlsKeyFile === undefined)) {
    throw new Error('give both the TLS certificate and its private key, or neither');
  }
  if (opts.clientCaFile && !opts.tlsCertFile) throw new Error('client certificates (--client-ca-file) need TLS (--tls-cert-file)');
  const read = (file: string, what: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new Error(`cannot read the ${what} ${file}: ${(err as Error).message}`);
    }
  };
  const tokens = opts.tokenAuthFile ? TokenAuthenticator.parse(read(opts.tokenAuthFile, 'token file').toString('utf8'), opts.tokenAuthFile) : undefined;
  // The client CA is asked for but not required: token callers present no certificate.
  const clientCa = opts.clientCaFile ? { ca: read(opts.clientCaFile, 'client CA'), requestCert: true, rejectUnauthorized: false } : {};
  return {
    ...(opts.tlsCertFile && opts.tlsKeyFile
      ? { tls: { cert: read(opts.tlsCertFile, 'TLS certificate'), key: read(opts.tlsKeyFile, 'TLS private key'), ...clientCa } }
      : {}),
    ...(tokens || opts.clientCaFile ? { authn: requestAuthenticator({ ...(tokens ? { tokens } : {}), clientCerts: !!opts.clientCaFile }) } : {}),
  };
}

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const log = opts.log ?? createLogger('apiserver');
  const security = loadSecurity(opts);
  if ((opts.auditPolicyFile === undefined) !== (opts.auditLogPath === undefined)) throw new Error('give both the audit policy file and the audit log path, or neither');
  const audit = opts.auditPolicyFile && opts.auditLogPath
    ? new AuditLog(parseAuditPolicy(readFileSync(opts.auditPolicyFile, 'utf8'), opts.auditPolicyFile), opts.auditLogPath, {
      ...(opts.auditLogMaxSizeMb !== undefined ? { maxSizeMb: opts.auditLogMaxSizeMb } : {}),
      ...(opts.auditLogMaxBackups !== undefined ? { maxBackups: opts.auditLogMaxBackups } : {}),
    })
    : undefined;
  const prefix = (opts.etcdPrefix ?? '/registry').replace(/\/$/, '');
  const encryptionFile = opts.encryptionProviderConfig;
  const loadEncryption = (file: string) => parseEncryptionConfig(readFileSync(file, 'utf8'), file);
  let encryption = encryptionFile ? loadEncryption(encryptionFile) : undefined;
  const resourceOf = (key: string) => key.slice(prefix.length + 1).split('/', 1)[0] ?? '';
  const store = new Store(opts.etcdServers, encryption && {
    write: (key, value) => encryption!.toStorage(resourceOf(key), value),
    read: (key, value) => encryption!.fromStorage(resourceOf(key), value),
    isStale: (key, value) => encryption!.isStale(resourceOf(key), value),
  });
  // A changed configuration (a key rotation) takes effect without a restart, as with
  // kube-apiserver's --encryption-provider-config-automatic-reload; a broken one is logged and ignored.
  if (encryptionFile) {
    watchFile(encryptionFile, { interval: 1000 }, () => {
      try {
        encryption = loadEncryption(encryptionFile);
        log.info({ file: encryptionFile, writeKey: encryption.writeKey('secrets') }, 'reloaded the encryption configuration');
      } catch (err) {
        log.error({ err }, 'the changed encryption configuration is not valid; keeping the previous one');
      }
    });
  }
  const startRev = await store.currentRevision();
  const cache = new WatchCache(store.client, `${prefix}/`, opts.watchCacheSize ?? 100_000, () => store.currentRevision(), (err) =>
    log.error({ err }, 'etcd watch error'),
    store.transform && ((key, value) => store.transform!.read(key, value)),
  );
  await cache.start(startRev);
  const namespaces = new NamespaceTracker(store, `${prefix}/namespaces/`);
  await namespaces.start(cache, startRev);
  const allocator = new ServiceAllocator(prefix, opts.serviceCidr, opts.nodePortRange);
  // RBAC reads roles and bindings from memory, kept current by the watch cache.
  const rbacIndex = (plural: string) => new ObjectIndex(store, `${prefix}/${plural}/`);
  const indexes = { roles: rbacIndex('roles'), clusterRoles: rbacIndex('clusterroles'), roleBindings: rbacIndex('rolebindings'), clusterRoleBindings: rbacIndex('clusterrolebindings') };
  await Promise.all(Object.values(indexes).map((ix) => ix.start(cache, startRev)));
  const rbac = new RbacAuthorizer(indexes);
  const graph = new NodeGraph(store, `${prefix}/pods/`);
  await graph.start(cache, startRev);
  const nodeRules = bootstrapClusterRoles.find((r) => r.metadata?.name === 'system:node')?.rules ?? [];
  // kube-apiserver's default order: Node, then RBAC (system:masters is let through first).
  const authz = unionAuthorizer([mastersAuthorizer, new NodeAuthorizer(graph, nodeRules), rbac]);

  const admission = new AdmissionChain();
  const registry = new Registry(store, prefix, strategyTable({ serviceAllocator: allocator }), admission);
  // The admission plugins, in kube-apiserver's order.
  admission.use([namespaceLifecyclePlugin(namespaces), priorityPlugin(registry), defaultTolerationSecondsPlugin, nodeRestrictionPlugin, rbacEscalationPlugin(authz, rbac)]);
  const nsType = resources.find((r) => r.group === '' && r.plural === 'namespaces')!;
  await ensureNamespaces(registry, nsType, log);
  await ensureSystemPriorityClasses(registry, systemPriorityClasses);
  const policy = await reconcileBootstrapPolicy(registry);
  if (policy.created + policy.updated > 0) log.info(policy, 'reconciled the bootstrap RBAC policy');

  const finalizer = new NamespaceFinalizer(registry, resources, namespaces, (msg, err) => log.warn({ err }, msg));
  finalizer.start();
  const compactor = new Compactor(store, opts.compactIntervalMs ?? 5 * 60_000, log);
  compactor.start();

  const metrics = new ApiMetrics();
  const resourceHandler = new ResourceHandler(registry, cache, (rt) => {
    metrics.watchers.inc({ resource: rt.plural });
    return () => metrics.watchers.dec({ resource: rt.plural });
  }, reviewHandler(authz, rbac));
  let address = '';
  const nodeProxy = new NodeProxy({
    registry, log,
    ...(opts.kubeletClientTokenFile ? { kubeletToken: readFileSync(opts.kubeletClientTokenFile, 'utf8').trim() } : {}),
  });
  const handler = buildHandler({
    resources,
    discovery: new Discovery(resources),
    handler: resourceHandler,
    metrics,
    log,
    ready: () => store.currentRevision().then(() => true, () => false),
    serverAddress: () => address,
    pipeline: {
      ...(security.authn ? { authn: security.authn } : {}),
      authz,
      namespacedSubresources: new Set(nsType.subresources),
      impersonate: impersonator(authz),
      ...(audit ? { audit } : {}),
    },
    inflight: new InflightLimiter({ readonly: opts.maxRequestsInflight ?? 400, mutating: opts.maxMutatingRequestsInflight ?? 200 }),
    nodeProxy: nodeProxy.handler,
    isNodeProxyPath: nodeProxy.handles,
    upgrade: nodeProxy.upgrade,
  });

  const server: Server = security.tls ? createTlsServer(security.tls, handler.listener) : createServer(handler.listener);
  server.on('upgrade', handler.upgrade);
  // Watches are long-lived; keep-alive connections from kubectl and informers are reused.
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  const host = opts.host ?? (security.tls ? '0.0.0.0' : '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 6443, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await ensureKubernetesService(registry, allocator.firstIp, host, port, log);
  // A wildcard bind is reached on loopback from this machine.
  const local = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  address = `${local}:${port}`;
  const url = `${security.tls ? 'https' : 'http'}://${local}:${port}`;
  log.info({ url, bind: host, etcd: opts.etcdServers, prefix, authentication: security.authn ? 'token' : 'none' }, 'apiserver listening');
  if (!security.authn && host !== '127.0.0.1' && host !== '::1' && host !== 'localhost') {
    log.warn({ bind: host }, 'serving beyond loopback without authentication: anyone who reaches this address may do everything (give --token-auth-file)');
  }

  return {
    url,
    port,
    async close() {
      nodeProxy.close();
      finalizer.stop();
      compactor.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // Requests already inside finish before etcd goes: cut off mid-way they would fail with 500s.
      await handler.drain(5000);
      await cache.stop();
      store.close();
      await audit?.close();
      if (encryptionFile) unwatchFile(encryptionFile);
    },
  };
}
