// `kubectl port-forward` against skiff up with a real node: the WebSocket-tunnelled SPDY session
// goes through the apiserver to the kubelet and on to the pod. Several connections at once, a
// Service resolved to its pod, and a port nothing listens on reported as kubectl reports it.
// Then `kubectl cp` both ways (tar through exec) on the same pod.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../host/process.js';
import { eventually, show, useCluster, type Cluster } from './support.js';

const NS = 'pf';
const isRoot = process.getuid?.() === 0;

const manifest = `apiVersion: v1
kind: Namespace
metadata:
  name: ${NS}
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ${NS}
  labels: {app: web}
spec:
  terminationGracePeriodSeconds: 1
  runtimeClassName: host # the host's binaries (no image registry in this test)
  containers:
  - name: web
    image: skiff.local/node-http:1
    command: ["${process.execPath}", "-e", "require('http').createServer((q, s) => setTimeout(() => s.end('hello from web ' + q.url), 200)).listen(8080)"]
    ports:
    - {name: http, containerPort: 8080}
    readinessProbe:
      tcpSocket: {port: 8080}
      periodSeconds: 1
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${NS}
spec:
  selector: {app: web}
  ports:
  - {port: 80, targetPort: http}
`;

/** One GET on a fresh connection (no keep-alive), so each is its own forwarded stream pair. */
function fetchOnce(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port, path, agent: false, timeout: 20_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

describe('kubectl port-forward against skiff up (e2e)', function () {
  let c: Cluster;
  before(function () {
    if (!isRoot) this.skip(); // a local node in its own network namespace needs root
  });
  useCluster((cluster) => (c = cluster), { nodes: 1 });

  before(async function () {
    this.timeout(200_000);
    const r = await c.kubectl(['apply', '-f', '-'], { stdin: manifest });
    assert.equal(r.code, 0, show(r));
    const w = await c.kubectl(['wait', '--for=condition=Ready', `pod/web`, '-n', NS, '--timeout=150s'], { timeoutMs: 170_000 });
    assert.equal(w.code, 0, show(w));
  });

  it('forwards a local port to the pod, several connections at once', async function () {
    this.timeout(60_000);
    const local = await freePort();
    const pf = c.kubectlStream(['port-forward', '-n', NS, 'pod/web', `${local}:8080`]);
    try {
      await pf.waitFor(new RegExp(`Forwarding from 127\\.0\\.0\\.1:${local} -> 8080`), 30_000);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => fetchOnce(local, `/req-${i}`)));
      assert.deepEqual(answers, Array.from({ length: 8 }, (_, i) => `hello from web /req-${i}`));
      // And again after those closed: the session stays usable.
      assert.equal(await fetchOnce(local, '/again'), 'hello from web /again');
    } finally {
      await pf.stop();
    }
  });

  it('forwards to a Service (kubectl picks its pod and target port)', async function () {
    this.timeout(60_000);
    const local = await freePort();
    const pf = c.kubectlStream(['port-forward', '-n', NS, 'svc/web', `${local}:80`]);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1:\d+ -> 8080/, 30_000);
      assert.equal(await fetchOnce(local, '/svc'), 'hello from web /svc');
    } finally {
      await pf.stop();
    }
  });

  it('reports a port nothing listens on, as kubectl does, without ending the session', async function () {
    this.timeout(60_000);
    const local = await freePort();
    const pf = c.kubectlStream(['port-forward', '-n', NS, 'pod/web', `${local}:9999`]);
    try {
      await pf.waitFor(/Forwarding from 127\.0\.0\.1:\d+ -> 9999/, 30_000);
      await assert.rejects(fetchOnce(local, '/'));
      await eventually('kubectl to print the forwarding error', async () => /error forwarding port 9999 to pod/.test(pf.stderr()), 20_000);
    } finally {
      await pf.stop();
    }
  });

  it('kubectl cp copies a file into the pod and back out (tar through exec)', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'skiff-cp-'));
    try {
      writeFileSync(join(dir, 'in.txt'), 'copied in\n');
      const up = await c.kubectl(['cp', join(dir, 'in.txt'), `${NS}/web:/tmp/in.txt`]);
      assert.equal(up.code, 0, show(up));
      const cat = await c.kubectl(['exec', '-n', NS, 'web', '--', 'cat', '/tmp/in.txt']);
      assert.equal(cat.stdout, 'copied in\n', show(cat));
      const down = await c.kubectl(['cp', `${NS}/web:/tmp/in.txt`, join(dir, 'out.txt')]);
      assert.equal(down.code, 0, show(down));
      assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'copied in\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
