import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readLog, runContainer, runPod, startTestRuntime, waitExited, waitFor, type TestRuntime } from './support.testkit.js';

// The degraded mode for machines without root or runc: plain host processes, host network.
describe('runtime: host-process mode', function () {
  this.timeout(30_000);
  let t: TestRuntime;

  before(async () => {
    t = await startTestRuntime({ podCidr: '10.244.251.0/24', hostProcesses: true });
  });

  after(async () => {
    if (t) await t.destroy();
  });

  it('says in Status that containers are not isolated', async () => {
    const { status } = await t.rt.status({});
    const isolated = status?.conditions.find((c) => c.type === 'ContainersIsolated');
    assert.equal(isolated?.status, false);
    assert.match(isolated?.message ?? '', /plain host processes on the host network/);
    assert.equal(status?.conditions.find((c) => c.type === 'RuntimeReady')?.status, true);
  });

  it('runs, logs, stops and survives a runtime restart', async () => {
    const pod = await runPod(t, 'hostpod');
    assert.equal((await t.rt.podSandboxStatus({ podSandboxId: pod.id })).status?.linux?.namespaces?.options?.network, 'NODE');
    const done = await runContainer(t, pod.id, 'once', ['/bin/sh', '-c', 'echo hi; exit 5']);
    const s = await waitExited(t, done);
    assert.equal(s.exitCode, 5);
    assert.match(readLog(join(pod.logDir, 'once/0.log')), /^\S+ stdout F hi$/m);

    const long = await runContainer(t, pod.id, 'long', ['/bin/sh', '-c', 'trap "exit 0" TERM; while true; do sleep 0.1; done']);
    await t.restart();
    assert.equal((await t.rt.containerStatus({ containerId: long })).status?.state, 'CONTAINER_RUNNING');
    await t.rt.stopContainer({ containerId: long, timeout: 10 });
    const stopped = await waitFor('stopped', async () => (await t.rt.containerStatus({ containerId: long })).status ?? undefined);
    assert.equal(stopped.state, 'CONTAINER_EXITED');
    assert.equal(stopped.exitCode, 0);
  });
});
