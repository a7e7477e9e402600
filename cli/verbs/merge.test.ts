import assert from 'node:assert/strict';
import { humanDuration } from './format.js';
import { threeWayMergePatch, type JsonObject } from './merge.js';

describe('apply three-way merge', () => {
  const cases: Array<{ name: string; original?: JsonObject; modified: JsonObject; current: JsonObject; patch: JsonObject }> = [
    { name: 'nothing changed, server defaults ignored', original: { spec: { a: 1, list: [{ n: 'x' }] } }, modified: { spec: { a: 1, list: [{ n: 'x' }] } },
      current: { spec: { a: 1, d: 'default', list: [{ n: 'x', pull: 'Always' }] }, status: { s: 1 } }, patch: {} },
    { name: 'field dropped from the config is deleted', original: { spec: { a: 1, b: 2 } }, modified: { spec: { a: 1 } }, current: { spec: { a: 1, b: 2 } }, patch: { spec: { b: null } } },
    { name: 'field changed live is put back', original: { spec: { a: 1 } }, modified: { spec: { a: 1 } }, current: { spec: { a: 5 } }, patch: { spec: { a: 1 } } },
    { name: 'fields others added are kept', original: { metadata: { labels: { a: 'x' } } }, modified: { metadata: { labels: { a: 'x' } } },
      current: { metadata: { labels: { a: 'x', other: 'y' } } }, patch: {} },
    { name: 'a changed list is sent whole', original: { env: [{ name: 'A' }, { name: 'B' }] }, modified: { env: [{ name: 'A' }] },
      current: { env: [{ name: 'A' }, { name: 'B' }] }, patch: { env: [{ name: 'A' }] } },
    { name: 'a list element edited live is restored', original: { c: [{ image: 'v1' }] }, modified: { c: [{ image: 'v1' }] },
      current: { c: [{ image: 'v2', x: 1 }] }, patch: { c: [{ image: 'v1' }] } },
    { name: 'no last-applied: only additions and changes', modified: { spec: { a: 1 } }, current: { spec: { a: 2, b: 3 } }, patch: { spec: { a: 1 } } },
    { name: 'a scalar that became a map', original: { v: 'x' }, modified: { v: { k: 1 } }, current: { v: 'x' }, patch: { v: { k: 1 } } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(threeWayMergePatch(c.original, c.modified, c.current), c.patch));
});

describe('humanDuration', () => {
  const s = 1000;
  const table: Array<[number, string]> = [
    [5 * s, '5s'], [119 * s, '119s'], [182 * s, '3m2s'], [600 * s, '10m'], [179 * 60 * s, '179m'], [4 * 3600 * s, '4h'],
    [(3 * 3600 + 5 * 60) * s, '3h5m'], [30 * 3600 * s, '30h'], [50 * 3600 * s, '2d2h'], [2 * 86400 * s, '2d'], [400 * 86400 * s, '400d'], [(3 * 365 + 10) * 86400 * s, '3y10d'],
  ];
  for (const [ms, want] of table) it(`${ms / s}s → ${want}`, () => assert.equal(humanDuration(ms), want));
});
