// kubectl sends the access reviews (`auth can-i`, `auth whoami`) as protobuf: the
// `k8s\0` envelope (runtime.Unknown) around the object. This reads just those kinds into their
// JSON shape, field numbers as in k8s.io/api/authorization/v1 and authentication/v1; the answer
// goes back as JSON, which kubectl also accepts. (A general protobuf codec would replace this.)
import { badRequest } from '../errors.js';

interface Field {
  no: number;
  /** Length-delimited payload, or undefined for a varint. */
  bytes?: Buffer;
  value?: number;
}

function* fields(buf: Buffer): Generator<Field> {
  let i = 0;
  const varint = (): number => {
    let n = 0;
    let shift = 0;
    for (;;) {
      if (i >= buf.length) throw badRequest('the protobuf body is truncated');
      const b = buf[i++]!;
      n += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return n;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const no = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) yield { no, value: varint() };
    else if (wire === 2) {
      const len = varint();
      yield { no, bytes: buf.subarray(i, i + len) };
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else throw badRequest(`the protobuf body has an unsupported wire type ${wire}`);
  }
}

type Shape = { [no: number]: [name: string, kind: 'string' | 'strings' | Shape | 'map'] };

const resourceAttributes: Shape = { 1: ['namespace', 'string'], 2: ['verb', 'string'], 3: ['group', 'string'], 4: ['version', 'string'], 5: ['resource', 'string'], 6: ['subresource', 'string'], 7: ['name', 'string'] };
const nonResourceAttributes: Shape = { 1: ['path', 'string'], 2: ['verb', 'string'] };
const objectMeta: Shape = { 1: ['name', 'string'], 2: ['generateName', 'string'], 3: ['namespace', 'string'] };
const selfSpec: Shape = { 1: ['resourceAttributes', resourceAttributes], 2: ['nonResourceAttributes', nonResourceAttributes] };
const subjectSpec: Shape = { ...selfSpec, 3: ['user', 'string'], 4: ['groups', 'strings'], 5: ['extra', 'map'], 6: ['uid', 'string'] };

const kinds: Record<string, Shape> = {
  SelfSubjectAccessReview: { 1: ['metadata', objectMeta], 2: ['spec', selfSpec] },
  SubjectAccessReview: { 1: ['metadata', objectMeta], 2: ['spec', subjectSpec] },
  LocalSubjectAccessReview: { 1: ['metadata', objectMeta], 2: ['spec', subjectSpec] },
  SelfSubjectRulesReview: { 1: ['metadata', objectMeta], 2: ['spec', { 1: ['namespace', 'string'] }] },
  SelfSubjectReview: { 1: ['metadata', objectMeta] },
};

function decode(buf: Buffer, shape: Shape): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields(buf)) {
    const spec = shape[f.no];
    if (!spec || !f.bytes) continue;
    const [name, kind] = spec;
    if (kind === 'string') out[name] = f.bytes.toString('utf8');
    else if (kind === 'strings') ((out[name] ??= []) as string[]).push(f.bytes.toString('utf8'));
    else if (kind === 'map') {
      // map<string, ExtraValue{repeated string items = 1}>: entries of key = 1, value = 2.
      const entry = decode(f.bytes, { 1: ['key', 'string'], 2: ['value', { 1: ['items', 'strings'] }] });
      ((out[name] ??= {}) as Record<string, string[]>)[String(entry.key)] = ((entry.value as { items?: string[] } | undefined)?.items) ?? [];
    } else out[name] = decode(f.bytes, kind);
  }
  return out;
}

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** The review a protobuf body holds, as JSON; `kind` is the endpoint's. */
export function decodeReview(body: Buffer, kind: string): Record<string, unknown> {
  const shape = kinds[kind];
  if (!shape) throw new Error(`no protobuf shape for ${kind}`);
  if (!body.subarray(0, 4).equals(magic)) throw badRequest('the protobuf body lacks the k8s envelope');
  let raw: Buffer | undefined;
  for (const f of fields(body.subarray(4))) if (f.no === 2) raw = f.bytes;
  return decode(raw ?? Buffer.alloc(0), shape);
}
