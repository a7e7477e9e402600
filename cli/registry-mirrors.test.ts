import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseMirror, startLoopbackRelays, writeMirrorsFile } from './registry-mirrors.js';

describe('skiff up registry mirrors', () => {
  it('writes registries.yaml with loopback mirrors pointed at the node-reachable host, others unchanged', () => {
    const home = mkdtempSync(join(tmpdir(), 'skiff-mirrors-'));
    try {
      const mirrors = ['docker.io=http://127.0.0.1:5000', 'docker.io=https://mirror.example.com', 'quay.io=http://localhost'].map(parseMirror);
      const { file, relays } = writeMirrorsFile(home, mirrors, '172.30.0.1');
      assert.deepEqual(parse(readFileSync(file, 'utf8')), {
        mirrors: { 'docker.io': { endpoint: ['http://172.30.0.1:5000', 'https://mirror.example.com'] }, 'quay.io': { endpoint: ['http://172.30.0.1'] } },
      });
      assert.deepEqual(relays, [5000, 80]);
      // Without node namespaces the runtimes share the host's loopback: nothing is rewritten.
      assert.deepEqual(writeMirrorsFile(home, mirrors.slice(0, 1)).relays, []);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('relays another local address to a registry listening on 127.0.0.1 only', async () => {
    const server = createServer((_req, res) => res.end('{"registry":"here"}'));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as { port: number }).port;
    // 127.0.0.2 stands in for the bridge address: another address of this host, same port.
    const stop = await startLoopbackRelays('127.0.0.2', [port]);
    try {
      const res = await fetch(`http://127.0.0.2:${port}/v2/`);
      assert.equal(await res.text(), '{"registry":"here"}');
      await assert.rejects(startLoopbackRelays('127.0.0.2', [port]), /--registry-mirror: cannot relay 127\.0\.0\.2:\d+ to 127\.0\.0\.1:\d+ for the nodes: .*EADDRINUSE/);
    } finally {
      stop();
      server.close();
    }
  });
});
