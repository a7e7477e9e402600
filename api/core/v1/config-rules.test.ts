import assert from 'node:assert/strict';
import { errorsMatch, processObject } from '../../testdata/helpers.testkit.js';
import type { KubeObject } from '../../resource.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const cm = (data: Record<string, string>): Obj => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data });
const secret = (extra: Obj): Obj => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });

describe('ConfigMap and Secret', () => {
  const cases: { name: string; obj: Obj; errors: string[] }[] = [
    { name: 'valid keys', obj: cm({ 'a.b': '1', A_B: '2', 'a-b': '3', '.dotfile': '4' }), errors: [] },
    { name: 'bad key', obj: cm({ 'a b': '1' }), errors: ['data[a b]: Invalid value: "a b": a valid config key must consist of alphanumeric characters'] },
    { name: 'dot-dot key', obj: cm({ '..a': '1' }), errors: ["data[..a]: Invalid value: \"..a\": must not start with '..'"] },
    { name: 'secret base64', obj: secret({ data: { k: 'not base64!' } }), errors: ['data[k]: Invalid value: "<secret contents redacted>": must be base64 encoded'] },
    { name: 'tls secret needs keys', obj: secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'YQ==' } }), errors: ['data[tls.key]: Required value'] },
    { name: 'stringData key validated', obj: secret({ stringData: { 'bad key': 'x' } }), errors: ['data[bad key]: Invalid value: "bad key"'] },
  ];
  for (const c of cases) {
    it(`validation: ${c.name}`, () => {
      const res = processObject(c.obj);
      assert.ok(errorsMatch(res.errors, c.errors), `got ${JSON.stringify(res.errors, null, 1)}`);
    });
  }

  it('defaults Secret type to Opaque', () => {
    assert.equal((processObject(secret({ data: { a: 'YQ==' } })).value as Obj).type, 'Opaque');
  });

  it('lets stringData win over data for the same key', () => {
    const v = processObject(secret({ data: { a: 'YQ==' }, stringData: { a: 'b' } })).value as Obj;
    assert.deepEqual(v.data, { a: 'Yg==' });
  });

  it('freezes immutable ConfigMaps and a Secret type', () => {
    const base = cm({ a: '1' });
    base.immutable = true;
    const old = processObject(base).value as KubeObject;
    const next = structuredClone(old) as Obj;
    next.data.a = '2';
    assert.deepEqual(processObject(next, old).errors, ['data: Forbidden: field is immutable when `immutable` is set']);
    const oldSecret = processObject(secret({ data: { a: 'YQ==' } })).value as KubeObject;
    const retyped = structuredClone(oldSecret) as Obj;
    retyped.type = 'kubernetes.io/basic-auth';
    retyped.data = { username: 'YQ==' };
    assert.deepEqual(processObject(retyped, oldSecret).errors, ['type: Invalid value: "kubernetes.io/basic-auth": field is immutable']);
  });
});
