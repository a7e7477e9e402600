// TLS and bearer tokens through the HTTP API: probes stay open, everything else (discovery, OpenAPI,
// metrics, logs and exec included) wants credentials.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureClusterPki } from '../host/pki.js';
import { requestWithCa } from '../host/tls-get.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { TokenAuthenticator } from './http/authn.js';

describe('apiserver TLS and token authentication', function () {
  this.timeout(30_000);
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer({ secure: true });
  });
  after(async () => {
    await server?.close();
  });
  const get = (path: string, token?: string) => requestWithCa(server.url + path, { ca: server.caPem!, ...(token ? { token } : {}) });

  it('serves https and lets probes and /version through without a token', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    for (const path of ['/healthz', '/readyz', '/livez', '/version']) {
      assert.equal((await get(path)).status, 200, path);
    }
  });

  it('answers 401 with a Status without a token or with a wrong one', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const res = await get('/api/v1/namespaces', token);
      assert.equal(res.status, 401);
      assert.deepEqual(JSON.parse(res.body), {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    const post = await requestWithCa(`${server.url}/api/v1/namespaces/default/configmaps`, {
      ca: server.caPem!,
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'sneaky' } }),
    });
    assert.equal(post.status, 401);
    assert.equal((await get('/api/v1/namespaces/default/configmaps/sneaky', server.token)).status, 404);
  });

  it('serves the API to the admin token', async () => {
    const res = await get('/api/v1/namespaces', server.token);
    assert.equal(res.status, 200, res.body);
    const names = (JSON.parse(res.body) as { items: Array<{ metadata: { name: string } }> }).items.map((i) => i.metadata.name);
    assert.ok(names.includes('kube-system'), names.join(','));
  });

  it('answers 401 on discovery, OpenAPI, metrics, logs and exec without credentials', async () => {
    const paths = ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/openapi/v3', '/metrics', '/api/v1/namespaces/default/pods/p/log'];
    for (const path of paths) {
      const res = await requestWithCa(server.url + path, { ca: server.caPem! });
      assert.equal(res.status, 401, `${path}: ${res.body}`);
      assert.equal(JSON.parse(res.body).reason, 'Unauthorized', path);
    }
    const exec = await requestWithCa(`${server.url}/api/v1/namespaces/default/pods/p/exec?command=ls`, {
      ca: server.caPem!,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'v5.channel.k8s.io' },
    });
    assert.equal(exec.status, 401, exec.body);
  });

  it('authenticates a client certificate signed by the cluster CA and refuses one from another CA', async () => {
    const cert = server.pki!.clientCert('test-alice', { user: 'alice', groups: ['system:masters'] });
    const ok = await requestWithCa(`${server.url}/api/v1/namespaces`, { ca: server.caPem!, cert: cert.certPem, key: cert.keyPem });
    assert.equal(ok.status, 200, ok.body);
    const other = mkdtempSync(join(tmpdir(), 'skiff-other-ca-'));
    try {
      const foreign = ensureClusterPki(other).clientCert('mallory', { user: 'mallory', groups: ['system:masters'] });
      const res = await requestWithCa(`${server.url}/api/v1/namespaces`, { ca: server.caPem!, cert: foreign.certPem, key: foreign.keyPem });
      assert.equal(res.status, 401, res.body);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('is refused by a client that does not trust the cluster CA', async () => {
    await assert.rejects(requestWithCa(`${server.url}/healthz`), /self-signed|unable to verify|certificate/i);
  });
});

describe('TokenAuthenticator', () => {
  it('parses the static token CSV with quoted groups and finds users by bearer token', () => {
    const a = TokenAuthenticator.parse('# comment\nt1,alice,u1,"g1,g2"\n\nt2,bob,u2\n', 'tokens.csv');
    assert.deepEqual(a.authenticate('Bearer t1'), { name: 'alice', uid: 'u1', groups: ['g1', 'g2'] });
    assert.deepEqual(a.authenticate('bearer t2'), { name: 'bob', uid: 'u2', groups: [] });
    assert.equal(a.authenticate('Bearer t3'), undefined);
    assert.equal(a.authenticate('Basic dDE6'), undefined);
    assert.equal(a.authenticate(undefined), undefined);
  });

  it('names the file and line of a malformed entry', () => {
    assert.throws(() => TokenAuthenticator.parse('t1,alice,u1\nonlytoken\n', 'tokens.csv'), /tokens\.csv:2: want token,user,uid/);
    assert.throws(() => TokenAuthenticator.parse('\n', 'empty.csv'), /empty\.csv: no tokens/);
  });
});
