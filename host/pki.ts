// The cluster's own PKI under <home>: a CA, the apiserver's serving certificate signed by it,
// client certificates (CN = user, O = groups) for the admin and each component, static bearer
// tokens (Kubernetes' token CSV) that still work, and the kubeconfigs that carry them. Generated
// once and kept across restarts; a certificate is reissued (same CA) only when it lacks a wanted
// name or nears expiry.
import { generateKeyPairSync, randomBytes, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';
import { join } from 'node:path';
import forge from 'node-forge';
import { writeKubeconfig, type KubeconfigOptions } from './kubeconfig.js';

/** Components that get a token and a kubeconfig of their own. `node` is the shared node token of `skiff join` and hollow nodes. */
export const componentNames = ['controller-manager', 'scheduler', 'node'] as const;
export type ComponentName = (typeof componentNames)[number];

/**
 * Who each token is, as the token CSV says: user, uid, groups. The shared node token is not a
 * node identity (one name for every node would defeat the Node authorizer): its group is bound
 * to the broad `system:node` role, as Kubernetes' nodes were before per-node credentials.
 */
const identities: Record<'admin' | ComponentName, { user: string; groups: string[] }> = {
  admin: { user: 'admin', groups: ['system:masters'] },
  'controller-manager': { user: 'system:kube-controller-manager', groups: [] },
  scheduler: { user: 'system:kube-scheduler', groups: [] },
  node: { user: 'skiff:node-token', groups: ['skiff:nodes'] },
};

/** Identities with a client certificate of their own: the admin (like kind's kubernetes-admin) and the control-plane components. */
export const certIdentities = {
  admin: { user: 'kubernetes-admin', groups: ['system:masters'] },
  'controller-manager': { user: 'system:kube-controller-manager', groups: [] },
  scheduler: { user: 'system:kube-scheduler', groups: [] },
  proxy: { user: 'system:kube-proxy', groups: [] },
  dns: { user: 'system:kube-dns', groups: [] },
} as const;
export type CertName = keyof typeof certIdentities;

/** A node's own identity, as the Node authorizer reads it. */
export const nodeIdentity = (node: string): { user: string; groups: string[] } => ({ user: `system:node:${node}`, groups: ['system:nodes'] });

/** The first address of the default Service CIDR (the `kubernetes` Service): pods reach the API there. */
const firstServiceIp = '10.96.0.1';

export interface ClusterPki {
  dir: string;
  caFile: string;
  caPem: string;
  certFile: string;
  keyFile: string;
  /** Kubernetes' static token file (`--token-auth-file`). */
  tokenFile: string;
  adminToken: string;
  tokens: Record<ComponentName, string>;
  /** Names the serving certificate is valid for. */
  sans: string[];
  /** A client certificate for user/groups signed by the CA, kept as pki/<file>.crt|.key. */
  clientCert(file: string, id: { user: string; groups: readonly string[] }): ClientCert;
}

export interface ClientCert {
  certFile: string;
  keyFile: string;
  certPem: string;
  keyPem: string;
}

export interface PkiOptions {
  /** More names or IPs for the serving certificate (e.g. node bridge addresses). */
  extraSans?: string[];
  /** When given, (re)write `<home>/kubeconfig` and `<home>/components/<name>.kubeconfig` for this URL. */
  server?: string;
}

/** Creates what is missing of the cluster PKI under `<home>/pki` and returns it. */
export function ensureClusterPki(home: string, opts: PkiOptions = {}): ClusterPki {
  const dir = join(home, 'pki');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caFile = join(dir, 'ca.crt');
  const caKeyFile = join(dir, 'ca.key');
  const certFile = join(dir, 'apiserver.crt');
  const keyFile = join(dir, 'apiserver.key');
  const tokenFile = join(dir, 'tokens.csv');

  if (!existsSync(caFile) || !existsSync(caKeyFile)) {
    const ca = issueCa();
    writeSecret(caKeyFile, ca.keyPem);
    writeAtomic(caFile, ca.certPem, 0o644);
  }
  const caPem = readFileSync(caFile, 'utf8');
  const sans = wantedSans(opts.extraSans ?? []);
  if (servingCertNeedsIssue(certFile, keyFile, caPem, sans)) {
    const serving = issueServing(caPem, readFileSync(caKeyFile, 'utf8'), sans);
    writeSecret(keyFile, serving.keyPem);
    writeAtomic(certFile, serving.certPem, 0o644);
  }
  const tokens = ensureTokens(tokenFile);
  const pki: ClusterPki = {
    dir,
    caFile,
    caPem,
    certFile,
    keyFile,
    tokenFile,
    adminToken: tokens.admin,
    tokens: { 'controller-manager': tokens['controller-manager'], scheduler: tokens.scheduler, node: tokens.node },
    sans,
    clientCert: (file, id) => ensureClientCert(dir, file, id, caPem, () => readFileSync(caKeyFile, 'utf8')),
  };
  if (opts.server !== undefined) writeClusterKubeconfigs(home, pki, opts.server);
  return pki;
}

/**
 * `<home>/kubeconfig` for the admin and `<home>/components/<name>.kubeconfig` for each component,
 * with client certificates; the shared node token's kubeconfig keeps its token.
 */
export function writeClusterKubeconfigs(home: string, pki: ClusterPki, server: string): void {
  writeCertKubeconfig(join(home, 'kubeconfig'), server, pki, 'admin', certIdentities.admin);
  for (const name of ['controller-manager', 'scheduler', 'proxy', 'dns'] as const) {
    writeCertKubeconfig(join(home, 'components', `${name}.kubeconfig`), server, pki, name, certIdentities[name]);
  }
  writeTokenKubeconfig(join(home, 'components', 'node.kubeconfig'), server, pki.tokens.node, pki.caPem, 'node');
}

/** A kubeconfig that authenticates with the client certificate pki/<name>.crt for `id`. */
export function writeCertKubeconfig(file: string, server: string, pki: ClusterPki, name: string, id: { user: string; groups: readonly string[] }): void {
  const cert = pki.clientCert(name, id);
  writeKubeconfig(file, { server, caPem: pki.caPem, clientCertPem: cert.certPem, clientKeyPem: cert.keyPem, user: id.user });
}

/** A kubeconfig that trusts `caPem` and authenticates with a bearer token (also used by `skiff join`). */
export function writeTokenKubeconfig(file: string, server: string, token: string, caPem: string, user = 'admin'): void {
  const opts: KubeconfigOptions = { server, token, caPem, user };
  writeKubeconfig(file, opts);
}

function wantedSans(extra: string[]): string[] {
  const out = new Set(['localhost', '127.0.0.1', firstServiceIp, hostname()]);
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      // Link-local IPv6 needs a zone and is never how a client names a server.
      if (!a.internal && !(a.family === 'IPv6' && a.address.toLowerCase().startsWith('fe80'))) out.add(a.address);
    }
  }
  for (const s of extra) if (s.trim()) out.add(s.trim());
  return [...out];
}

