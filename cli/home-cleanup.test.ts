// Finding a home's processes and removing what a home left, with real processes, mounts and a
// network namespace (no mocks): only this home's things go, another home's stay.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../testing/wait.js';
import { cleanHome, recordNetwork } from './home-cleanup.js';
import { isRunning, mountsUnder, namesPathIn, processesOfHome } from '../host/home-processes.js';

const isRoot = process.getuid?.() === 0;

/** A detached node process (nobody's child once we let go) whose command line names `path`. */
function stray(path: string): number {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', path], { detached: true, stdio: 'ignore' });
  p.unref();
  return p.pid as number;
}

describe('home clean-up', function () {
  this.timeout(30_000);
  let home: string;
  const strays: number[] = [];
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'skiff-clean-'));
  });
  afterEach(() => {
    for (const pid of strays.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    for (const m of mountsUnder(home)) spawnSync('umount', ['-l', m]);
    rmSync(home, { recursive: true, force: true });
  });

  it('a process belongs to a home when an argument is a path inside it', () => {
    const cases: Array<[string, boolean]> = [
      ['/h/home', true],
      ['/h/home/etcd', true],
      ['--root=/h/home/nodes/node-1/runtime/runc', true],
      ['unix:///h/home/nodes/node-1/runtime.sock', true],
      ['/h/home2/etcd', false],
      ['/h/hom', false],
      ['--data-dir', false],
    ];
    for (const [arg, want] of cases) assert.equal(namesPathIn(arg, '/h/home'), want, arg);
  });

  it('stops the processes of this home and leaves another home alone', async () => {
    const mine = stray(join(home, 'etcd'));
    const other = stray(`${home}2/etcd`);
    strays.push(mine, other);
    await waitFor('both strays to run', () => processesOfHome(home).length === 1 && processesOfHome(`${home}2`).length === 1);
    assert.deepEqual(processesOfHome(home).map((p) => p.pid), [mine]);
    const removed = await cleanHome(home);
    assert.ok(removed.some((r) => r.startsWith(`process ${mine} `)), removed.join('\n'));
    assert.equal(isRunning(mine), false);
    assert.equal(isRunning(other), true, "another home's process survives");
  });

  it('a child of a launcher that is SIGKILLed gets SIGTERM and exits (setpriv --pdeathsig)', async () => {
    const processJs = fileURLToPath(new URL('../host/process.js', import.meta.url));
    const script = `import { spawnLogged } from ${JSON.stringify(processJs)};
      const c = await spawnLogged({ name: 'tied', command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)', ${JSON.stringify(join(home, 'tied'))}], logFile: ${JSON.stringify(join(home, 'tied.log'))} });
      console.log(c.pid); setInterval(() => {}, 1000);`;
    const launcher = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const childPid = await new Promise<number>((resolve) => launcher.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    strays.push(childPid);
    assert.ok(isRunning(childPid));
    launcher.kill('SIGKILL');
    const t0 = Date.now();
    await waitFor('the child to exit after its launcher died', () => !isRunning(childPid), 5000);
    assert.ok(Date.now() - t0 < 5000);
  });

  it('unmounts what is mounted in the home and removes the recorded network, not more (root)', async function () {
    if (!isRoot) this.skip();
    const rootfs = join(home, 'nodes', 'node-1', 'runtime', 'containers', 'c1', 'rootfs');
    mkdirSync(rootfs, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', rootfs]);
    execFileSync('ip', ['netns', 'add', 'skiff-cleanup-test']);
    execFileSync('ip', ['link', 'add', 'skcltest0', 'type', 'bridge']);
    execFileSync('ip', ['route', 'replace', 'unreachable', '198.51.100.0/24']);
    recordNetwork(home, { bridge: 'skcltest0', netns: ['skiff-cleanup-test'], links: ['skcltest9'], routes: [['unreachable', '198.51.100.0/24']] });
    writeFileSync(join(home, 'nodes', 'node-1', 'runtime.sock'), '');
    const removed = await cleanHome(home);
    assert.deepEqual(mountsUnder(home), []);
    assert.equal(existsSync('/run/netns/skiff-cleanup-test'), false);
    assert.equal(spawnSync('ip', ['link', 'show', 'skcltest0']).status, 1, 'recorded bridge removed');
    assert.doesNotMatch(execFileSync('ip', ['route', 'show', 'type', 'unreachable'], { encoding: 'utf8' }), /198\.51\.100\.0/);
    assert.equal(existsSync(join(home, 'nodes', 'node-1', 'runtime.sock')), false, 'stale socket removed');
    for (const what of [`mount ${rootfs}`, 'netns skiff-cleanup-test', 'link skcltest0', 'route unreachable 198.51.100.0/24']) assert.ok(removed.includes(what), `${what} in ${removed.join(', ')}`);
    assert.deepEqual(await cleanHome(home), [], 'a second clean-up finds nothing');
  });
});
