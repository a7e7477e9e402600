// Node dependencies are installed by the launcher from the host's namespace, never by a node
// process: a node's namespace has no route out, so an apt-get there fails and stops the cluster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot, reachableFrom, repoRoot } from '../testing/import-graph.js';

describe('node dependencies', () => {
  it('no node process (runtime, kubelet, proxy) can reach the installer or run apt-get', () => {
    for (const entry of ['cli/runtime.ts', 'cli/kubelet.ts', 'cli/proxy.ts']) {
      const files = [...reachableFrom(entry)];
      assert.ok(files.length > 5, `${entry} imports something`);
      const installers = files.filter((f) => f.endsWith('/host/node-deps.ts') || f.endsWith('/host/etcd.ts') || f.endsWith('/host/apt.ts') || /['"]apt-get['"]/.test(readFileSync(f, 'utf8')));
      assert.deepEqual(installers.map(fromRoot), [], `${entry} can reach an installer`);
    }
  });

  it('the launchers install them before they start any node process', () => {
    for (const [file, firstNodeStart] of [['cli/up.ts', 'this.startNode('], ['cli/join.ts', "proc('runtime'"]] as const) {
      const code = readFileSync(join(repoRoot, file), 'utf8');
      const install = code.search(/await (this\.installNodePackages|ensureNodePackages)\(/);
      const start = code.indexOf(firstNodeStart);
      assert.ok(install > 0 && start > 0, `${file}: both steps present`);
      assert.ok(install < start, `${file}: node packages are installed before the first node process starts`);
    }
  });
});