function servingCertNeedsIssue(certFile: string, keyFile: string, caPem: string, sans: string[]): boolean {
  if (!existsSync(certFile) || !existsSync(keyFile)) return true;
  try {
    const cert = new X509Certificate(readFileSync(certFile));
    if (!cert.checkIssued(new X509Certificate(caPem))) return true;
    if (Date.parse(cert.validTo) - Date.now() < 30 * 24 * 3600_000) return true;
    const have = new Set((cert.subjectAltName ?? '').split(', ').map((s) => sanKey(s.replace(/^(DNS|IP Address):/, ''))));
    return sans.some((s) => !have.has(sanKey(s)));
  } catch {
    return true; // unreadable: issue a new one
  }
}

/** One spelling per name: lower case, IPv6 with all eight groups (OpenSSL prints `FD00:0:0:0:0:0:0:2`). */
function sanKey(s: string): string {
  if (isIP(s) !== 6) return s.toLowerCase();
  const [head = '', tail] = s.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

interface Issued {
  certPem: string;
  keyPem: string;
}

function newKeyPair(): { pub: forge.pki.PublicKey; keyPem: string } {
  // Node's native generator: forge's pure-JS RSA generation takes seconds.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { pub: forge.pki.publicKeyFromPem(publicKey), keyPem: privateKey };
}

/** What forge's cert.sign does, with Node's native RSA signature (forge's pure-JS one takes about a second). */
function signCert(cert: forge.pki.Certificate, keyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  // getTBSCertificate is public in forge but missing from its type definitions.
  const { getTBSCertificate } = forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 };
  const tbs = getTBSCertificate(cert);
  (cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  cert.signature = sign('sha256', Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary'), keyPem).toString('binary');
}

function baseCert(pub: forge.pki.PublicKey, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = pub;
  // A positive serial (high bit clear), as RFC 5280 wants and Go checks.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000); // clock skew between processes
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 24 * 3600_000);
  return cert;
}

function issueCa(): Issued {
  const { pub, keyPem } = newKeyPair();
  const cert = baseCert(pub, 10);
  const subject = [{ name: 'commonName', value: 'skiff-ca' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  signCert(cert, keyPem);
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function issueServing(caPem: string, caKeyPem: string, sans: string[]): Issued {
  const ca = forge.pki.certificateFromPem(caPem);
  const { pub, keyPem } = newKeyPair();
  const cert = baseCert(pub, 1);
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    { name: 'subjectAltName', altNames: sans.map((s) => (isIP(s) ? { type: 7, ip: s } : { type: 2, value: s })) },
  ]);
  signCert(cert, caKeyPem);
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/** Keeps pki/<name>.crt for `id` while it names the same user and groups, is the CA's, and is far from expiry. */
function ensureClientCert(dir: string, name: string, id: { user: string; groups: readonly string[] }, caPem: string, caKey: () => string): ClientCert {
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  if (clientCertNeedsIssue(certFile, keyFile, caPem, id)) {
    const issued = issueClient(caPem, caKey(), id.user, [...id.groups]);
    writeSecret(keyFile, issued.keyPem);
    writeAtomic(certFile, issued.certPem, 0o644);
  }
  return { certFile, keyFile, certPem: readFileSync(certFile, 'utf8'), keyPem: readFileSync(keyFile, 'utf8') };
}

function clientCertNeedsIssue(certFile: string, keyFile: string, caPem: string, id: { user: string; groups: readonly string[] }): boolean {
  if (!existsSync(certFile) || !existsSync(keyFile)) return true;
  try {
    const cert = new X509Certificate(readFileSync(certFile));
    if (!cert.checkIssued(new X509Certificate(caPem))) return true;
    if (Date.parse(cert.validTo) - Date.now() < 30 * 24 * 3600_000) return true;
    const want = [`CN=${id.user}`, ...id.groups.map((g) => `O=${g}`)].sort().join('\n');
    const have = cert.subject.split('\n').sort().join('\n');
    return want !== have;
  } catch {
    return true;
  }
}

/** A client certificate as Kubernetes reads one: CN is the user, each O a group. */
export function issueClient(caPem: string, caKeyPem: string, user: string, groups: string[]): Issued {
  const ca = forge.pki.certificateFromPem(caPem);
  const { pub, keyPem } = newKeyPair();
  const cert = baseCert(pub, 1);
  cert.setSubject([...groups.map((g) => ({ name: 'organizationName', value: g })), { name: 'commonName', value: user }]);
  cert.setIssuer(ca.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  signCert(cert, caKeyPem);
  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

type TokenName = 'admin' | ComponentName;

/** Reads the token CSV and adds a fresh token for every identity it lacks. */
function ensureTokens(file: string): Record<TokenName, string> {
  const byUser = new Map<string, string>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const [token, user] = line.split(',');
      if (token && user) byUser.set(user, token);
    }
  }
  const out = {} as Record<TokenName, string>;
  let changed = false;
  for (const [name, id] of Object.entries(identities) as Array<[TokenName, (typeof identities)[TokenName]]>) {
    let token = byUser.get(id.user);
    if (!token) {
      token = randomBytes(24).toString('base64url');
      changed = true;
    }
    out[name] = token;
  }
  if (changed || !existsSync(file)) {
    const lines = (Object.entries(identities) as Array<[TokenName, (typeof identities)[TokenName]]>).map(
      ([name, id]) => `${out[name]},${id.user},${id.user},"${id.groups.join(',')}"`,
    );
    writeSecret(file, `${lines.join('\n')}\n`);
  }
  return out;
}

function writeAtomic(file: string, text: string, mode: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode });
  renameSync(tmp, file);
}

const writeSecret = (file: string, text: string): void => writeAtomic(file, text, 0o600);
