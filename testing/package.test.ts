// Test code stays out of the shipped package: the package build (tsconfig.build.json) compiles
// none of it, and `npm pack` leaves its compiled files out even when a full build put them in
// dist/ — while everything `skiff` needs at run time is in.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fromRoot, isTestCode, repoRoot } from './import-graph.js';

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('the shipped package', function () {
  this.timeout(180_000);

  it('the package build compiles no test code', () => {
    const listed = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--listFilesOnly'], { cwd: repoRoot, encoding: 'utf8' })
      .split('\n')
      .filter((f) => f.startsWith(repoRoot) && !f.includes('/node_modules/'))
      .map(fromRoot);
    assert.ok(listed.includes('cli/main.ts') && listed.length > 100, `${listed.length} files`);
    assert.deepEqual(listed.filter(isTestCode), []);
  });

  it('npm pack ships the CLI and the runtime proto, and no compiled test', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
    for (const needed of ['bin/skiff.js', 'dist/cli/main.js', 'dist/host/process.js', 'proto/runtime.proto', 'package.json']) assert.ok(files.includes(needed), needed);
    const tests = files.filter((f) => /\.test(kit)?\.js(\.map)?$/.test(f) || /^dist\/(testing|e2e|bench)\//.test(f));
    assert.deepEqual(tests, []);
  });
});
