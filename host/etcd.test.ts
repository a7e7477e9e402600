import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEtcd } from './etcd.js';
import { freePort, httpOk } from './process.js';

describe('startEtcd', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'skiff-etcd-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts a healthy etcd and stops it', async () => {
    const etcd = await startEtcd({ dataDir: join(dir, 'data'), clientPort: await freePort(), peerPort: await freePort() });
    assert.ok(await httpOk(`${etcd.url}/health`));
    await etcd.stop();
    assert.equal(etcd.child.running(), false);
    await assert.rejects(httpOk(`${etcd.url}/health`));
  });

  it('names the port when it is already in use', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      await assert.rejects(
        startEtcd({ dataDir: join(dir, 'data'), clientPort: port, peerPort: await freePort() }),
        new RegExp(`port ${port} \\(etcd client\\) is already in use`),
      );
    } finally {
      blocker.close();
    }
  });

  it('reports the tail of its log when etcd dies', async () => {
    const fake = join(dir, 'fake-etcd');
    writeFileSync(fake, '#!/bin/sh\necho "boom: cannot start"\nexit 3\n', { mode: 0o755 });
    await assert.rejects(
      startEtcd({ binary: fake, dataDir: join(dir, 'data'), clientPort: await freePort(), peerPort: await freePort(), logFile: join(dir, 'etcd.log') }),
      /etcd exited with code 3 before it was ready\nlast lines of .*etcd\.log:\n  boom: cannot start/,
    );
  });
});
