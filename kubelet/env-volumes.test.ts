// Env and volumes as the container sees them: the fake runtime records the CRI config, and the
// volume files are checked on disk.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import type { Pod } from '../api/index.js';
import { hollowHarness, pod, waitFor, type HollowHarness } from './support.testkit.js';

describe('kubelet env and volumes (hollow runtime)', function () {
  this.timeout(30_000);
  let h: HollowHarness;
  before(async () => {
    h = await hollowHarness();
  });
  after(async () => {
    await h.close();
  });

  it('builds env from values, configMaps, secrets, the downward API, resources and Services', async () => {
    await h.cs.configMaps.create('default', { metadata: { name: 'cfg' }, data: { mode: 'fast', level: '3' } });
    await h.cs.secrets.create('default', { metadata: { name: 'sec' }, data: { password: Buffer.from('hunter2').toString('base64') } });
    await h.cs.services.create('default', { metadata: { name: 'my-db' }, spec: { ports: [{ name: 'sql', port: 5432 }] } });
    const p = pod('env', [{
      command: ['echo', '$(GREETING)'],
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }],
      env: [
        { name: 'GREETING', value: 'hello $(CFG_mode)' },
        { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'mode' } } },
        { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'sec', key: 'password' } } },
        { name: 'MISSING', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'MEM_MI', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
      ],
      resources: { limits: { memory: '64Mi', cpu: '500m' } },
    }]);
    p.metadata!.labels = { app: 'demo' };
    await h.cs.pods.create('default', p);
    const created = await h.cs.pods.get('default', 'env');
    await waitFor('running', async () => (await h.cs.pods.get('default', 'env')).status?.phase === 'Running');
    const c = [...h.fake.containers.values()].find((x) => x.config.labels?.['io.kubernetes.pod.uid'] === created.metadata?.uid)!;
    const env = Object.fromEntries((c.config.envs ?? []).map((e) => [e?.key, e?.value]));
    assert.equal(env.CFG_mode, 'fast');
    assert.equal(env.GREETING, 'hello fast');
    assert.equal(env.MODE, 'fast');
    assert.equal(env.PASSWORD, 'hunter2');
    assert.equal('MISSING' in env, false);
    assert.equal(env.POD_NAME, 'env');
    assert.equal(env.NODE, 'node-1');
    assert.equal(env.APP, 'demo');
    assert.match(env.POD_IP ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(env.MEM_MI, '64');
    assert.match(env.MY_DB_SERVICE_HOST ?? '', /^10\./);
    assert.equal(env.MY_DB_SERVICE_PORT, '5432');
    assert.equal(env.MY_DB_SERVICE_PORT_SQL, '5432');
    assert.equal(env.MY_DB_PORT_5432_TCP_PORT, '5432');
    assert.ok(env.KUBERNETES_SERVICE_HOST);
    assert.deepEqual(c.config.command, ['echo', 'hello fast']);
    assert.equal(c.config.linux?.resources?.memoryLimitInBytes, 64 * 2 ** 20);
    assert.equal(c.config.linux?.resources?.cpuQuota, 50_000);
    assert.equal(c.config.linux?.resources?.cpuShares, 512);
  });

  it('materialises configMap, secret, downwardAPI, projected and emptyDir volumes with modes, items and subPath', async () => {
    await h.cs.configMaps.create('default', { metadata: { name: 'files' }, data: { 'a.conf': 'A=1\n', 'b.conf': 'B=2\n' } });
    await h.cs.secrets.create('default', { metadata: { name: 'keys' }, data: { 'tls.key': Buffer.from('KEY').toString('base64') } });
    const p: Pod = pod('vols', [{
      volumeMounts: [
        { name: 'cm', mountPath: '/etc/cm', readOnly: true },
        { name: 'sec', mountPath: '/etc/sec' },
        { name: 'dapi', mountPath: '/etc/podinfo' },
        { name: 'proj', mountPath: '/etc/proj' },
        { name: 'scratch', mountPath: '/data', subPath: 'one' },
      ],
    }], {
      volumes: [
        { name: 'cm', configMap: { name: 'files' } },
        { name: 'sec', secret: { secretName: 'keys', defaultMode: 0o400, items: [{ key: 'tls.key', path: 'private/key.pem' }] } },
        { name: 'dapi', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'name', fieldRef: { fieldPath: 'metadata.name' } }] } },
        { name: 'proj', projected: { sources: [{ configMap: { name: 'files', items: [{ key: 'a.conf', path: 'a' }] } }, { secret: { name: 'keys' } }] } },
        { name: 'scratch', emptyDir: {} },
      ],
    });
    p.metadata!.labels = { tier: 'web', app: 'v' };
    await h.cs.pods.create('default', p);
    const created = await h.cs.pods.get('default', 'vols');
    await waitFor('running', async () => (await h.cs.pods.get('default', 'vols')).status?.phase === 'Running');
    const base = `${h.root}/pods/${created.metadata?.uid}/volumes`;
    assert.equal(readFileSync(`${base}/cm/a.conf`, 'utf8'), 'A=1\n');
    assert.equal(readFileSync(`${base}/cm/b.conf`, 'utf8'), 'B=2\n');
    assert.equal(statSync(`${base}/cm/a.conf`).mode & 0o777, 0o644);
    assert.equal(readFileSync(`${base}/sec/private/key.pem`, 'utf8'), 'KEY');
    assert.equal(statSync(`${base}/sec/private/key.pem`).mode & 0o777, 0o400);
    assert.equal(readFileSync(`${base}/dapi/labels`, 'utf8'), 'app="v"\ntier="web"');
    assert.equal(readFileSync(`${base}/dapi/name`, 'utf8'), 'vols');
    assert.equal(readFileSync(`${base}/proj/a`, 'utf8'), 'A=1\n');
    assert.equal(readFileSync(`${base}/proj/tls.key`, 'utf8'), 'KEY');
    const c = [...h.fake.containers.values()].find((x) => x.config.labels?.['io.kubernetes.pod.uid'] === created.metadata?.uid)!;
    const mounts = Object.fromEntries((c.config.mounts ?? []).map((m) => [m?.containerPath, m]));
    assert.equal(mounts['/etc/cm']?.hostPath, `${base}/cm`);
    assert.equal(mounts['/etc/cm']?.readonly, true);
    assert.equal(mounts['/data']?.hostPath, `${base}/scratch/one`);
    assert.ok(statSync(`${base}/scratch/one`).isDirectory());
    // A configMap update reaches the files at the next sync.
    await h.cs.configMaps.patch('default', 'files', { data: { 'a.conf': 'A=42\n', 'b.conf': null } });
    await waitFor('updated file', () => readFileSync(`${base}/cm/a.conf`, 'utf8') === 'A=42\n', 10_000);
    await waitFor('removed key', () => {
      try {
        readFileSync(`${base}/cm/b.conf`);
        return false;
      } catch {
        return true;
      }
    });
  });

  it('a missing configMap keeps the container waiting with CreateContainerConfigError', async () => {
    await h.cs.pods.create('default', pod('nocfg', [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }]));
    const s = await waitFor('config error', async () => {
      const w = (await h.cs.pods.get('default', 'nocfg')).status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'CreateContainerConfigError' && w;
    });
    assert.match(s.message ?? '', /configmap "absent" not found/);
  });
});
