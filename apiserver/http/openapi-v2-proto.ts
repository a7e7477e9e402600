// The Swagger 2.0 document in the gnostic protobuf form (package openapi.v2, OpenAPIv2.proto)
// that kubectl decodes from /openapi/v2. Field numbers are gnostic's; only the parts our document
// uses are written, and any other key is an error so the two forms cannot silently drift apart.
// Maps are repeated (name, value) pairs; vendor extensions carry their value as YAML text.
import { stringify } from 'yaml';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A protobuf message under construction: fields appended in order, nested messages length-prefixed. */
class Msg {
  private readonly parts: Buffer[] = [];

  private varint(n: number): void {
    const out: number[] = [];
    while (n > 0x7f) {
      out.push((n & 0x7f) | 0x80);
      n = Math.floor(n / 128);
    }
    out.push(n);
    this.parts.push(Buffer.from(out));
  }

  private key(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  string(field: number, s: unknown): this {
    if (s === undefined) return this;
    if (typeof s !== 'string') throw new Error(`openapi v2 protobuf: field ${field} wants a string, got ${JSON.stringify(s)}`);
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  strings(field: number, list: unknown): this {
    for (const s of Array.isArray(list) ? list : []) this.string(field, s);
    return this;
  }

  /** proto3 leaves false out, except inside a oneof (`always`), where it says which member is set. */
  bool(field: number, b: unknown, always = false): this {
    if (b === true || (always && b === false)) {
      this.key(field, 0);
      this.varint(b ? 1 : 0);
    }
    return this;
  }

  int(field: number, n: unknown): this {
    if (typeof n === 'number') {
      this.key(field, 0);
      this.varint(n);
    }
    return this;
  }

  double(field: number, n: unknown): this {
    if (typeof n === 'number') {
      this.key(field, 1);
      const b = Buffer.alloc(8);
      b.writeDoubleLE(n);
      this.parts.push(b);
    }
    return this;
  }

  bytes(field: number, b: Buffer): this {
    this.key(field, 2);
    this.varint(b.length);
    this.parts.push(b);
    return this;
  }

  message(field: number, m: Msg): this {
    return this.bytes(field, m.finish());
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** `Any { yaml = 2 }`: gnostic keeps free-form values (extensions, enum members) as YAML text. */
const anyOf = (v: unknown): Msg => new Msg().string(2, stringify(v));

/** Vendor extensions (`x-…`) of an object as `repeated NamedAny` at `field`. */
function extensions(m: Msg, field: number, o: Json): void {
  for (const [k, v] of Object.entries(o)) if (k.startsWith('x-')) m.message(field, new Msg().string(1, k).message(2, anyOf(v)));
}

function checkKeys(what: string, o: Json, known: string[]): void {
  for (const k of Object.keys(o)) if (!k.startsWith('x-') && !known.includes(k)) throw new Error(`openapi v2 protobuf: ${what} has no field for "${k}"`);
}

const schemaKeys = ['$ref', 'format', 'title', 'description', 'default', 'maximum', 'minimum', 'maxLength', 'minLength', 'pattern', 'maxItems', 'minItems', 'uniqueItems', 'required', 'enum', 'additionalProperties', 'type', 'items', 'allOf', 'properties', 'readOnly'];

export function encodeSchema(s: Json): Msg {
  checkKeys('Schema', s, schemaKeys);
  const m = new Msg().string(1, s.$ref).string(2, s.format).string(3, s.title).string(4, s.description);
  if (s.default !== undefined) m.message(5, anyOf(s.default));
  m.double(7, s.maximum).double(9, s.minimum).int(11, s.maxLength).int(12, s.minLength).string(13, s.pattern);
  m.int(14, s.maxItems).int(15, s.minItems).bool(16, s.uniqueItems).strings(19, s.required);
  for (const e of Array.isArray(s.enum) ? s.enum : []) m.message(20, anyOf(e));
  const ap = s.additionalProperties;
  if (ap === true || ap === false) m.message(21, new Msg().bool(2, ap, true));
  else if (isObject(ap)) m.message(21, new Msg().message(1, encodeSchema(ap)));
  if (s.type !== undefined) m.message(22, new Msg().strings(1, Array.isArray(s.type) ? s.type : [s.type]));
  if (isObject(s.items)) m.message(23, new Msg().message(1, encodeSchema(s.items)));
  for (const a of Array.isArray(s.allOf) ? s.allOf : []) m.message(24, encodeSchema(a as Json));
  if (isObject(s.properties)) {
    const props = new Msg();
    for (const [name, p] of Object.entries(s.properties)) props.message(1, new Msg().string(1, name).message(2, encodeSchema(p as Json)));
    m.message(25, props);
  }
  m.bool(27, s.readOnly);
  extensions(m, 31, s);
  return m;
}

/** `ParametersItem { parameter = 1 { non_body_parameter = 2 { query = 3 | path = 4 } } }`. */
function encodeParameter(p: Json): Msg {
  checkKeys('Parameter', p, ['name', 'in', 'required', 'type', 'description', 'uniqueItems']);
  let sub: Msg;
  let which: number;
  if (p.in === 'query') {
    sub = new Msg().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name).string(6, p.type).bool(20, p.uniqueItems);
    which = 3;
  } else if (p.in === 'path') {
    sub = new Msg().bool(1, p.required).string(2, p.in).string(3, p.description).string(4, p.name).string(5, p.type).bool(19, p.uniqueItems);
    which = 4;
  } else throw new Error(`openapi v2 protobuf: parameters "in: ${String(p.in)}" are not encoded`);
  return new Msg().message(1, new Msg().message(2, new Msg().message(which, sub)));
}

function encodeOperation(op: Json): Msg {
  checkKeys('Operation', op, ['operationId', 'description', 'parameters', 'responses', 'consumes', 'produces']);
  const m = new Msg().string(3, op.description).string(5, op.operationId).strings(6, op.produces).strings(7, op.consumes);
  for (const p of Array.isArray(op.parameters) ? op.parameters : []) m.message(8, encodeParameter(p as Json));
  if (isObject(op.responses)) {
    const rs = new Msg();
    for (const [code, r] of Object.entries(op.responses)) {
      const resp = new Msg().string(1, (r as Json).description);
      rs.message(1, new Msg().string(1, code).message(2, new Msg().message(1, resp)));
    }
    m.message(9, rs);
  }
  extensions(m, 13, op);
  return m;
}

const pathItemFields: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function encodePathItem(item: Json): Msg {
  checkKeys('PathItem', item, [...Object.keys(pathItemFields), 'parameters']);
  const m = new Msg();
  for (const [verb, field] of Object.entries(pathItemFields)) if (isObject(item[verb])) m.message(field, encodeOperation(item[verb]));
  for (const p of Array.isArray(item.parameters) ? item.parameters : []) m.message(9, encodeParameter(p as Json));
  extensions(m, 10, item);
  return m;
}

/** The whole `Document`: swagger = 1, info = 2, paths = 8, definitions = 9. */
export function encodeSwaggerDocument(doc: Json): Buffer {
  checkKeys('Document', doc, ['swagger', 'info', 'paths', 'definitions']);
  const m = new Msg().string(1, doc.swagger);
  const info = isObject(doc.info) ? doc.info : {};
  m.message(2, new Msg().string(1, info.title).string(2, info.version));
  const paths = new Msg();
  for (const [path, item] of Object.entries(isObject(doc.paths) ? doc.paths : {})) paths.message(2, new Msg().string(1, path).message(2, encodePathItem(item as Json)));
  m.message(8, paths);
  const defs = new Msg();
  for (const [name, s] of Object.entries(isObject(doc.definitions) ? doc.definitions : {})) defs.message(1, new Msg().string(1, name).message(2, encodeSchema(s as Json)));
  m.message(9, defs);
  extensions(m, 16, doc);
  return m.finish();
}
