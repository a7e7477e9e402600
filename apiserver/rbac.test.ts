// RBAC through the HTTP API: the kinds' validation, the review APIs kubectl does not cover
// (SubjectAccessReview, LocalSubjectAccessReview), non-resource URLs, and the bootstrap roles.
import assert from 'node:assert/strict';
import { requestWithCa, type TlsResponse } from '../host/tls-get.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { waitFor } from '../testing/wait.js';
import { uniqueName } from './client.testkit.js';

describe('RBAC API', function () {
  this.timeout(60_000);
  let server: TestApiServer;
  const ns = uniqueName('rbac');
  const creds: Record<string, { cert: string; key: string }> = {};
  const rbacPath = '/apis/rbac.authorization.k8s.io/v1';
  const as = (who: string, method: string, path: string, body?: unknown): Promise<TlsResponse> =>
    requestWithCa(server.url + path, { ca: server.caPem!, ...creds[who], method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = (r: TlsResponse) => JSON.parse(r.body);

  before(async () => {
    server = await startTestApiServer({ secure: true });
    for (const [who, groups] of [['root', ['system:masters']], ['eve', []], ['metrics', ['system:monitoring']]] as const) {
      const c = server.pki!.clientCert(`rbac-${who}`, { user: who, groups: [...groups] });
      creds[who] = { cert: c.certPem, key: c.keyPem };
    }
    assert.equal((await as('root', 'POST', '/api/v1/namespaces', { metadata: { name: ns } })).status, 201);
  });
  after(async () => {
    await server?.close();
  });

  it('refuses invalid roles and bindings naming the field', async () => {
    const role = await as('root', 'POST', `${rbacPath}/namespaces/${ns}/roles`, { metadata: { name: 'bad' }, rules: [{ verbs: [], apiGroups: [''], resources: ['pods'] }, { verbs: ['get'], nonResourceURLs: ['/metrics'] }] });
    assert.equal(role.status, 422, role.body);
    assert.deepEqual(json(role).details.causes.map((c: { field: string }) => c.field), ['rules[0].verbs', 'rules[1].nonResourceURLs']);
    const crb = await as('root', 'POST', `${rbacPath}/clusterrolebindings`, { metadata: { name: 'bad' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' }, subjects: [{ kind: 'Robot', name: 'r2' }] });
    assert.equal(crb.status, 422, crb.body);
    assert.match(json(crb).message, /roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"/);
    assert.match(json(crb).message, /subjects\[0\].kind: Unsupported value: "Robot"/);
    const rb = await as('root', 'POST', `${rbacPath}/namespaces/${ns}/rolebindings`, { metadata: { name: 'rb' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' }, subjects: [{ kind: 'User', name: 'eve' }] });
    assert.equal(rb.status, 201, rb.body);
    assert.equal(json(rb).subjects[0].apiGroup, 'rbac.authorization.k8s.io', 'defaulted');
    const changed = await as('root', 'PUT', `${rbacPath}/namespaces/${ns}/rolebindings/rb`, { ...json(rb), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' } });
    assert.equal(changed.status, 422);
    assert.match(json(changed).message, /roleRef: Invalid value: .*cannot change roleRef/);
  });

  it('answers SubjectAccessReview and LocalSubjectAccessReview about anyone, and only for those allowed to ask', async () => {
    const sar = (spec: object) => ({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    await waitFor('eve to be bound to view', async () => {
      const r = await as('root', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'eve', resourceAttributes: { namespace: ns, verb: 'list', resource: 'pods' } }));
      return json(r).status?.allowed === true;
    });
    const denied = await as('root', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'eve', resourceAttributes: { namespace: ns, verb: 'get', resource: 'secrets' } }));
    assert.equal(json(denied).status.allowed, false);
    const local = await as('root', 'POST', `/apis/authorization.k8s.io/v1/namespaces/${ns}/localsubjectaccessreviews`, { ...sar({ user: 'eve', resourceAttributes: { verb: 'watch', group: 'apps', resource: 'deployments' } }), kind: 'LocalSubjectAccessReview' });
    assert.equal(local.status, 201, local.body);
    assert.equal(json(local).status.allowed, true);
    const nobody = await as('root', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ resourceAttributes: { verb: 'get', resource: 'pods' } }));
    assert.equal(nobody.status, 422);
    assert.match(json(nobody).message, /spec.user: Required value: at least one of user or group must be specified/);
    const eve = await as('eve', 'POST', '/apis/authorization.k8s.io/v1/subjectaccessreviews', sar({ user: 'root', resourceAttributes: { verb: 'get', resource: 'pods' } }));
    assert.equal(eve.status, 403);
    assert.equal((await as('eve', 'GET', '/apis/authorization.k8s.io/v1/subjectaccessreviews')).status, 403, 'not even listed to her');
  });

  it('serves reviews as create-only in discovery', async () => {
    const list = json(await as('eve', 'GET', '/apis/authorization.k8s.io/v1'));
    const ssar = list.resources.find((r: { name: string }) => r.name === 'selfsubjectaccessreviews');
    assert.deepEqual(ssar.verbs, ['create']);
    assert.equal((await as('root', 'GET', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews')).status, 405);
  });

  it('judges non-resource URLs: discovery for everyone signed in, metrics for system:monitoring', async () => {
    assert.equal((await as('eve', 'GET', '/apis')).status, 200);
    assert.equal((await as('eve', 'GET', '/version')).status, 200);
    const metrics = await as('eve', 'GET', '/metrics');
    assert.equal(metrics.status, 403);
    assert.equal(json(metrics).message, 'forbidden: User "eve" cannot get path "/metrics"');
    assert.equal((await as('metrics', 'GET', '/metrics')).status, 200);
  });
});
