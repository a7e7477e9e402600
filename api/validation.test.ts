import assert from 'node:assert/strict';
import {
  formatValue, isConfigMapKey, isDns1035Label, isDns1123Label, isDns1123Subdomain, isQualifiedName, isValidCIDR,
  isValidIP, isValidLabelValue, isValidPortName, parseQuantity,
} from './validation.js';

describe('validation helpers', () => {
  const ok = (f: (v: string) => string[], v: string): void => assert.deepEqual(f(v), [], `${f.name}(${v})`);
  const bad = (f: (v: string) => string[], v: string): void => assert.notDeepEqual(f(v), [], `${f.name}(${v})`);

  it('DNS names', () => {
    for (const v of ['a', 'my-name', '123-abc', 'a'.repeat(63)]) ok(isDns1123Label, v);
    for (const v of ['', 'A', '-a', 'a-', 'a.b', 'a'.repeat(64)]) bad(isDns1123Label, v);
    for (const v of ['example.com', 'a.b-c.d', 'a']) ok(isDns1123Subdomain, v);
    for (const v of ['Example.com', 'a..b', '.a', 'a.', 'a_b', 'a'.repeat(254)]) bad(isDns1123Subdomain, v);
    for (const v of ['my-name', 'abc-123']) ok(isDns1035Label, v);
    for (const v of ['1abc', 'a.b', 'A']) bad(isDns1035Label, v);
    assert.deepEqual(isDns1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });

  it('qualified names and label values', () => {
    for (const v of ['app', 'MyName', 'my.name', '123-abc', 'example.com/MyName', 'kubernetes.io/metadata.name']) ok(isQualifiedName, v);
    for (const v of ['', '/a', 'a/', 'a/b/c', '-a', 'Example.com/a', `${'a'.repeat(64)}`]) bad(isQualifiedName, v);
    assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
    for (const v of ['', 'v', 'my_value', '12345']) ok(isValidLabelValue, v);
    for (const v of ['-v', 'v_', 'a b', 'v'.repeat(64)]) bad(isValidLabelValue, v);
  });

  it('config keys and port names', () => {
    for (const v of ['key.name', 'KEY_NAME', 'key-name', '.dotfile']) ok(isConfigMapKey, v);
    for (const v of ['a b', '.', '..', '..a', 'a/b']) bad(isConfigMapKey, v);
    for (const v of ['http', 'http-alt', 'h2c', 'a1']) ok(isValidPortName, v);
    for (const v of ['HTTP', '123', 'a--b', '-a', 'a-', 'abcdefghijklmnop']) bad(isValidPortName, v);
  });

  it('IPs and CIDRs', () => {
    for (const v of ['10.0.0.1', '::1', 'fe80::1', '2001:db8::8a2e:370:7334', '::ffff:192.0.2.1']) assert.ok(isValidIP(v), v);
    for (const v of ['10.0.0.256', '10.0.0', '01.0.0.1', ':::1', '1::2::3', 'abc']) assert.ok(!isValidIP(v), v);
    assert.ok(isValidCIDR('10.244.0.0/16'));
    assert.ok(isValidCIDR('fd00::/64'));
    assert.ok(!isValidCIDR('10.244.0.0/33'));
    assert.ok(!isValidCIDR('10.244.0.0'));
  });

  it('parses quantities', () => {
    const cases: [string | number, number][] = [['500m', 0.5], ['1', 1], ['1.5', 1.5], ['1Ki', 1024], ['1Gi', 2 ** 30], ['2M', 2e6], ['1e3', 1000], ['100n', 1e-7], ['.5', 0.5], [3, 3]];
    for (const [q, n] of cases) assert.ok(Math.abs((parseQuantity(q) ?? NaN) - n) < 1e-12, String(q));
    for (const q of ['', 'abc', '1 Gi', '1GB', '1.2.3', 'Mi']) assert.equal(parseQuantity(q), undefined, q);
  });

  it('formats values like Kubernetes messages', () => {
    assert.equal(formatValue('a'), '"a"');
    assert.equal(formatValue(3), '3');
    assert.equal(formatValue({ b: '2', a: '1' }), 'map[string]string{"a":"1", "b":"2"}');
    assert.equal(formatValue(['x', 'y']), '[]string{"x", "y"}');
  });
});
