// The Swagger 2.0 document and its gnostic protobuf form: what kubectl's OpenAPI v2 parser needs
// (every $ref resolves under #/definitions, no allOf wrappers, kinds tagged with their GVK), read
// back from the protobuf bytes with an independent wire-format reader.
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { resources } from '../../api/registry.js';
import { OpenApiSchemas } from './openapi-schemas.js';
import { encodeSwaggerDocument } from './openapi-v2-proto.js';
import { swaggerDocument } from './openapi-v2.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Protobuf fields of one message: field number → raw values (Buffer for length-delimited, number for varints). */
function fields(buf: Buffer): Map<number, Array<Buffer | number>> {
  const out = new Map<number, Array<Buffer | number>>();
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++]!;
      n += (b & 0x7f) * mul;
      mul *= 128;
      if (b < 0x80) return n;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const wire = key & 7;
    let v: Buffer | number;
    if (wire === 0) v = varint();
    else if (wire === 2) {
      const len = varint();
      v = buf.subarray(i, i + len);
      i += len;
    } else if (wire === 1) {
      v = buf.readDoubleLE(i);
      i += 8;
    } else throw new Error(`unexpected wire type ${wire}`);
    out.set(key >> 3, [...(out.get(key >> 3) ?? []), v]);
  }
  return out;
}
const str = (v: Buffer | number | undefined): string => (v as Buffer).toString('utf8');
const one = (m: Map<number, Array<Buffer | number>>, f: number): Buffer => m.get(f)?.[0] as Buffer;
/** A repeated (name = 1, value = 2) map as name → value bytes. */
const named = (entries: Array<Buffer | number> = []): Map<string, Buffer> =>
  new Map(entries.map((e) => fields(e as Buffer)).map((f) => [str(f.get(1)?.[0]), one(f, 2)]));

describe('OpenAPI v2 document', function () {
  const doc = swaggerDocument(resources, new OpenApiSchemas(resources)) as Json;

  it('is Swagger 2.0 whose $refs all resolve under #/definitions, without allOf wrappers', function () {
    assert.equal(doc.swagger, '2.0');
    const text = JSON.stringify(doc.definitions);
    assert.ok(!text.includes('#/components/'), 'a v3 reference is left');
    assert.ok(!text.includes('"allOf"'), 'kubectl ignores allOf: references must be plain $refs');
    for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) assert.ok(doc.definitions[m[1]!], `dangling ${m[0]}`);
    const meta = doc.definitions['io.k8s.api.apps.v1.Deployment'].properties.metadata;
    assert.equal(meta.$ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    assert.deepEqual(doc.definitions['io.k8s.api.core.v1.Pod']['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  });

  it('has a PATCH operation taking fieldValidation for every kind', function () {
    for (const r of resources) {
      const ops = Object.values(doc.paths as Record<string, Json>).filter((p) => p.patch?.['x-kubernetes-group-version-kind']?.kind === r.kind);
      assert.equal(ops.length, 1, r.kind);
      assert.ok(ops[0]!.patch.parameters.some((p: Json) => p.name === 'fieldValidation' && p.in === 'query'));
    }
  });

  it('encodes as the gnostic Document: swagger, definitions with properties, types, refs and the GVK extension as YAML', function () {
    const top = fields(encodeSwaggerDocument(doc));
    assert.equal(str(top.get(1)?.[0]), '2.0');
    const defs = named(fields(one(top, 9)).get(1));
    assert.equal(defs.size, Object.keys(doc.definitions).length);
    const deploySpec = fields(defs.get('io.k8s.api.apps.v1.DeploymentSpec')!);
    const props = named(fields(one(deploySpec, 25)).get(1));
    assert.deepEqual([...props.keys()], Object.keys(doc.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties));
    const replicas = fields(props.get('replicas')!);
    assert.deepEqual(fields(one(replicas, 22)).get(1)?.map(str), ['integer']); // TypeItem
    assert.equal(str(fields(props.get('template')!).get(1)?.[0]), '#/definitions/io.k8s.api.core.v1.PodTemplateSpec');
    const deploy = fields(defs.get('io.k8s.api.apps.v1.Deployment')!);
    const ext = named(deploy.get(31));
    const gvk = parse(str(fields(ext.get('x-kubernetes-group-version-kind')!).get(2)?.[0]));
    assert.deepEqual(gvk, [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
    const labels = fields(named(fields(one(fields(defs.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!), 25)).get(1)).get('labels')!);
    const valueSchema = fields(one(fields(one(labels, 21)), 1)); // additionalProperties.schema
    assert.deepEqual(fields(one(valueSchema, 22)).get(1)?.map(str), ['string']);
  });

  it('refuses to encode a schema keyword it has no field for, rather than drop it', function () {
    assert.throws(() => encodeSwaggerDocument({ swagger: '2.0', definitions: { X: { oneOf: [] } } }), /Schema has no field for "oneOf"/);
  });
});
