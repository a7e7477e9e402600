import assert from 'node:assert/strict';
import {
  SelectorError,
  everything,
  nothing,
  parseLabelSelector,
  selectorFromLabelSelector,
  selectorFromSet,
} from './labels.js';

type Labels = Record<string, string>;

describe('parseLabelSelector', () => {
  // [selector, canonical toString(), label sets it matches, label sets it rejects]
  const valid: [string, string, Labels[], Labels[]][] = [
    ['', '', [{}, { a: 'b' }], []],
    ['   ', '', [{}], []],
    ['a=b', 'a=b', [{ a: 'b' }, { a: 'b', c: 'd' }], [{}, { a: 'c' }, { A: 'b' }]],
    ['a==b', 'a==b', [{ a: 'b' }], [{}, { a: 'c' }]],
    ['a!=b', 'a!=b', [{}, { a: 'c' }], [{ a: 'b' }]],
    ['a=', 'a=', [{ a: '' }], [{}, { a: 'b' }]],
    ['a in (x,y)', 'a in (x,y)', [{ a: 'x' }, { a: 'y' }], [{}, { a: 'z' }]],
    ['a in (y, x, y)', 'a in (x,y)', [{ a: 'x' }], [{ a: 'z' }]],
    ['a in(x)', 'a in (x)', [{ a: 'x' }], [{ a: 'y' }]],
    ['a in (x,)', 'a in (,x)', [{ a: 'x' }, { a: '' }], [{}, { a: 'y' }]],
    ['a in (,)', 'a in (,)', [{ a: '' }], [{ a: 'x' }]],
    ['a notin (x, y)', 'a notin (x,y)', [{}, { a: 'z' }], [{ a: 'x' }, { a: 'y' }]],
    ['a', 'a', [{ a: '' }, { a: 'b' }], [{}, { b: 'a' }]],
    ['!a', '!a', [{}, { b: 'a' }], [{ a: '' }]],
    ['! a', '!a', [{}], [{ a: 'x' }]],
    ['a>1', 'a>1', [{ a: '2' }, { a: '+5' }], [{}, { a: '1' }, { a: '0' }, { a: 'x' }, { a: '1.5' }]],
    ['a<10', 'a<10', [{ a: '9' }, { a: '-3' }], [{}, { a: '10' }, { a: 'nine' }]],
    ['a > 9223372036854775806', 'a>9223372036854775806', [{ a: '9223372036854775807' }], [{ a: '9223372036854775808' }]],
    ['  b = 2 ,  a != 1 ', 'a!=1,b=2', [{ b: '2' }], [{ b: '2', a: '1' }, {}]],
    ['x=1,!y,z in (a,b)', 'x=1,!y,z in (a,b)', [{ x: '1', z: 'a' }], [{ x: '1', z: 'a', y: '' }, { x: '1' }]],
    ['in=notin', 'in=notin', [{ in: 'notin' }], [{}]],
    ['a in (in,notin)', 'a in (in,notin)', [{ a: 'in' }], [{ a: 'x' }]],
    ['example.com/app=web', 'example.com/app=web', [{ 'example.com/app': 'web' }], [{ app: 'web' }]],
    ['a-b_c.D=x.y-Z_1', 'a-b_c.D=x.y-Z_1', [{ 'a-b_c.D': 'x.y-Z_1' }], [{}]],
    ['a\tin\n(b)', 'a in (b)', [{ a: 'b' }], [{}]],
    ['constructor', 'constructor', [{ constructor: 'x' }], [{}]],
  ];
  for (const [input, canonical, yes, no] of valid) {
    it(`parses ${JSON.stringify(input)}`, () => {
      const sel = parseLabelSelector(input);
      assert.equal(sel.toString(), canonical);
      assert.equal(sel.empty, canonical === '');
      for (const l of yes) assert.ok(sel.matches(l), `should match ${JSON.stringify(l)}`);
      for (const l of no) assert.ok(!sel.matches(l), `should not match ${JSON.stringify(l)}`);
      // The canonical form parses back to itself.
      assert.equal(parseLabelSelector(canonical).toString(), canonical);
    });
  }

  it('treats undefined labels as no labels', () => {
    assert.ok(parseLabelSelector('!a').matches(undefined));
    assert.ok(!parseLabelSelector('a').matches(undefined));
    assert.ok(parseLabelSelector('').matches(undefined));
  });

  it('exposes requirements sorted by key, values sorted and de-duplicated', () => {
    assert.deepEqual(parseLabelSelector('z notin (b,a,b),y,!x,w>3').requirements, [
      { key: 'w', operator: 'gt', values: ['3'] },
      { key: 'x', operator: '!', values: [] },
      { key: 'y', operator: 'exists', values: [] },
      { key: 'z', operator: 'notin', values: ['a', 'b'] },
    ]);
  });

  // [selector, expected message (substring)]
  const invalid: [string, string][] = [
    [',', `found ',', expected: !, identifier, or 'end of string'`],
    ['a=b,', `found '', expected: identifier after ','`],
    ['a=b,,c=d', `found ',', expected: identifier after ','`],
    ['a=b c=d', `found 'c', expected: ',' or 'end of string'`],
    ['a=b=c', `found '=', expected: ',' or 'end of string'`],
    ['!a=b', `found '=', expected: ',' or 'end of string'`],
    ['!', `unable to parse requirement: found '', expected: identifier`],
    ['!!a', `unable to parse requirement: found '!', expected: identifier`],
    ['a b', `unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt`],
    ['a in x', `unable to parse requirement: found 'x', expected: '('`],
    ['a in (x', `unable to parse requirement: found '', expected: ',' or ')'`],
    ['a in (x y)', `unable to parse requirement: found 'y', expected: ',' or ')'`],
    ['a in (=)', `unable to parse requirement: found '=', expected: ',', ')' or identifier`],
    ['a in ()', `unable to parse requirement: for 'in', 'notin' operators, values set can't be empty`],
    ['a notin ()', `values set can't be empty`],
    ['a=(b)', `unable to parse requirement: found '(', expected: identifier`],
    ['a>b', `unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`],
    ['a<', `the value must be an integer`],
    ['a<1.5', `the value must be an integer`],
    ['a>-1', `invalid label value "-1"`], // a valid integer, but not a valid label value
    ['a>99999999999999999999', `the value must be an integer`],
    ['A_/b=c', `invalid label key "A_/b": prefix part must be a lowercase RFC 1123 subdomain`],
    ['/b=c', `prefix part must be non-empty`],
    ['a/b/c=d', `at most one '/'`],
    ['example.com/=d', `name part must be non-empty`],
    ['-a=b', `invalid label key "-a": name part must consist of alphanumeric`],
    [`${'k'.repeat(64)}=v`, `name part must be no more than 63 characters`],
    ['a=-b', `invalid label value "-b"`],
    ['a=b_', `invalid label value "b_"`],
    [`a=${'v'.repeat(64)}`, `must be no more than 63 characters`],
    ['a in (x,y z)', `found 'z', expected: ',' or ')'`],
    ['a in (x,.)', `invalid label value "."`],
    ['a=b\\,c', `invalid label value "b\\"`],
  ];
  for (const [input, message] of invalid) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => parseLabelSelector(input),
        (err: unknown) => err instanceof SelectorError && err.message.includes(message),
        `expected SelectorError containing ${JSON.stringify(message)}`,
      );
    });
  }
});

