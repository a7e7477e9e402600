// RBAC as a user sees it with the real kubectl, against an in-process apiserver with TLS and
// client certificates: a `view` binding in one namespace, `auth can-i [--list] [--as]`,
// `auth whoami`, Kubernetes' 403 wording, and escalation prevention.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeKubeconfig } from '../host/kubeconfig.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';
import { kubectlPath, run, show, type RunResult } from './support.js';
import { uniqueName } from '../apiserver/client.testkit.js';
import { waitFor } from '../testing/wait.js';

describe('kubectl auth and RBAC (e2e)', function () {
  this.timeout(120_000);
  let server: TestApiServer;
  let dir: string;
  const nsA = uniqueName('team-a');
  const nsB = uniqueName('team-b');
  const kubeconfigs: Record<string, string> = {};

  /** kubectl as `who` (a kubeconfig with that user's client certificate). */
  const kubectl = (who: string, args: string[], stdin?: string): Promise<RunResult> =>
    run(kubectlPath, ['--kubeconfig', kubeconfigs[who]!, '--cache-dir', join(dir, `cache-${who}`), ...args], stdin === undefined ? {} : { stdin });

  const userConfig = (who: string, groups: string[] = []): void => {
    const cert = server.pki!.clientCert(`user-${who}`, { user: who, groups });
    kubeconfigs[who] = join(dir, `${who}.kubeconfig`);
    writeKubeconfig(kubeconfigs[who], { server: server.url, caPem: server.caPem!, clientCertPem: cert.certPem, clientKeyPem: cert.keyPem, user: who });
  };

  const binding = (name: string, kind: string, role: string, user: string): string =>
    `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: ${name}, namespace: ${nsA}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${kind}, name: ${role}}\nsubjects: [{kind: User, name: ${user}}]`;

  /** RBAC reads bindings from the watch cache: a fresh binding takes effect within moments. */
  const eventually = async (who: string, args: string[], want: string): Promise<void> => {
    let last = '';
    await waitFor(`kubectl ${args.join(' ')} as ${who} to say ${want}`, async () => {
      const r = await kubectl(who, args);
      last = show(r);
      return r.stdout.trim() === want;
    }, 20_000, 200).catch((err: Error) => assert.fail(`${err.message}\n${last}`));
  };

  before(async () => {
    server = await startTestApiServer({ secure: true });
    dir = mkdtempSync(join(tmpdir(), 'skiff-auth-'));
    userConfig('admin', ['system:masters']);
    userConfig('alice', ['viewers']);
    userConfig('bob');
    userConfig('carol');
    const setup = [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${nsA}}`,
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${nsB}}`,
      binding('alice-view', 'ClusterRole', 'view', 'alice'),
      binding('bob-edit', 'ClusterRole', 'edit', 'bob'),
      binding('carol-edit', 'ClusterRole', 'edit', 'carol'),
      // carol may also manage RoleBindings (but holds nothing of roles): she can hand out what she has, no more.
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: binder, namespace: ${nsA}}\nrules: [{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create, get, list]}]`,
      binding('carol-binder', 'Role', 'binder', 'carol'),
      `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: ${nsA}}\nspec: {containers: [{name: c, image: busybox}]}`,
      `apiVersion: v1\nkind: Secret\nmetadata: {name: token, namespace: ${nsA}}\nstringData: {password: hunter2}`,
    ].join('\n---\n');
    const r = await kubectl('admin', ['create', '-f', '-'], setup);
    assert.equal(r.code, 0, show(r));
  });
  after(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('lets a user bound to view list pods in its namespace, and nothing more', async () => {
    await eventually('alice', ['auth', 'can-i', 'list', 'pods', '-n', nsA], 'yes');
    const list = await kubectl('alice', ['get', 'pods', '-n', nsA, '-o', 'name']);
    assert.equal(list.code, 0, show(list));
    assert.equal(list.stdout.trim(), 'pod/web');

    const create = await kubectl('alice', ['create', 'configmap', 'x', '-n', nsA]);
    assert.notEqual(create.code, 0);
    assert.match(create.stderr, new RegExp(`configmaps is forbidden: User "alice" cannot create resource "configmaps" in API group "" in the namespace "${nsA}"`));
    const secret = await kubectl('alice', ['get', 'secret', 'token', '-n', nsA]);
    assert.match(secret.stderr, new RegExp(`secrets "token" is forbidden: User "alice" cannot get resource "secrets" in API group "" in the namespace "${nsA}"`));
    const other = await kubectl('alice', ['get', 'pods', '-n', nsB]);
    assert.match(other.stderr, new RegExp(`pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "${nsB}"`));
    const nodes = await kubectl('alice', ['get', 'nodes']);
    assert.match(nodes.stderr, /nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope/);
  });

  it('answers can-i yes/no with the exit code and --list with the bound rules', async () => {
    const no = await kubectl('alice', ['auth', 'can-i', 'create', 'pods', '-n', nsA]);
    assert.equal(no.stdout.trim(), 'no');
    assert.equal(no.code, 1);
    assert.equal((await kubectl('alice', ['auth', 'can-i', 'get', 'secrets', '-n', nsA])).stdout.trim(), 'no');
    assert.equal((await kubectl('alice', ['auth', 'can-i', 'get', 'pods', '--subresource', 'log', '-n', nsA])).stdout.trim(), 'yes');

    const list = await kubectl('alice', ['auth', 'can-i', '--list', '-n', nsA]);
    assert.equal(list.code, 0, show(list));
    const rows = list.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/));
    const verbsOf = (resource: string) => rows.find((r) => r[0] === resource)?.at(-1);
    assert.equal(verbsOf('pods'), '[get list watch]', list.stdout);
    assert.equal(verbsOf('deployments.apps'), '[get list watch]', list.stdout);
    assert.equal(verbsOf('selfsubjectaccessreviews.authorization.k8s.io'), '[create]', list.stdout);
    assert.equal(verbsOf('secrets'), undefined, 'view grants no secrets');
    // In another namespace only what every signed-in user holds.
    const elsewhere = await kubectl('alice', ['auth', 'can-i', '--list', '-n', nsB]);
    assert.ok(!elsewhere.stdout.split('\n').some((l) => l.startsWith('pods ')), elsewhere.stdout);
  });

  it('says who the caller is, and lets an admin impersonate with --as but not a user', async () => {
    const me = await kubectl('alice', ['auth', 'whoami', '-o', 'json']);
    assert.equal(me.code, 0, show(me));
    const info = JSON.parse(me.stdout).status.userInfo;
    assert.equal(info.username, 'alice');
    assert.deepEqual(info.groups, ['viewers', 'system:authenticated']);

    assert.equal((await kubectl('admin', ['auth', 'can-i', 'list', 'pods', '-n', nsA, '--as', 'alice'])).stdout.trim(), 'yes');
    assert.equal((await kubectl('admin', ['auth', 'can-i', 'list', 'pods', '-n', nsB, '--as', 'alice'])).stdout.trim(), 'no');
    const as = await kubectl('admin', ['auth', 'whoami', '--as', 'dave', '--as-group', 'devs', '-o', 'json']);
    assert.deepEqual(JSON.parse(as.stdout).status.userInfo.groups, ['devs', 'system:authenticated']);
    const sneaky = await kubectl('alice', ['get', 'pods', '-n', nsB, '--as', 'admin']);
    assert.match(sneaky.stderr, /users "admin" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/);
  });

  it('keeps a user with edit from binding admin: no RoleBinding rights, and no escalation with them', async () => {
    await eventually('bob', ['auth', 'can-i', 'create', 'deployments', '-n', nsA], 'yes');
    // Through manifests: `kubectl create rolebinding` sends protobuf, which this apiserver reads only for reviews so far.
    const bob = await kubectl('bob', ['create', '-f', '-'], binding('bob-admin', 'ClusterRole', 'admin', 'bob'));
    assert.match(bob.stderr, /rolebindings.rbac.authorization.k8s.io is forbidden: User "bob" cannot create resource "rolebindings"/);

    await eventually('carol', ['auth', 'can-i', 'create', 'rolebindings', '-n', nsA], 'yes');
    const carol = await kubectl('carol', ['create', '-f', '-'], binding('carol-admin', 'ClusterRole', 'admin', 'carol'));
    assert.notEqual(carol.code, 0);
    assert.match(carol.stderr, /rolebindings.rbac.authorization.k8s.io "carol-admin" is forbidden: user "carol" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:/);
    assert.match(carol.stderr, /\{APIGroups:\["rbac.authorization.k8s.io"\], Resources:\["roles"\], Verbs:\["create"\]\}/);
    // What she holds herself she may pass on.
    const view = await kubectl('carol', ['create', '-f', '-'], binding('dave-view', 'ClusterRole', 'view', 'dave'));
    assert.equal(view.code, 0, show(view));
  });

  it('shows the bootstrap policy, with bindings printed as kubectl prints them', async () => {
    const roles = await kubectl('admin', ['get', 'clusterroles', '-o', 'name']);
    for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:discovery', 'system:basic-user', 'system:public-info-viewer', 'system:kube-scheduler', 'system:node']) {
      assert.ok(roles.stdout.split('\n').includes(`clusterrole.rbac.authorization.k8s.io/${name}`), name);
    }
    const rb = await kubectl('admin', ['get', 'rolebinding', 'alice-view', '-n', nsA, '-o', 'wide']);
    assert.match(rb.stdout, /NAME\s+ROLE\s+AGE\s+USERS\s+GROUPS\s+SERVICEACCOUNTS/);
    assert.match(rb.stdout, /alice-view\s+ClusterRole\/view\s+\S+\s+alice/);
  });
});
