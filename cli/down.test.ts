// `skiff down` from another terminal, a launcher killed with SIGKILL, and the clean-up the next
// `skiff up` does: real processes, the control plane alone (nodes are in e2e/crash-recovery).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etcdPorts, runSkiff, waitForOutput, type SkiffRun } from '../testing/skiff-run.js';
import { waitFor } from '../testing/wait.js';
import { isRunning, processesOfHome } from '../host/home-processes.js';
import { assertPortFree, freePort } from '../host/process.js';

describe('skiff down and a crashed skiff up', function () {
  this.timeout(120_000);
  let home: string;
  let port: number;
  let etcdPort: number;
  const runs: SkiffRun[] = [];
  const up = (): SkiffRun => {
    const r = runSkiff(['up', '--home', home, '--port', String(port), '--etcd-port', String(etcdPort), '--nodes', '0']);
    runs.push(r);
    return r;
  };
  const portsFree = async (): Promise<boolean> => {
    for (const p of [port, etcdPort, etcdPort + 1]) if (!(await assertPortFree(p, 'x').then(() => true, () => false))) return false;
    return true;
  };

  before(async () => {
    home = mkdtempSync(join(tmpdir(), 'skiff-down-'));
    port = await freePort();
    etcdPort = await etcdPorts();
  });
  after(() => {
    for (const r of runs) if (r.proc.exitCode === null) r.proc.kill('SIGKILL');
    for (const p of processesOfHome(home)) process.kill(p.pid, 'SIGKILL');
    rmSync(home, { recursive: true, force: true });
  });

  it('down from another terminal stops a running cluster cleanly and leaves no process or port', async () => {
    const u = up();
    await waitForOutput(u, 'Press Ctrl-C to stop');
    assert.ok(processesOfHome(home).length >= 5, 'etcd, apiserver, controller-manager, scheduler, dns run');
    const d = runSkiff(['down', '--home', home]);
    assert.equal(await d.exit, 0, d.output());
    assert.match(d.output(), new RegExp(`stopping the launcher \\(pid ${u.proc.pid}\\)`));
    assert.equal(await u.exit, 0, u.output());
    assert.match(u.output(), /received SIGTERM/);
    assert.deepEqual(processesOfHome(home), []);
    assert.ok(await portsFree(), 'apiserver and etcd ports are free');
  });

  it('components exit within 5 s of a SIGKILLed launcher; the next up clears a stale process of the home and starts', async () => {
    const u = up();
    await waitForOutput(u, 'Press Ctrl-C to stop');
    const components = processesOfHome(home).map((p) => p.pid);
    u.proc.kill('SIGKILL');
    await waitFor('every component to exit after its launcher was killed', () => components.every((pid) => !isRunning(pid)), 5000);
    await waitFor('the ports to be free', portsFree, 5000);

    // Something of this home that was not tied to the launcher (say, from an older skiff).
    const stray = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', join(home, 'etcd')], { detached: true, stdio: 'ignore' });
    stray.unref();
    await waitFor('the stray to run', () => processesOfHome(home).length === 1);
    const again = up();
    await waitForOutput(again, 'Press Ctrl-C to stop');
    assert.match(again.output(), new RegExp(`cleared what a previous run of this home left: process ${stray.pid} `));
    assert.equal(isRunning(stray.pid as number), false);

    again.proc.kill('SIGHUP'); // the terminal closed
    assert.equal(await again.exit, 0, again.output());
    assert.match(again.output(), /received SIGHUP/);
    assert.deepEqual(processesOfHome(home), []);
  });

  it('down on a home that is not running says so and succeeds', async () => {
    const d = runSkiff(['down', '--home', home]);
    assert.equal(await d.exit, 0, d.output());
    assert.match(d.output(), /nothing was running/);
  });
});