describe('selectorFromLabelSelector', () => {
  it('selects nothing for null/undefined and everything for an empty selector', () => {
    for (const sel of [null, undefined]) {
      const s = selectorFromLabelSelector(sel);
      assert.equal(s.empty, false);
      assert.ok(!s.matches({}));
      assert.ok(!s.matches({ a: 'b' }));
    }
    for (const sel of [{}, { matchLabels: {} }, { matchExpressions: [] }]) {
      const s = selectorFromLabelSelector(sel);
      assert.equal(s.empty, true);
      assert.ok(s.matches({}));
      assert.ok(s.matches({ a: 'b' }));
    }
  });

  // [selector, canonical string]
  const valid: [Parameters<typeof selectorFromLabelSelector>[0], string][] = [
    [{ matchLabels: { b: '2', a: '1' } }, 'a=1,b=2'],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['y', 'x'] }] }, 'a in (x,y)'],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['x'] }] }, 'a notin (x)'],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists' }] }, 'a'],
    [{ matchExpressions: [{ key: 'a', operator: 'DoesNotExist', values: [] }] }, '!a'],
    [
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['fe'] }, { key: 'env', operator: 'Exists' }] },
      'app=web,env,tier in (fe)',
    ],
  ];
  for (const [sel, canonical] of valid) {
    it(`converts to ${canonical}`, () => {
      const s = selectorFromLabelSelector(sel);
      assert.equal(s.toString(), canonical);
      assert.deepEqual(s.requirements, parseLabelSelector(canonical).requirements);
    });
  }

  it('ANDs matchLabels and matchExpressions', () => {
    const s = selectorFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }],
    });
    assert.ok(s.matches({ app: 'web' }));
    assert.ok(s.matches({ app: 'web', tier: 'fe' }));
    assert.ok(!s.matches({ app: 'web', tier: 'db' }));
    assert.ok(!s.matches({ tier: 'fe' }));
  });

  const invalid: [Parameters<typeof selectorFromLabelSelector>[0], string][] = [
    [{ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] }, `"Gt" is not a valid label selector operator`],
    [{ matchExpressions: [{ key: 'a', operator: 'in', values: ['1'] }] }, `"in" is not a valid label selector operator`],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, `values set can't be empty`],
    [{ matchExpressions: [{ key: 'a', operator: 'NotIn' }] }, `values set can't be empty`],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, `values set must be empty`],
    [{ matchExpressions: [{ key: 'a', operator: 'In', values: ['no spaces'] }] }, `invalid label value "no spaces"`],
    [{ matchExpressions: [{ key: 'bad key', operator: 'Exists' }] }, `invalid label key "bad key"`],
    [{ matchLabels: { a: 'b c' } }, `matchLabels: invalid label value "b c"`],
    [{ matchLabels: { '': 'x' } }, `name part must be non-empty`],
  ];
  for (const [sel, message] of invalid) {
    it(`rejects ${JSON.stringify(sel)}`, () => {
      assert.throws(
        () => selectorFromLabelSelector(sel),
        (err: unknown) => err instanceof SelectorError && err.message.includes(message),
      );
    });
  }
});

describe('selectorFromSet, everything, nothing', () => {
  it('matches exactly the given set', () => {
    const s = selectorFromSet({ b: '2', a: '1' });
    assert.equal(s.toString(), 'a=1,b=2');
    assert.ok(s.matches({ a: '1', b: '2', c: '3' }));
    assert.ok(!s.matches({ a: '1' }));
    assert.ok(!s.matches({ a: '1', b: '3' }));
  });

  it('selects everything for an empty set', () => {
    const s = selectorFromSet({});
    assert.equal(s.empty, true);
    assert.ok(s.matches(undefined));
  });

  it('has everything select all and nothing select none', () => {
    assert.ok(everything().empty && everything().matches({ a: 'b' }));
    assert.ok(!nothing().empty && !nothing().matches({}) && nothing().toString() === '');
  });
});
