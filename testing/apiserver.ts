// An in-process apiserver for tests, against the run's throwaway etcd, under its own etcd
// prefix so suites never see each other's objects. Plain HTTP on 127.0.0.1 unless `secure`
// asks for TLS, bearer tokens and client certificates (a throwaway cluster PKI in a temp dir).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../apiserver/index.js';
import { ensureClusterPki, type ClusterPki } from '../host/pki.js';
import { testEtcdUrl } from './etcd.js';

export type TestApiServer = ApiServer & {
  prefix: string;
  /** With `secure`: the CA to trust and the admin token. */
  caPem?: string;
  token?: string;
  /** With `secure`: the cluster PKI, to issue client certificates for test users. */
  pki?: ClusterPki;
};

export async function startTestApiServer(opts: { secure?: boolean; options?: Partial<ApiServerOptions> } = {}): Promise<TestApiServer> {
  const prefix = `/t-${randomBytes(6).toString('hex')}/registry`;
  const base = { etcdServers: [testEtcdUrl()], port: 0, etcdPrefix: prefix, ...opts.options };
  if (!opts.secure) return Object.assign(await startApiServer(base), { prefix });
  const home = mkdtempSync(join(tmpdir(), 'skiff-pki-'));
  try {
    const pki = ensureClusterPki(home);
    const server = await startApiServer({
      ...base,
      host: '127.0.0.1',
      tlsCertFile: pki.certFile,
      tlsKeyFile: pki.keyFile,
      tokenAuthFile: pki.tokenFile,
      clientCaFile: pki.caFile,
    });
    const close = server.close.bind(server);
    return Object.assign(server, {
      prefix,
      caPem: pki.caPem,
      token: pki.adminToken,
      pki,
      close: async () => {
        await close();
        rmSync(home, { recursive: true, force: true });
      },
    });
  } catch (err) {
    rmSync(home, { recursive: true, force: true });
    throw err;
  }
}
