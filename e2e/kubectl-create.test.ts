// The real kubectl's generator commands (`kubectl create deployment|configmap|secret|namespace|
// service`, `kubectl expose`), which send protobuf bodies: what an operator creates is what
// the cluster stores. They answered 415 before the apiserver read protobuf.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCluster, type Cluster, show } from './support.js';

const NS = 'e2e-create';

// kubectl's JSON output, as an operator reads it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Obj = Record<string, any>;

describe('kubectl create generators and expose (protobuf bodies, e2e)', function () {
  this.timeout(120_000);
  let cluster: Cluster;
  const ok = async (args: string[]): Promise<string> => {
    const r = await cluster.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${show(r)}`);
    return r.stdout;
  };
  const get = async (...args: string[]): Promise<Obj> => JSON.parse(await ok(['get', ...args, '-n', NS, '-o', 'json'])) as Obj;

  useCluster((c) => (cluster = c));

  it('create namespace', async () => {
    assert.equal((await ok(['create', 'namespace', NS])).trim(), `namespace/${NS} created`);
    const ns = JSON.parse(await ok(['get', 'namespace', NS, '-o', 'json'])) as Obj;
    assert.equal(ns.status.phase, 'Active');
  });

  it('create deployment keeps replicas: 0, the image, ports and labels', async () => {
    assert.equal((await ok(['create', 'deployment', 'idle', '--image=nginx:1.27', '--replicas=0', '--port=80', '-n', NS])).trim(), 'deployment.apps/idle created');
    const d = await get('deployment', 'idle');
    assert.equal(d.spec.replicas, 0, 'an explicit zero is not defaulted to 1');
    assert.deepEqual(d.spec.selector, { matchLabels: { app: 'idle' } });
    assert.deepEqual(d.spec.template.metadata.labels, { app: 'idle' });
    const [c] = d.spec.template.spec.containers as Obj[];
    assert.equal(c!.name, 'nginx');
    assert.equal(c!.image, 'nginx:1.27');
    assert.deepEqual(c!.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3', '-n', NS]);
    assert.equal((await get('deployment', 'web')).spec.replicas, 3);
  });

  it('create configmap from literals and a file', async () => {
    const file = join(cluster.root, 'app.properties');
    writeFileSync(file, 'mode=fast\n');
    await ok(['create', 'configmap', 'settings', '--from-literal=color=blue', '--from-literal=empty=', `--from-file=${file}`, '-n', NS]);
    const cm = await get('configmap', 'settings');
    assert.deepEqual(cm.data, { color: 'blue', empty: '', 'app.properties': 'mode=fast\n' });
  });

  it('create secret generic keeps binary data byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xfe, 0xff, 0x0a]);
    const file = join(cluster.root, 'key.bin');
    writeFileSync(file, bytes);
    await ok(['create', 'secret', 'generic', 'creds', '--from-literal=password=s3cr3t', `--from-file=key=${file}`, '-n', NS]);
    const s = await get('secret', 'creds');
    assert.equal(s.type, 'Opaque');
    assert.equal(Buffer.from(s.data.password as string, 'base64').toString(), 's3cr3t');
    assert.deepEqual(Buffer.from(s.data.key as string, 'base64'), bytes);
  });

  it('create service clusterip, and expose a deployment', async () => {
    await ok(['create', 'service', 'clusterip', 'api', '--tcp=80:8080', '-n', NS]);
    const api = await get('service', 'api');
    assert.equal(api.spec.type, 'ClusterIP');
    assert.deepEqual(api.spec.ports, [{ name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 }]);
    assert.deepEqual(api.spec.selector, { app: 'api' });
    assert.match(api.spec.clusterIP, /^10\.\d+\.\d+\.\d+$/);

    assert.equal((await ok(['expose', 'deployment', 'web', '--port=80', '--target-port=http', '--name=web', '-n', NS])).trim(), 'service/web exposed');
    const web = await get('service', 'web');
    assert.deepEqual(web.spec.selector, { app: 'web' });
    assert.deepEqual(web.spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 'http' }]);
  });

  it('-o json prints the object the server answered', async () => {
    const out = JSON.parse(await ok(['create', 'configmap', 'echo', '--from-literal=k=v', '-n', NS, '-o', 'json'])) as Obj;
    assert.equal(out.kind, 'ConfigMap');
    assert.match(out.metadata.uid, /^[0-9a-f-]{36}$/);
    assert.match(out.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(out.data, { k: 'v' });
    assert.deepEqual(await get('configmap', 'echo'), out);
  });
});
