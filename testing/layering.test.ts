// DESIGN.md's "Code layout" table, held by test: which folder's code may import which. Test code
// (`*.test.ts`, `*.testkit.ts`, and testing/, e2e/, bench/) and cli/ may import everything; no
// shipped code may import test code, so the package build can leave it out.
import assert from 'node:assert/strict';
import { fromRoot, importSpecifiers, isTestCode, resolveSpecifier, sourceFiles } from './import-graph.js';

/** folder → the other folders its shipped code may import (DESIGN.md). */
const mayImport: Record<string, string[] | 'everything'> = {
  api: [],
  client: ['api'],
  apiserver: ['api'],
  scheduler: ['api', 'client'],
  controllers: ['api', 'client'],
  kubelet: ['api', 'client', 'proto'],
  runtime: ['proto'],
  proxy: ['api', 'client'],
  dns: ['api', 'client'],
  metrics: ['api', 'client'],
  host: ['api'],
  cli: 'everything',
  proto: [],
  testing: 'everything',
  e2e: 'everything',
  bench: 'everything',
};

const folderOf = (path: string): string => (path.includes('/') ? (path.split('/')[0] as string) : '.');

describe('layering (DESIGN.md "may import")', () => {
  const files = sourceFiles().map((f) => ({ abs: f, rel: fromRoot(f) }));

  it('every source folder is in the table', () => {
    const unknown = [...new Set(files.map((f) => folderOf(f.rel)))].filter((d) => !(d in mayImport));
    assert.deepEqual(unknown, [], 'add the folder to DESIGN.md and to this table');
  });

  it('no folder imports one it may not, and no shipped code imports test code', () => {
    assert.ok(files.length > 100, `read the source tree (${files.length} files)`);
    const broken: string[] = [];
    for (const { abs, rel } of files) {
      const from = folderOf(rel);
      const allowed = mayImport[from];
      for (const spec of importSpecifiers(abs)) {
        const target = resolveSpecifier(abs, spec);
        if (!target) continue;
        const to = fromRoot(target);
        if (isTestCode(rel)) continue;
        if (isTestCode(to)) broken.push(`${rel} imports test code ${to}`);
        else if (folderOf(to) !== from && allowed !== 'everything' && !allowed?.includes(folderOf(to))) broken.push(`${rel} imports ${to} (${from}/ may import ${allowed?.join(', ') || 'nothing'})`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
