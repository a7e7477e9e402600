import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeKubeconfig } from '../../host/kubeconfig.js';
import { pod } from './fixtures.testkit.js';
import { useCli } from './cli.testkit.js';

describe('skiff logs and exec', () => {
  const cli = useCli(async (cli) => {
    const p = pod('two');
    p.spec!.containers.push({ name: 'side', image: 'busybox:1.36' });
    await cli.cs.pods.create('default', p);
  });

  it('missing pods and containers are one error line', async () => {
    let r = await cli.skiff(['logs', 'ghost']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'Error from server (NotFound): pods "ghost" not found\n');
    r = await cli.skiff(['logs', 'two', '-c', 'nope']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'error: container nope is not valid for pod two\n');
  });

  it('asks the apiserver for the log with kubectl\'s query, and streams it with -f', async () => {
    // The apiserver's pods/log proxy to the kubelet is not in this build's test server: a
    // stand-in answers the pod GET from the real apiserver and the log request itself.
    const seen: string[] = [];
    const real = await cli.cs.pods.get('default', 'two');
    const server: Server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/log')) {
        seen.push(url.search);
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('line 1\n');
        if (url.searchParams.get('follow') === 'true') setTimeout(() => res.end('line 2\n'), 50);
        else res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(real));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const kc = `${cli.dir}/stand-in`;
      writeKubeconfig(kc, { server: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
      let r = await cli.skiff(['logs', 'two', '--kubeconfig', kc, '--tail', '5', '--timestamps']);
      assert.equal(r.stdout, 'line 1\n');
      assert.equal(r.stderr, 'Defaulted container "c" out of: c, side\n');
      r = await cli.skiff(['logs', 'pod/two', '--kubeconfig', kc, '-c', 'side', '-f', '--previous']);
      assert.equal(r.stdout, 'line 1\nline 2\n');
      assert.deepEqual(seen, ['?container=c&tailLines=5&timestamps=true', '?container=side&follow=true&previous=true']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('exec says in one line when the cluster cannot exec', async () => {
    const r = await cli.skiff(['exec', 'two', '--', 'echo', 'hi']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: exec is not available on this cluster \(HTTP \d+\): .+\n$/);
  });
});
