// Overload and audit: a write beyond --max-mutating-requests-inflight gets 429 with Retry-After
// while system:masters still gets through; audited requests appear in the log as audit.k8s.io
// Events at the policy's level.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requestWithCa } from '../host/tls-get.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { waitFor } from '../testing/wait.js';

describe('request limits and the audit log', function () {
  this.timeout(60_000);
  let server: TestApiServer;
  let dir: string;
  let auditLog: string;
  const cms = '/api/v1/namespaces/default/configmaps';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-audit-'));
    auditLog = join(dir, 'audit.log');
    const policy = join(dir, 'policy.yaml');
    writeFileSync(policy, [
      'apiVersion: audit.k8s.io/v1', 'kind: Policy', 'rules:',
      '  - level: None', '    nonResourceURLs: ["/healthz*"]',
      '  - level: RequestResponse', '    resources: [{group: "", resources: ["configmaps"]}]', '    verbs: ["create"]',
      '  - level: Metadata', '',
    ].join('\n'));
    server = await startTestApiServer({ secure: true, options: { maxMutatingRequestsInflight: 1, auditPolicyFile: policy, auditLogPath: auditLog } });
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('answers 429 with Retry-After to a write beyond the limit, but not to system:masters', async () => {
    const token = server.pki!.tokens['controller-manager'];
    // A write whose body never finishes holds the one mutating slot.
    const held = request(`${server.url}${cms}`, { method: 'POST', ca: server.caPem!, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': '1000' } });
    held.on('error', () => {});
    held.write('{"metadata":');
    const post = (who: { token?: string }, name: string) =>
      requestWithCa(`${server.url}${cms}`, { ca: server.caPem!, ...who, method: 'POST', body: JSON.stringify({ metadata: { name } }) });
    const refused = await waitFor('a write to be refused with 429', async () => {
      const r = await post({ token }, 'second');
      return r.status === 429 ? r : undefined;
    });
    assert.equal(refused.headers['retry-after'], '1');
    const status = JSON.parse(refused.body);
    assert.equal(status.reason, 'TooManyRequests');
    assert.equal(status.details.retryAfterSeconds, 1);
    assert.equal((await post({ token: server.token! }, 'admin-gets-through')).status, 201);
    held.destroy();
    await waitFor('the slot to free up', async () => (await post({ token }, 'later')).status === 201);
  });

  it('writes one audit Event per request at the policy level', async () => {
    const r = await requestWithCa(`${server.url}${cms}`, { ca: server.caPem!, token: server.token!, method: 'POST', body: JSON.stringify({ metadata: { name: 'audited' }, data: { a: '1' } }) });
    assert.equal(r.status, 201, r.body);
    await requestWithCa(`${server.url}${cms}/audited`, { ca: server.caPem!, token: server.token! });
    await requestWithCa(`${server.url}/healthz`, { ca: server.caPem! });
    const events = await waitFor('the audit lines', () => {
      const lines = readFileSync(auditLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
      const mine = lines.filter((e) => e.objectRef?.name === 'audited');
      return mine.length >= 2 ? { all: lines, mine } : undefined;
    });
    const create = events.mine[0]!;
    const get = events.mine[1]!;
    assert.equal(create.kind, 'Event');
    assert.equal(create.apiVersion, 'audit.k8s.io/v1');
    assert.equal(create.level, 'RequestResponse');
    assert.equal(create.verb, 'create');
    assert.equal(create.user.username, 'admin');
    assert.deepEqual(create.objectRef, { resource: 'configmaps', namespace: 'default', name: 'audited', apiGroup: '', apiVersion: 'v1' });
    assert.equal(create.responseStatus.code, 201);
    assert.equal(create.requestObject.data.a, '1');
    assert.equal(create.responseObject.metadata.name, 'audited');
    assert.equal(get.level, 'Metadata');
    assert.equal(get.verb, 'get');
    assert.equal(get.requestObject, undefined);
    assert.ok(!events.all.some((e) => e.requestURI === '/healthz'), 'probes are not audited by this policy');
    assert.ok(events.all.some((e) => e.responseStatus?.code === 429), 'refused requests are audited too');
  });
});
