import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock } from './lock.js';

describe('acquirePidLock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const busy = (pid: number): Error => new Error(`busy ${pid}`);

  it('takes a free lock and releases it', () => {
    const file = join(dir, 'up.pid');
    const lock = acquirePidLock(file, busy);
    assert.ok(existsSync(file));
    lock.release();
    assert.ok(!existsSync(file));
  });

  it('refuses when the pid in the file is alive', () => {
    const file = join(dir, 'up.pid');
    writeFileSync(file, `${process.ppid}\n`);
    assert.throws(() => acquirePidLock(file, busy), new RegExp(`busy ${process.ppid}`));
  });

  it('replaces a stale lock', () => {
    const file = join(dir, 'up.pid');
    writeFileSync(file, '999999999\n');
    acquirePidLock(file, busy).release();
    writeFileSync(file, 'garbage');
    acquirePidLock(file, busy).release();
  });
});
