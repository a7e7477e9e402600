// Secrets at rest: with an EncryptionConfiguration etcd holds no Secret value in the clear, the
// API still serves them, and after a key rotation old values stay readable while writes move on.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Etcd3 } from 'etcd3';
import { requestWithCa } from '../host/tls-get.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { testEtcdUrl } from '../testing/etcd.js';

describe('encryption at rest', function () {
  this.timeout(60_000);
  let dir: string;
  let etcd: Etcd3;
  const prefix = `/t-${randomBytes(6).toString('hex')}/registry`;
  const key = () => randomBytes(32).toString('base64');
  const k1 = key();
  const k2 = key();
  const config = (providers: string): string => {
    const file = join(dir, `enc-${randomBytes(4).toString('hex')}.yaml`);
    writeFileSync(file, `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n  - resources: [secrets]\n    providers:\n${providers}`);
    return file;
  };
  const aes = (kind: string, name: string, secret: string) => `      - ${kind}:\n          keys:\n            - name: ${name}\n              secret: ${secret}\n`;
  const start = (file: string): Promise<TestApiServer> => startTestApiServer({ secure: true, options: { etcdPrefix: prefix, encryptionProviderConfig: file } });
  const raw = async (name: string): Promise<Buffer> => (await etcd.get(`${prefix}/secrets/default/${name}`).buffer())!;
  const api = (s: TestApiServer, method: string, path: string, body?: unknown) =>
    requestWithCa(s.url + path, { ca: s.caPem!, token: s.token!, method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-enc-'));
    etcd = new Etcd3({ hosts: [testEtcdUrl()] });
  });
  after(() => {
    etcd.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps Secret values out of etcd in the clear and serves them through the API; other kinds stay plain', async () => {
    const s = await start(config(aes('aescbc', 'k1', k1) + '      - identity: {}\n'));
    try {
      assert.equal((await api(s, 'POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'db' }, stringData: { password: 'hunter2-plaintext' } })).status, 201);
      const stored = await raw('db');
      assert.ok(stored.toString('latin1').startsWith('k8s:enc:aescbc:v1:k1:'), stored.subarray(0, 40).toString('latin1'));
      assert.ok(!stored.includes('hunter2') && !stored.includes(Buffer.from('hunter2-plaintext').toString('base64')));
      const got = JSON.parse((await api(s, 'GET', '/api/v1/namespaces/default/secrets/db')).body);
      assert.equal(Buffer.from(got.data.password, 'base64').toString(), 'hunter2-plaintext');
      const list = JSON.parse((await api(s, 'GET', '/api/v1/namespaces/default/secrets')).body);
      assert.deepEqual(list.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['db']);
      await api(s, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'plain' }, data: { a: 'visible' } });
      assert.ok((await etcd.get(`${prefix}/configmaps/default/plain`).string())!.includes('visible'));
    } finally {
      await s.close();
    }
  });

  it('reads values written under the old key after a rotation and writes under the new one', async () => {
    const s = await start(config(aes('aesgcm', 'k2', k2) + aes('aescbc', 'k1', k1)));
    try {
      const cur = JSON.parse((await api(s, 'GET', '/api/v1/namespaces/default/secrets/db')).body);
      assert.equal(Buffer.from(cur.data.password, 'base64').toString(), 'hunter2-plaintext');
      assert.equal((await api(s, 'PUT', '/api/v1/namespaces/default/secrets/db', { ...cur, data: { password: Buffer.from('new').toString('base64') } })).status, 200);
      assert.ok((await raw('db')).toString('latin1').startsWith('k8s:enc:aesgcm:v1:k2:'));
    } finally {
      await s.close();
    }
  });

  it('refuses a configuration naming an unsupported provider, naming the field', async () => {
    await assert.rejects(start(config('      - kms: {}\n')), /providers\[0\]: Unsupported value: "kms"/);
  });
});
