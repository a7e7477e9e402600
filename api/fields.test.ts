import assert from 'node:assert/strict';
import { escapeFieldValue, parseFieldSelector } from './fields.js';
import { SelectorError } from './labels.js';

type Fields = Record<string, string>;

describe('parseFieldSelector', () => {
  // [selector, requirements, canonical toString(), field sets it matches, field sets it rejects]
  const valid: [string, { field: string; op: '=' | '!='; value: string }[], string, Fields[], Fields[]][] = [
    ['', [], '', [{}, { a: 'b' }], []],
    [',,', [], '', [{}], []],
    ['metadata.name=x', [{ field: 'metadata.name', op: '=', value: 'x' }], 'metadata.name=x', [{ 'metadata.name': 'x' }], [{}, { 'metadata.name': 'y' }]],
    ['a==x', [{ field: 'a', op: '=', value: 'x' }], 'a=x', [{ a: 'x' }], [{ a: 'y' }]],
    ['a!=x', [{ field: 'a', op: '!=', value: 'x' }], 'a!=x', [{}, { a: 'y' }], [{ a: 'x' }]],
    // A missing field reads as "", so `a=` matches it and `a!=` does not.
    ['a=', [{ field: 'a', op: '=', value: '' }], 'a=', [{}, { a: '' }], [{ a: 'x' }]],
    ['a!=', [{ field: 'a', op: '!=', value: '' }], 'a!=', [{ a: 'x' }], [{}]],
    [
      'status.phase!=Failed,spec.nodeName=n1',
      [{ field: 'spec.nodeName', op: '=', value: 'n1' }, { field: 'status.phase', op: '!=', value: 'Failed' }],
      'spec.nodeName=n1,status.phase!=Failed',
      [{ 'spec.nodeName': 'n1', 'status.phase': 'Running' }],
      [{ 'spec.nodeName': 'n1', 'status.phase': 'Failed' }, { 'status.phase': 'Running' }],
    ],
    ['a=x,', [{ field: 'a', op: '=', value: 'x' }], 'a=x', [{ a: 'x' }], [{}]],
    ['a=x\\,y', [{ field: 'a', op: '=', value: 'x,y' }], 'a=x\\,y', [{ a: 'x,y' }], [{ a: 'x' }]],
    ['a=x\\=y', [{ field: 'a', op: '=', value: 'x=y' }], 'a=x\\=y', [{ a: 'x=y' }], [{}]],
    ['a=x\\\\', [{ field: 'a', op: '=', value: 'x\\' }], 'a=x\\\\', [{ a: 'x\\' }], [{ a: 'x' }]],
    ['a=x\\\\,b=y', [{ field: 'a', op: '=', value: 'x\\' }, { field: 'b', op: '=', value: 'y' }], 'a=x\\\\,b=y', [{ a: 'x\\', b: 'y' }], [{ a: 'x\\' }]],
    // Whitespace is not trimmed, as in Kubernetes.
    ['a = b', [{ field: 'a ', op: '=', value: ' b' }], 'a = b', [{ 'a ': ' b' }], [{ a: 'b' }]],
  ];
  for (const [input, requirements, canonical, yes, no] of valid) {
    it(`parses ${JSON.stringify(input)}`, () => {
      const sel = parseFieldSelector(input);
      assert.deepEqual(sel.requirements, requirements);
      assert.equal(sel.empty, requirements.length === 0);
      assert.equal(sel.toString(), canonical);
      assert.deepEqual(parseFieldSelector(canonical).requirements, requirements);
      for (const f of yes) assert.ok(sel.matches((k) => f[k]), `should match ${JSON.stringify(f)}`);
      for (const f of no) assert.ok(!sel.matches((k) => f[k]), `should not match ${JSON.stringify(f)}`);
    });
  }

  it('reports the value an equality term requires', () => {
    const sel = parseFieldSelector('metadata.namespace!=kube-system,metadata.name==web-1');
    assert.equal(sel.fieldValue('metadata.name'), 'web-1');
    assert.equal(sel.fieldValue('metadata.namespace'), undefined); // != pins nothing
    assert.equal(sel.fieldValue('spec.nodeName'), undefined);
  });

  const invalid: [string, string][] = [
    ['a', `can't understand 'a'`],
    ['a=b,c', `can't understand 'c'`],
    ['a=b=c', `unescaped character '=' in value of 'a=b=c'`],
    ['a==b=c', `unescaped character '='`],
    ['a=b\\', `invalid escape sequence '\\'`],
    ['a=b\\n', `invalid escape sequence '\\n'`],
    ['=b', `no field name in '=b'`],
    ['!=b', `no field name`],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseFieldSelector(input),
        (err: unknown) => err instanceof SelectorError && err.message.includes(message),
        `expected SelectorError containing ${JSON.stringify(message)}`,
      );
    });
  }

  it('escapes values so they parse back', () => {
    const value = 'a,b=c\\d';
    assert.equal(escapeFieldValue(value), 'a\\,b\\=c\\\\d');
    assert.equal(parseFieldSelector(`f=${escapeFieldValue(value)}`).fieldValue('f'), value);
  });
});
