// The real, unmodified kubectl against `skiff up`: what an operator types and what they see.
// One cluster for the whole file; the tests run in order like one session at a terminal.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { eventually, useCluster, type Cluster, type RunResult, show } from './support.js';

const NS = 'e2e-shop';

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-settings
  namespace: ${NS}
  labels:
    app: web
    tier: frontend
data:
  greeting: hello
  color: blue
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${NS}
  labels:
    app: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; resourceVersion?: string; creationTimestamp?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}

describe('kubectl against skiff up (e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  const kubectl = (args: string[], stdin?: string): Promise<RunResult> =>
    stdin === undefined ? cluster.kubectl(args) : cluster.kubectl(args, { stdin });
  /** kubectl that must succeed; returns stdout. */
  const ok = async (args: string[], stdin?: string): Promise<string> => {
    const r = await kubectl(args, stdin);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${show(r)}`);
    return r.stdout;
  };
  const getJson = async (args: string[]): Promise<Obj> => JSON.parse(await ok(['get', ...args, '-o', 'json'])) as Obj;
  /** `kubectl get` fails the way an operator sees a missing object. */
  const assertNotFound = async (args: string[]): Promise<void> => {
    const r = await kubectl(['get', ...args]);
    assert.notEqual(r.code, 0, `kubectl get ${args.join(' ')} should fail:\n${show(r)}`);
    assert.match(r.stderr, /Error from server \(NotFound\)/, show(r));
  };

  useCluster((c) => (cluster = c));

  it('create -f - of a multi-document manifest prints one "created" line per object', async () => {
    const out = await ok(['create', '-f', '-'], manifest);
    assert.deepEqual(out.trim().split('\n'), [
      `namespace/${NS} created`,
      'configmap/web-settings created',
      'deployment.apps/web created',
      'service/web created',
    ]);
  });

  it('get -o yaml|json|name shows the stored object with its defaulted fields', async () => {
    const cmYaml = parse(await ok(['get', 'configmap', 'web-settings', '-n', NS, '-o', 'yaml'])) as Obj;
    const cmJson = await getJson(['configmap', 'web-settings', '-n', NS]);
    for (const cm of [cmYaml, cmJson]) {
      assert.equal(cm.apiVersion, 'v1');
      assert.equal(cm.kind, 'ConfigMap');
      assert.deepEqual(cm.data, { greeting: 'hello', color: 'blue' });
      assert.deepEqual(cm.metadata?.labels, { app: 'web', tier: 'frontend' });
      assert.equal(cm.metadata?.namespace, NS);
      assert.match(cm.metadata?.uid ?? '', /^[0-9a-f-]{36}$/);
      assert.match(cm.metadata?.resourceVersion ?? '', /^\d+$/);
      assert.match(cm.metadata?.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    assert.equal(cmYaml.metadata?.uid, cmJson.metadata?.uid);
    assert.equal(await ok(['get', 'configmap', 'web-settings', '-n', NS, '-o', 'name']), 'configmap/web-settings\n');

    // Defaults a user relies on, as kubectl shows them.
    const deploy = parse(await ok(['get', 'deployment', 'web', '-n', NS, '-o', 'yaml'])) as {
      metadata: { generation?: number };
      spec: {
        replicas: number;
        revisionHistoryLimit: number;
        progressDeadlineSeconds: number;
        strategy: { type: string; rollingUpdate: { maxSurge: string; maxUnavailable: string } };
        template: { spec: { restartPolicy: string; dnsPolicy: string; terminationGracePeriodSeconds: number; schedulerName: string; containers: Array<{ image: string; imagePullPolicy: string; terminationMessagePath: string; ports: Array<{ containerPort: number; protocol: string }> }> } };
      };
    };
    assert.equal(deploy.spec.replicas, 2);
    assert.equal(deploy.metadata.generation, 1);
    assert.equal(deploy.spec.revisionHistoryLimit, 10);
    assert.equal(deploy.spec.progressDeadlineSeconds, 600);
    assert.deepEqual(deploy.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
    const pod = deploy.spec.template.spec;
    assert.equal(pod.restartPolicy, 'Always');
    assert.equal(pod.dnsPolicy, 'ClusterFirst');
    assert.equal(pod.terminationGracePeriodSeconds, 30);
    assert.equal(pod.schedulerName, 'default-scheduler');
    assert.equal(pod.containers[0]?.image, 'nginx:1.27');
    assert.equal(pod.containers[0]?.imagePullPolicy, 'IfNotPresent');
    assert.equal(pod.containers[0]?.terminationMessagePath, '/dev/termination-log');
    assert.deepEqual(pod.containers[0]?.ports, [{ containerPort: 80, protocol: 'TCP' }]);

    const svc = (await getJson(['service', 'web', '-n', NS])) as Obj & { spec: { type: string; ports: Array<{ port: number; protocol: string; targetPort: number | string }> } };
    assert.equal(svc.spec.type, 'ClusterIP');
    assert.equal(svc.spec.ports[0]?.protocol, 'TCP');
    assert.equal(svc.spec.ports[0]?.targetPort, 80);
  });

  it('get -l filters by label, -A spans namespaces, and get deployments lists the deployment', async () => {
    await ok(['create', '-f', '-'], [
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: db-settings\n  namespace: ${NS}\n  labels:\n    app: db\ndata:\n  port: "5432"\n`,
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e-elsewhere\n  namespace: default\n  labels:\n    app: web\n',
    ].join('---\n'));

    assert.equal(await ok(['get', 'configmaps', '-l', 'app=web', '-n', NS, '-o', 'name']), 'configmap/web-settings\n');
    assert.equal(await ok(['get', 'configmaps', '-l', 'app=db', '-n', NS, '-o', 'name']), 'configmap/db-settings\n');
    assert.equal(await ok(['get', 'configmaps', '-l', 'app!=web', '-n', NS, '-o', 'name']), 'configmap/db-settings\n');
    assert.equal(await ok(['get', 'configmaps', '-l', 'app in (web,db)', '-n', NS, '-o', 'name']), 'configmap/db-settings\nconfigmap/web-settings\n');
    assert.equal(await ok(['get', 'configmaps', '-l', 'tier', '-n', NS, '-o', 'name']), 'configmap/web-settings\n');

    const all = (await ok(['get', 'configmaps', '-A', '-o', 'name'])).trim().split('\n');
    for (const name of ['configmap/web-settings', 'configmap/db-settings', 'configmap/e2e-elsewhere']) {
      assert.ok(all.includes(name), `get configmaps -A -o name lacks ${name}:\n${all.join('\n')}`);
    }
    // -A with the default table shows the namespace of each row.
    const allTable = await ok(['get', 'configmaps', '-A', '-l', 'app=web']);
    assert.match(allTable, /^NAMESPACE\s+NAME\b/m, allTable);
    assert.match(allTable, new RegExp(`^${NS}\\s+web-settings\\s`, 'm'), allTable);
    assert.match(allTable, /^default\s+e2e-elsewhere\s/m, allTable);

    const deployments = await ok(['get', 'deployments', '-n', NS]);
    assert.match(deployments, /^NAME\s/m, deployments);
    assert.match(deployments, /^web\s/m, deployments);
    assert.equal(await ok(['get', 'deploy', '-n', NS, '-o', 'name']), 'deployment.apps/web\n');
  });

  it('get -w prints the changes as configmaps are created, changed and deleted', async () => {
    // Two operators watching: one with -o name, one with the default printer, whose EVENT
    // column shows the event type (kubectl's name printer prints only the object's name).
    const byName = cluster.kubectlStream(['get', 'configmaps', '-n', NS, '-w', '--output-watch-events', '-o', 'name']);
    const table = cluster.kubectlStream(['get', 'configmaps', '-n', NS, '-w', '--output-watch-events']);
    try {
      // The current state comes first.
      await byName.waitFor(/^configmap\/web-settings$/m);
      await byName.waitFor(/^configmap\/db-settings$/m);
      await table.waitFor(/^EVENT\s+NAME\s/m);
      await table.waitFor(/^ADDED\s+web-settings\s/m);
      await table.waitFor(/^ADDED\s+db-settings\s/m);

      const cm = (value: string): string =>
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\n  namespace: ${NS}\ndata:\n  value: "${value}"\n`;
      const watched = (text: string): string[] => text.split('\n').filter((l) => /\bwatched\b/.test(l)).map((l) => l.split(/\s+/).slice(0, 2).join(' '));

      assert.equal(await ok(['create', '-f', '-'], cm('1')), 'configmap/watched created\n');
      await table.waitFor(/^ADDED\s+watched\s/m);
      await byName.waitFor(/^configmap\/watched$/m);

      assert.equal(await ok(['replace', '-f', '-'], cm('2')), 'configmap/watched replaced\n');
      await table.waitFor(/^MODIFIED\s+watched\s/m);

      assert.equal(await ok(['delete', 'configmap', 'watched', '-n', NS]), 'configmap "watched" deleted\n');
      await table.waitFor(/^DELETED\s+watched\s/m);
      await byName.waitFor(/(^configmap\/watched\n){3}/m);

      assert.deepEqual(watched(table.stdout()), ['ADDED watched', 'MODIFIED watched', 'DELETED watched'], table.stdout());
      assert.deepEqual(watched(byName.stdout()), ['configmap/watched', 'configmap/watched', 'configmap/watched'], byName.stdout());
      // Nothing else happened in the namespace.
      assert.equal(byName.stdout().trim().split('\n').length, 5, byName.stdout());
      assert.equal(byName.stderr(), '', `the watch printed errors:\n${byName.stderr()}`);
      assert.equal(table.stderr(), '', `the watch printed errors:\n${table.stderr()}`);
      // Still watching: kubectl has not given up on the stream.
      assert.equal(byName.proc.exitCode, null);
    } finally {
      await byName.stop();
      await table.stop();
    }
  });

  it('an invalid manifest is refused with the field named, and nothing is stored', async () => {
    const noImage = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: broken
  namespace: ${NS}
spec:
  selector:
    matchLabels:
      app: broken
  template:
    metadata:
      labels:
        app: broken
    spec:
      containers:
      - name: main
`;
    // One bad object: kubectl formats the 422 itself, naming kind, object and field.
    const invalid = await kubectl(['create', '-f', '-'], noImage);
    assert.notEqual(invalid.code, 0, show(invalid));
    assert.match(invalid.stderr, /The Deployment "broken" is invalid: spec\.template\.spec\.containers\[0\]\.image: Required value/, show(invalid));
    await assertNotFound(['deployment', 'broken', '-n', NS]);
    // Several bad objects: kubectl prints the server's error for each.
    const twice = await kubectl(['create', '-f', '-'], `${noImage}---\n${noImage.replace('name: broken', 'name: broken-too')}`);
    assert.notEqual(twice.code, 0, show(twice));
    for (const name of ['broken', 'broken-too']) {
      assert.match(
        twice.stderr,
        new RegExp(`^Error from server \\(Invalid\\): error when creating "STDIN": Deployment\\.apps "${name}" is invalid: spec\\.template\\.spec\\.containers\\[0\\]\\.image: Required value$`, 'm'),
        show(twice),
      );
      await assertNotFound(['deployment', name, '-n', NS]);
    }

    const unknownField = noImage.replace('  selector:', '  foo: bar\n  selector:').replace('      - name: main\n', '      - name: main\n        image: busybox\n');
    const strict = await kubectl(['create', '-f', '-'], unknownField);
    assert.notEqual(strict.code, 0, show(strict));
    assert.match(strict.stderr, /^Error from server \(BadRequest\): error when creating "STDIN": .*strict decoding error: unknown field "spec\.foo"$/m, show(strict));
    await assertNotFound(['deployment', 'broken', '-n', NS]);

    // Objects in a namespace that does not exist are refused too.
    const orphan = await kubectl(['create', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: orphan\n  namespace: e2e-nowhere\n');
    assert.notEqual(orphan.code, 0, show(orphan));
    assert.match(orphan.stderr, /Error from server \(NotFound\).*namespaces "e2e-nowhere" not found/, show(orphan));
  });

  it('api-resources shows kinds with their short names; version shows the server is v1.32', async () => {
    const out = await ok(['api-resources']);
    assert.match(out, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND\s*$/m, out);
    const rows: Array<[string, string, string, string, string]> = [
      ['pods', 'po', 'v1', 'true', 'Pod'],
      ['services', 'svc', 'v1', 'true', 'Service'],
      ['namespaces', 'ns', 'v1', 'false', 'Namespace'],
      ['configmaps', 'cm', 'v1', 'true', 'ConfigMap'],
      ['nodes', 'no', 'v1', 'false', 'Node'],
      ['deployments', 'deploy', 'apps/v1', 'true', 'Deployment'],
      ['replicasets', 'rs', 'apps/v1', 'true', 'ReplicaSet'],
    ];
    for (const [name, short, gv, namespaced, kind] of rows) {
      assert.match(out, new RegExp(`^${name}\\s+${short}\\s+${gv}\\s+${namespaced}\\s+${kind}\\s*$`, 'm'), `api-resources lacks ${name}:\n${out}`);
    }
    // Short names resolve through discovery.
    assert.equal(await ok(['get', 'cm', 'web-settings', '-n', NS, '-o', 'name']), 'configmap/web-settings\n');
    assert.equal(await ok(['get', 'svc', '-n', NS, '-o', 'name']), 'service/web\n');

    const version = await ok(['version']);
    assert.match(version, /^Client Version: v1\.32\./m, version);
    assert.match(version, /^Server Version: v1\.32\./m, version);
  });

  it('delete -f - of the manifest prints "deleted" lines and the objects are gone', async function () {
    this.timeout(150_000);
    const r = await kubectl(['delete', '-f', '-', '--timeout=90s'], manifest);
    // kubectl waits for the deletions to finish, so everything is gone now.
    await assertNotFound(['namespace', NS]);
    await assertNotFound(['configmap', 'web-settings', '-n', NS]);
    await assertNotFound(['deployment', 'web', '-n', NS]);
    await assertNotFound(['service', 'web', '-n', NS]);
    // Deleting the namespace took what else lived in it.
    await assertNotFound(['configmap', 'db-settings', '-n', NS]);
    // What the operator saw: one line per object, in manifest order, and success.
    assert.deepEqual(r.stdout.trim().split('\n'), [
      `namespace "${NS}" deleted`,
      'configmap "web-settings" deleted',
      'deployment.apps "web" deleted',
      'service "web" deleted',
    ], show(r));
    assert.equal(r.code, 0, show(r));
  });

  it('label and annotate change a configmap; delete namespace removes it with its contents', async function () {
    this.timeout(150_000);
    const ns = 'e2e-labels';
    await ok(['create', '-f', '-'], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tagged\n  namespace: ${ns}\n  labels:\n    keep: "yes"\ndata:\n  k: v\n`);
    const before = await getJson(['configmap', 'tagged', '-n', ns]);

    assert.equal(await ok(['label', 'configmap', 'tagged', '-n', ns, 'foo=bar']), 'configmap/tagged labeled\n');
    assert.equal(await ok(['annotate', 'configmap', 'tagged', '-n', ns, 'note=hello world']), 'configmap/tagged annotated\n');
    let after = await getJson(['configmap', 'tagged', '-n', ns]);
    assert.deepEqual(after.metadata?.labels, { keep: 'yes', foo: 'bar' });
    assert.equal(after.metadata?.annotations?.note, 'hello world');
    assert.deepEqual(after.data, { k: 'v' });
    assert.equal(after.metadata?.uid, before.metadata?.uid);
    assert.ok(Number(after.metadata?.resourceVersion) > Number(before.metadata?.resourceVersion));
    assert.equal(await ok(['get', 'configmaps', '-n', ns, '-l', 'foo=bar', '-o', 'name']), 'configmap/tagged\n');

    // Changing an existing label needs --overwrite; removing uses "key-".
    const clash = await kubectl(['label', 'configmap', 'tagged', '-n', ns, 'foo=baz']);
    assert.notEqual(clash.code, 0, show(clash));
    assert.match(clash.stderr, /already has a value \(bar\)/, show(clash));
    await ok(['label', 'configmap', 'tagged', '-n', ns, 'foo=baz', '--overwrite']);
    await ok(['label', 'configmap', 'tagged', '-n', ns, 'keep-']);
    await ok(['annotate', 'configmap', 'tagged', '-n', ns, 'note-']);
    after = await getJson(['configmap', 'tagged', '-n', ns]);
    assert.deepEqual(after.metadata?.labels, { foo: 'baz' });
    assert.equal(after.metadata?.annotations?.note, undefined);

    const del = await kubectl(['delete', 'namespace', ns, '--wait=false']);
    assert.equal(del.code, 0, show(del));
    assert.equal(del.stdout, `namespace "${ns}" deleted\n`);
    await eventually(`namespace ${ns} to be gone`, async () => {
      const r = await kubectl(['get', 'namespace', ns]);
      return r.code !== 0 && /NotFound/.test(r.stderr);
    }, 60_000, 500);
    await assertNotFound(['configmap', 'tagged', '-n', ns]);
  });

  it('keeps the objects across a restart of skiff up', async function () {
    this.timeout(240_000);
    const ns = 'e2e-durable';
    await ok(['create', '-f', '-'], manifest.replaceAll(NS, ns));
    const beforeCm = await getJson(['configmap', 'web-settings', '-n', ns]);
    const beforeDeploy = await getJson(['deployment', 'web', '-n', ns]);
    const beforeOther = await getJson(['configmap', 'e2e-elsewhere', '-n', 'default']);

    await cluster.stop();
    const down = await kubectl(['get', 'namespaces']);
    assert.notEqual(down.code, 0, `kubectl still answered with the cluster stopped:\n${show(down)}`);

    await cluster.restart();
    assert.match(cluster.output(), /existing cluster data/);

    const afterCm = await getJson(['configmap', 'web-settings', '-n', ns]);
    assert.deepEqual(afterCm, beforeCm);
    const afterDeploy = await getJson(['deployment', 'web', '-n', ns]);
    assert.equal(afterDeploy.metadata?.uid, beforeDeploy.metadata?.uid);
    assert.deepEqual(afterDeploy.spec, beforeDeploy.spec);
    assert.deepEqual(await getJson(['configmap', 'e2e-elsewhere', '-n', 'default']), beforeOther);
    const svcs = await ok(['get', 'services', '-n', ns, '-o', 'name']);
    assert.equal(svcs, 'service/web\n');
    // A namespace deleted before the restart stays deleted.
    await assertNotFound(['namespace', NS]);

    // And the restarted cluster takes writes.
    assert.equal(await ok(['label', 'configmap', 'web-settings', '-n', ns, 'restarted=yes']), 'configmap/web-settings labeled\n');
  });
});
