import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { isolationSupport } from './index.js';
import { cgroupDirs } from './cgroups.js';
import { netnsName, netnsPath } from './cni.js';
import { readLog, runContainer, runPod, startTestRuntime, waitExited, waitFor, type TestRuntime } from './support.testkit.js';

const CRI_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+(Z|[+-]\d\d:\d\d) (stdout|stderr) (F|P) (.*)$/;

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { timeout: 2000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function mounted(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((l) => l.split(' ')[4] === path);
}

describe('runtime: runc + conmon + CNI (as root)', function () {
  this.timeout(60_000);
  let t: TestRuntime;

  before(async function () {
    const support = isolationSupport();
    if ('reason' in support) {
      console.log(`    (skipped: isolated containers need root, runc, conmon and the CNI plugins: ${support.reason})`);
      this.skip();
    }
    t = await startTestRuntime({ podCidr: '10.244.250.0/24', testMirror: true });
    await t.images.pullImage({ image: { image: 'busybox' } });
  });

  after(async () => {
    if (t) await t.destroy();
  });

  it('reports Ready conditions and the pod CIDR in Status', async () => {
    const { status } = await t.rt.status({});
    const byType = new Map(status?.conditions.map((c) => [c.type, c]));
    assert.equal(byType.get('RuntimeReady')?.status, true);
    assert.equal(byType.get('NetworkReady')?.status, true);
    assert.match(byType.get('NetworkReady')?.message ?? '', /10\.244\.250\.0\/24/);
    assert.equal(byType.get('ContainersIsolated')?.status, true);
    assert.equal((await t.rt.version({})).runtimeName, 'skiff');
  });

  it('runs a container: CRI-format logs, own PID namespace and hostname, pod DNS config', async () => {
    const pod = await runPod(t, 'hello');
    const id = await runContainer(t, pod.id, 'main', ['/bin/sh', '-c', 'echo hi; echo oops >&2; sleep 30']);
    const logPath = join(pod.logDir, 'main/0.log');
    const log = await waitFor('both log lines', () => {
      const text = readLog(logPath);
      return text.includes('stderr F oops') ? text : undefined;
    });
    const lines = log.trim().split('\n');
    for (const line of lines) assert.match(line, CRI_LINE);
    assert.ok(lines.some((l) => / stdout F hi$/.test(l)), log);
    const { status } = await t.rt.containerStatus({ containerId: id });
    assert.equal(status?.state, 'CONTAINER_RUNNING');
    assert.equal(status?.logPath, logPath);
    assert.ok((status?.startedAt ?? 0) > 0);

    const ps = await t.rt.execSync({ containerId: id, cmd: ['/bin/sh', '-c', 'echo $$; hostname; cat /etc/resolv.conf'], timeout: 10 });
    const [pid, hostname, ...resolv] = ps.stdout.toString().trim().split('\n');
    assert.ok(Number(pid) < 100, `a fresh PID namespace has small pids, got ${pid}`);
    assert.equal(hostname, 'hello');
    assert.ok(resolv.includes('nameserver 10.96.0.10'), resolv.join('\n'));
    assert.ok(resolv.includes('search default.svc.cluster.local svc.cluster.local'), resolv.join('\n'));
  });

  it('gives each pod an IP on the bridge that the host reaches (busybox httpd)', async () => {
    const pod = await runPod(t, 'web');
    const { status } = await t.rt.podSandboxStatus({ podSandboxId: pod.id });
    const ip = status?.network?.ip ?? '';
    assert.match(ip, /^10\.244\.250\.\d+$/);
    await runContainer(t, pod.id, 'http', ['httpd', '-f', '-p', '8080', '-h', '/etc']);
    const res = await waitFor(`http://${ip}:8080/hostname`, async () => httpGet(`http://${ip}:8080/hostname`));
    assert.equal(res.status, 200);
    assert.equal(res.body.trim(), 'web');
  });

  it('forwards a hostPort to the pod (portmap)', async () => {
    const hostPort = 20000 + (process.pid % 10000);
    const { podSandboxId } = await t.rt.runPodSandbox({
      config: {
        metadata: { name: 'hostport', namespace: 'default', uid: `uid-hostport-${Date.now()}` },
        hostname: 'hostport',
        logDirectory: join(t.root, 'logs', 'hostport'),
        portMappings: [{ protocol: 'TCP', containerPort: 8080, hostPort }],
      },
    });
    await runContainer(t, podSandboxId, 'http', ['httpd', '-f', '-p', '8080', '-h', '/etc']);
    // The bridge's gateway address is one of this node's own addresses.
    const gateway = t.podCidr.replace(/\.0\/24$/, '.1');
    const res = await waitFor(`http://${gateway}:${hostPort}/hostname`, async () => httpGet(`http://${gateway}:${hostPort}/hostname`));
    assert.equal(res.body.trim(), 'hostport');
    await t.rt.removePodSandbox({ podSandboxId });
    await assert.rejects(httpGet(`http://${gateway}:${hostPort}/hostname`), 'the forward is gone with the pod');
  });

  it('reports the exit code and reason of a failing container', async () => {
    const pod = await runPod(t);
    const id = await runContainer(t, pod.id, 'fail', ['/bin/sh', '-c', 'exit 3']);
    const status = await waitExited(t, id);
    assert.equal(status.exitCode, 3);
    assert.equal(status.reason, 'Error');
    assert.ok(status.finishedAt >= status.startedAt && status.startedAt > 0);
  });

  it('reports OOMKilled for a container over its memory limit, and leaves no file where the runtime was started', async () => {
    // conmon writes an `oom` file into its working directory: that must be the container's bundle.
    const stray = join(process.cwd(), 'oom');
    const strayBefore = existsSync(stray);
    const pod = await runPod(t, 'hog', 'host'); // the host's python3 allocates in one go
    const id = await runContainer(t, pod.id, 'hog', ['python3', '-c', 'x = bytearray(200 * 1024 * 1024)'], {
      linux: { resources: { memoryLimitInBytes: 50 * 1024 * 1024 } },
    });
    const status = await waitExited(t, id);
    assert.equal(status.reason, 'OOMKilled');
    assert.equal(status.exitCode, 137);
    if (!strayBefore) assert.equal(existsSync(stray), false, `an oom file appeared in ${process.cwd()}`);
  });

  it('ExecSync returns stdout, stderr and the exit code', async () => {
    const pod = await runPod(t);
    const id = await runContainer(t, pod.id, 'sleeper', ['sleep', '30'], { envs: [{ key: 'GREETING', value: 'hello from env' }] });
    const r = await t.rt.execSync({ containerId: id, cmd: ['/bin/sh', '-c', 'echo "$GREETING"; echo bad >&2; exit 4'], timeout: 10 });
    assert.equal(r.stdout.toString(), 'hello from env\n');
    assert.equal(r.stderr.toString(), 'bad\n');
    assert.equal(r.exitCode, 4);
    const { stats } = await t.rt.containerStats({ containerId: id });
    assert.ok((stats?.memory?.workingSetBytes?.value ?? 0) > 0, 'memory working set from the cgroup');
    assert.ok((stats?.cpu?.usageCoreNanoSeconds?.value ?? 0) > 0, 'cpu usage from the cgroup');
  });

  it('Exec streams over a v5.channel.k8s.io WebSocket', async () => {
    const pod = await runPod(t);
    const id = await runContainer(t, pod.id, 'sleeper', ['sleep', '30']);
    const { url } = await t.rt.exec({ containerId: id, cmd: ['/bin/sh', '-c', 'read line; echo "got $line"; echo err >&2; exit 2'], stdin: true, stdout: true, stderr: true });
    const ws = new WebSocket(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io']);
    const out: Record<number, string> = { 1: '', 2: '', 3: '' };
    await new Promise<void>((resolve, reject) => {
      ws.on('open', () => {
        assert.equal(ws.protocol, 'v5.channel.k8s.io');
        ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('ping\n')]));
        ws.send(Buffer.from([255, 0]));
      });
      ws.on('message', (m: Buffer) => {
        const ch = m[0] ?? -1;
        out[ch] = (out[ch] ?? '') + m.subarray(1).toString();
      });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    assert.equal(out[1], 'got ping\n');
    assert.equal(out[2], 'err\n');
    const status = JSON.parse(out[3] ?? '{}') as { status: string; reason: string; details: { causes: Array<{ message: string }> } };
    assert.equal(status.status, 'Failure');
    assert.equal(status.reason, 'NonZeroExitCode');
    assert.equal(status.details.causes[0]?.message, '2');
  });

  it('Exec with tty gives the command a terminal', async () => {
    // TTY exec runs under util-linux `script` inside the container, which busybox-static lacks:
    // on the host's filesystem until the runtime hands runc a console socket.
    const pod = await runPod(t, 'tty', 'host');
    const id = await runContainer(t, pod.id, 'sleeper', ['sleep', '30']);
    const { url } = await t.rt.exec({ containerId: id, cmd: ['/bin/sh', '-c', 'test -t 1 && echo "tty $(tty)"'], tty: true, stdout: true });
    const ws = new WebSocket(url.replace(/^http/, 'ws'), ['v5.channel.k8s.io']);
    let stdout = '';
    let status = '';
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (m: Buffer) => {
        if (m[0] === 1) stdout += m.subarray(1).toString();
        if (m[0] === 3) status += m.subarray(1).toString();
      });
      ws.on('close', () => resolve());
      ws.on('error', reject);
    });
    assert.match(stdout, /^tty \/dev\/pts\/\d+\r?\n$/);
    assert.equal((JSON.parse(status) as { status: string }).status, 'Success');
  });

  it('bind-mounts volumes, honouring readonly', async () => {
    const pod = await runPod(t);
    const vol = join(t.root, 'vol');
    mkdirSync(vol, { recursive: true });
    writeFileSync(join(vol, 'key'), 'value\n');
    const id = await runContainer(t, pod.id, 'reader', ['sleep', '30'], {
      mounts: [
        { containerPath: '/config', hostPath: vol, readonly: true },
        { containerPath: '/data', hostPath: vol },
      ],
    });
    const r = await t.rt.execSync({ containerId: id, cmd: ['/bin/sh', '-c', 'cat /config/key; touch /config/x 2>/dev/null && echo writable; touch /data/y && echo data-ok'], timeout: 10 });
    assert.equal(r.stdout.toString(), 'value\ndata-ok\n');
    assert.ok(existsSync(join(vol, 'y')));
  });

  it('stops with SIGTERM first, and SIGKILL after the grace period', async () => {
    const pod = await runPod(t);
    const polite = await runContainer(t, pod.id, 'polite', ['/bin/sh', '-c', 'trap "echo bye; exit 0" TERM; while true; do sleep 0.1; done']);
    const stubborn = await runContainer(t, pod.id, 'stubborn', ['/bin/sh', '-c', 'trap "" TERM; while true; do sleep 0.1; done']);
    const started = Date.now();
    await t.rt.stopContainer({ containerId: polite, timeout: 30 });
    assert.ok(Date.now() - started < 10_000, 'SIGTERM ends a container that handles it, without waiting for the grace period');
    const s1 = (await t.rt.containerStatus({ containerId: polite })).status;
    assert.equal(s1?.state, 'CONTAINER_EXITED');
    assert.equal(s1?.exitCode, 0);
    assert.match(readLog(s1?.logPath ?? ''), /stdout F bye/);

    const t0 = Date.now();
    await t.rt.stopContainer({ containerId: stubborn, timeout: 1 });
    assert.ok(Date.now() - t0 >= 900, 'waited for the grace period');
    const s2 = (await t.rt.containerStatus({ containerId: stubborn })).status;
    assert.equal(s2?.exitCode, 137);
  });

  it('ReopenContainerLog makes conmon write to a fresh file after the log was rotated', async () => {
    const pod = await runPod(t);
    const id = await runContainer(t, pod.id, 'chatty', ['/bin/sh', '-c', 'i=0; while true; do i=$((i+1)); echo "line $i"; sleep 0.05; done']);
    const logPath = join(pod.logDir, 'chatty/0.log');
    await waitFor('first lines', () => readLog(logPath).includes('line 2'));
    renameSync(logPath, `${logPath}.20260101-000000`);
    await t.rt.reopenContainerLog({ containerId: id });
    const fresh = await waitFor('lines in the reopened log', () => (/stdout F line \d+/.test(readLog(logPath)) ? readLog(logPath) : undefined));
    for (const line of fresh.trim().split('\n')) assert.match(line, CRI_LINE);
    assert.ok(!fresh.includes('stdout F line 1\n'), 'the new file starts after the rotation');
  });

  it('keeps running containers known across a runtime restart, without starting them again', async () => {
    const pod = await runPod(t);
    const id = await runContainer(t, pod.id, 'survivor', ['/bin/sh', '-c', 'echo started; sleep 30']);
    const before = (await t.rt.containerStatus({ containerId: id })).status;
    await t.restart();
    const after = (await t.rt.containerStatus({ containerId: id })).status;
    assert.equal(after?.state, 'CONTAINER_RUNNING');
    assert.equal(after?.startedAt, before?.startedAt);
    assert.equal((await t.rt.execSync({ containerId: id, cmd: ['true'], timeout: 5 })).exitCode, 0);
    const log = readLog(after?.logPath ?? '');
    assert.equal(log.match(/stdout F started/g)?.length, 1, log);
    const { items } = await t.rt.listPodSandbox({ filter: { id: pod.id } });
    assert.equal(items[0]?.state, 'SANDBOX_READY');
    await assert.rejects(t.rt.startContainer({ containerId: id }), /not CONTAINER_CREATED/);
  });

  it('RemovePodSandbox removes the network namespace, mounts and cgroups', async () => {
    const pod = await runPod(t);
    const id = await runContainer(t, pod.id, 'doomed', ['sleep', '30'], { linux: { resources: { memoryLimitInBytes: 64 * 1024 * 1024, cpuShares: 256 } } });
    const netns = netnsPath(netnsName(pod.id));
    const rootfs = join(t.root, 'state', 'containers', id, 'bundle', 'rootfs');
    assert.ok(existsSync(netns));
    assert.ok(mounted(rootfs));
    const cgroups = cgroupDirs(`/skiff-pod-${pod.id}`);
    assert.ok(cgroups.length > 0);
    await t.rt.stopPodSandbox({ podSandboxId: pod.id });
    assert.equal((await t.rt.podSandboxStatus({ podSandboxId: pod.id })).status?.state, 'SANDBOX_NOTREADY');
    await t.rt.removePodSandbox({ podSandboxId: pod.id });
    assert.ok(!existsSync(netns), 'netns removed');
    assert.ok(!mounted(rootfs), 'rootfs unmounted');
    for (const dir of cgroups) assert.ok(!existsSync(dir), `${dir} removed`);
    await assert.rejects(t.rt.containerStatus({ containerId: id }), /not found/);
    await t.rt.removePodSandbox({ podSandboxId: pod.id }); // idempotent
  });

  it('rejects bad requests naming the field', async () => {
    const pod = await runPod(t);
    await assert.rejects(t.rt.createContainer({ podSandboxId: pod.id, config: { metadata: { name: 'x' } } }), /config\.image\.image: required/);
    await assert.rejects(t.rt.createContainer({ podSandboxId: pod.id, config: { metadata: { name: 'x' }, image: { image: 'never-pulled:1' } } }), /image "never-pulled:1" not found: pull it first/);
    await assert.rejects(
      t.rt.createContainer({ podSandboxId: pod.id, config: { metadata: { name: 'x' }, command: ['true'], mounts: [{ containerPath: '/v', hostPath: '/nonexistent/skiff' }] } }),
      /config\.mounts\[0\]\.hostPath/,
    );
    await assert.rejects(t.rt.containerStatus({ containerId: 'nope' }), /container "nope" not found/);
  });
});
