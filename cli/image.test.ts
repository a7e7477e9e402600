import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestRuntime, type TestRuntime } from '../runtime/support.testkit.js';

const run = promisify(execFile);
const skiff = fileURLToPath(new URL('../../bin/skiff.js', import.meta.url));

describe('skiff image ls|pull|rm (through the CRI ImageService)', function () {
  this.timeout(180_000); // five CLI processes on a loaded machine
  let t: TestRuntime;

  before(async function () {
    if (process.getuid?.() !== 0) {
      console.log('    (skipped: unpacking images needs root)');
      this.skip();
    }
    t = await startTestRuntime({ podCidr: '10.244.245.0/24', hostProcesses: true, testMirror: true });
  });

  after(async () => {
    if (t) await t.destroy();
  });

  const cli = async (...args: string[]): Promise<string> => (await run(process.execPath, [skiff, 'image', ...args, '--runtime-endpoint', t.endpoint])).stdout;

  it('pulls, lists like crictl images, and removes', async () => {
    assert.match(await cli('pull', 'busybox'), /^-: Image is up to date for sha256:[a-f0-9]{64} \([\d.]+s\)$/m);
    const ls = (await cli('ls')).trim().split('\n');
    assert.match(ls[0] ?? '', /^NODE\s+IMAGE\s+TAG\s+IMAGE ID\s+SIZE$/);
    assert.match(ls[1] ?? '', /^-\s+docker\.io\/library\/busybox\s+latest\s+[a-f0-9]{13}\s+1\.\d+MB$/);
    assert.match(await cli('rm', 'busybox'), /^-: Deleted: docker\.io\/library\/busybox:latest$/m);
    assert.equal((await cli('ls')).trim().split('\n').length, 1);
    await assert.rejects(cli('rm', 'busybox'), /no such image "busybox"/);
  });
});
