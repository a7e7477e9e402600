// The kubelet's logs and exec endpoints with the hollow runtime (exec falls back to ExecSync).
import assert from 'node:assert/strict';
import { appendFileSync } from 'node:fs';
import { WebSocket } from 'ws';
import { hollowHarness, pod, waitFor, type HollowHarness } from './support.testkit.js';

describe('kubelet server (hollow runtime)', function () {
  this.timeout(30_000);
  let h: HollowHarness;
  let base: string;
  before(async () => {
    h = await hollowHarness({ authToken: 'sekret', bindAddress: '127.0.0.1' });
    base = `http://127.0.0.1:${h.kubelet.port}`;
    await h.cs.pods.create('default', pod('logger', [{ name: 'app' }]));
    await waitFor('running', async () => (await h.cs.pods.get('default', 'logger')).status?.phase === 'Running');
  });
  after(async () => {
    await h.close();
  });
  const auth = { authorization: 'Bearer sekret' };

  it('serves /healthz openly and /metrics only with the token', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/metrics`)).status, 401);
    const m = await fetch(`${base}/metrics`, { headers: auth });
    assert.match(await m.text(), /kubelet_running_pods 1/);
  });

  it('serves container logs with the CRI prefix stripped, or timestamps on request', async () => {
    const r = await fetch(`${base}/containerLogs/default/logger/app`, { headers: auth });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), 'started app\n');
    const t = await (await fetch(`${base}/containerLogs/default/logger/app?timestamps=true&tailLines=1`, { headers: auth })).text();
    assert.match(t, /^\d{4}-\d\d-\d\dT\S+Z started app\n$/);
    // Booleans as Go's ParseBool reads them (the Python client sends True).
    const py = await (await fetch(`${base}/containerLogs/default/logger/app?timestamps=True`, { headers: auth })).text();
    assert.match(py, /^\d{4}-\d\d-\d\dT\S+Z started app\n$/);
    const bad = await fetch(`${base}/containerLogs/default/logger/app?timestamps=yes`, { headers: auth });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /^timestamps: Invalid value: "yes"/);
    assert.equal((await fetch(`${base}/containerLogs/default/logger/app?limitBytes=3`, { headers: auth }).then((x) => x.text())), 'sta');
    assert.equal((await fetch(`${base}/containerLogs/default/logger/nope`, { headers: auth })).status, 400);
    assert.equal((await fetch(`${base}/containerLogs/default/logger/app`)).status, 401);
  });

  it('follows a log until the container stops, and serves the previous instance', async () => {
    const [id] = h.fake.running('app');
    const path = h.fake.containers.get(id!)!.logPath;
    const res = await fetch(`${base}/containerLogs/default/logger/app?follow=true`, { headers: auth });
    const reader = res.body!.getReader();
    let text = '';
    const read = async () => {
      const { value, done } = await reader.read();
      if (value) text += Buffer.from(value).toString();
      return done;
    };
    await waitFor('first line', async () => (await read(), text.includes('started app\n')));
    appendFileSync(path, `${new Date().toISOString()} stdout P part-\n${new Date().toISOString()} stderr F one\n`);
    await waitFor('appended line', async () => (await read(), text.includes('part-one\n')));
    h.fake.exit(id!, 1);
    while (!(await read()));
    assert.equal(text, 'started app\npart-one\n');
    // The kubelet restarts it; --previous reads the exited instance's log.
    await waitFor('restarted', () => h.fake.running('app').length === 1 && h.fake.running('app')[0] !== id);
    const prev = await fetch(`${base}/containerLogs/default/logger/app?previous=true`, { headers: auth });
    assert.equal(await prev.text(), 'started app\npart-one\n');
  });

  it('runs exec over the v5 channel protocol (ExecSync fallback)', async () => {
    h.fake.execHandler = (_id, cmd) => ({ exitCode: cmd.includes('fail') ? 2 : 0, stdout: `ran ${cmd.join(' ')}\n` });
    const run = (cmd: string[]) =>
      new Promise<{ out: string; status: Record<string, unknown> }>((resolve, reject) => {
        const q = cmd.map((c) => `command=${encodeURIComponent(c)}`).join('&');
        const ws = new WebSocket(`ws://127.0.0.1:${h.kubelet.port}/exec/default/logger/app?${q}&stdout=1&stderr=1`, ['v5.channel.k8s.io'], { headers: auth });
        let out = '';
        let status: Record<string, unknown> = {};
        ws.on('message', (d: Buffer) => {
          if (d[0] === 1) out += d.subarray(1).toString();
          if (d[0] === 3) status = JSON.parse(d.subarray(1).toString()) as Record<string, unknown>;
        });
        ws.on('close', () => resolve({ out, status }));
        ws.on('error', reject);
      });
    const ok = await run(['cat', '/etc/hostname']);
    assert.equal(ok.out, 'ran cat /etc/hostname\n');
    assert.equal(ok.status.status, 'Success');
    const bad = await run(['fail']);
    assert.equal(bad.status.reason, 'NonZeroExitCode');
  });
});
