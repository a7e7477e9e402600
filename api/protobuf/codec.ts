// Kubernetes' JSON shapes ↔ the protobuf wire form of generated.proto, in one walk each way,
// guided by the compiled schema (schema.ts). The JSON side is what the rest of Skiff handles;
// the quirks of the mapping live here:
// - Time {seconds=1, nanos=2} ↔ RFC 3339 in seconds; MicroTime ↔ RFC 3339 with microseconds.
// - IntOrString {type=1, intVal=2, strVal=3} ↔ a number or a string; Quantity {string=1} ↔ string.
// - FieldsV1 and RawExtension carry JSON bytes; `bytes` fields (Secret data) ↔ base64.
// - ExtraValue {items=1} (a Go []string type) ↔ a list of strings.
// - Embedded Go structs (Volume's VolumeSource) are nested messages but flat in JSON.
// - Decoding drops the zero values Go writes for every non-pointer field (what omitempty drops
//   in JSON) but keeps them where the schema marks the field `optional` (replicas: 0).
import protobuf from 'protobufjs';
import type { FieldSpec, MessageSpec, Scalar } from './schema.js';
import { ProtoWriter as Writer } from './writer.js';

type Json = Record<string, unknown>;
type Reader = protobuf.Reader;

const varint = 0;
const delimited = 2;

/** The protobuf bytes of `value` (a JSON object) as message `spec`. */
export function encodeMessage(spec: MessageSpec, value: Json, w = new Writer()): Uint8Array {
  writeBody(w, spec, value);
  return w.finish();
}

/** Writes message `spec` into a writer that already holds other bytes (an envelope). */
export function writeMessage(w: Writer, spec: MessageSpec, value: Json): void {
  writeBody(w, spec, value);
}

/** The JSON object of message `spec` read from its protobuf bytes. */
export function decodeMessage(spec: MessageSpec, bytes: Uint8Array): Json {
  const r = protobuf.Reader.create(bytes);
  const v = readBody(r, spec, bytes.length);
  return (v !== null && typeof v === 'object' ? v : {}) as Json;
}

// ---- encoding

function writeBody(w: Writer, spec: MessageSpec, v: unknown): void {
  switch (spec.special) {
    case 'Time':
    case 'MicroTime': {
      const t = timeOf(String(v));
      if (t.seconds !== 0) w.tag(1, varint).int(t.seconds);
      if (t.nanos !== 0) w.tag(2, varint).int(t.nanos);
      return;
    }
    case 'IntOrString':
      if (typeof v === 'number') w.tag(1, varint).int(0).tag(2, varint).int(v);
      else w.tag(1, varint).int(1).tag(3, delimited).string(String(v));
      return;
    case 'Quantity':
      w.tag(1, delimited).string(String(v));
      return;
    case 'FieldsV1':
    case 'RawExtension':
      w.tag(1, delimited).string(JSON.stringify(v));
      return;
    case 'StringList':
      if (!Array.isArray(v)) throw new TypeError(`${spec.fullName}: expected a list`);
      for (const item of v) w.tag(1, delimited).string(String(item));
      return;
    default:
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new TypeError(`${spec.fullName}: expected an object`);
      writeFields(w, spec, v as Json);
  }
}

function writeFields(w: Writer, spec: MessageSpec, obj: Json): void {
  for (const key in obj) {
    const f = spec.byName.get(key);
    const v = obj[key];
    if (!f || v === null || v === undefined) continue;
    if (f.map) {
      for (const k in v as Json) {
        const mv = (v as Json)[k];
        if (mv === null || mv === undefined) continue;
        const at = w.tag(f.number, delimited).begin();
        w.tag(1, delimited).string(k);
        writeValue(w, f, 2, mv);
        w.end(at);
      }
    } else if (f.repeated) {
      if (!Array.isArray(v)) throw new TypeError(`${spec.fullName}.${key}: expected a list`);
      for (const item of v) if (item !== null && item !== undefined) writeValue(w, f, f.number, item);
    } else {
      writeValue(w, f, f.number, v);
    }
  }
  // Embedded structs read their fields from the same JSON object.
  for (const f of spec.inlines) {
    const at = w.tag(f.number, delimited).begin();
    writeFields(w, f.message!, obj);
    w.end(at);
  }
}

function writeValue(w: Writer, f: FieldSpec, number: number, v: unknown): void {
  if (f.message) {
    const at = w.tag(number, delimited).begin();
    writeBody(w, f.message, v);
    w.end(at);
    return;
  }
  const scalar = f.scalar!;
  if (scalar === 'string') w.tag(number, delimited).string(String(v));
  else if (scalar === 'bytes') w.tag(number, delimited).bytes(Buffer.from(String(v), 'base64'));
  else if (scalar === 'bool') w.tag(number, varint).uint(v === true ? 1 : 0);
  else w.tag(number, varint).int(Number(v));
}

/** An RFC 3339 time as seconds since the epoch and nanoseconds (the fraction kept exactly). */
function timeOf(text: string): { seconds: number; nanos: number } {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new TypeError(`invalid time ${JSON.stringify(text)}`);
  const frac = /\.(\d+)/.exec(text)?.[1] ?? '';
  return { seconds: Math.floor(ms / 1000), nanos: frac ? Number(frac.slice(0, 9).padEnd(9, '0')) : 0 };
}

// ---- decoding

function readBody(r: Reader, spec: MessageSpec, end: number): unknown {
  switch (spec.special) {
    case 'Time':
    case 'MicroTime': {
      let seconds = 0;
      let nanos = 0;
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag === 8) seconds = toNumber(r.int64());
        else if (tag === 16) nanos = r.int32();
        else r.skipType(tag & 7);
      }
      // Go's zero time (empty message) is JSON null: absent.
      if (seconds === 0 && nanos === 0) return undefined;
      const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
      return spec.special === 'Time' ? `${iso}Z` : `${iso}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`;
    }
    case 'IntOrString': {
      let type = 0;
      let intVal = 0;
      let strVal = '';
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag === 8) type = toNumber(r.int64());
        else if (tag === 16) intVal = r.int32();
        else if (tag === 26) strVal = r.string();
        else r.skipType(tag & 7);
      }
      return type === 1 ? strVal : intVal;
    }
    case 'Quantity':
    case 'FieldsV1':
    case 'RawExtension': {
      let raw: Uint8Array | undefined;
      let text = '';
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag === 10 && spec.special === 'Quantity') text = r.string();
        else if (tag === 10) raw = r.bytes();
        else r.skipType(tag & 7);
      }
      if (spec.special === 'Quantity') return text;
      return raw && raw.length ? (JSON.parse(Buffer.from(raw).toString('utf8')) as unknown) : undefined;
    }
    case 'StringList': {
      const items: string[] = [];
      while (r.pos < end) {
        const tag = r.uint32();
        if (tag === 10) items.push(r.string());
        else r.skipType(tag & 7);
      }
      return items;
    }
    default:
      return readFields(r, spec, end);
  }
}

function readFields(r: Reader, spec: MessageSpec, end: number): Json {
  const out: Json = {};
  while (r.pos < end) {
    const tag = r.uint32();
    const f = spec.byNumber.get(tag >>> 3);
    const wire = tag & 7;
    if (!f) {
      r.skipType(wire);
      continue;
    }
    if (f.map) {
      const len = r.uint32();
      const stop = r.pos + len;
      let key = '';
      let value: unknown;
      while (r.pos < stop) {
        const t = r.uint32();
        if (t === 10) key = r.string();
        else if (t >>> 3 === 2) value = readValue(r, f, t & 7);
        else r.skipType(t & 7);
      }
      const m = (out[f.name] ??= {}) as Json;
      m[key] = value ?? zeroOf(f);
    } else if (f.repeated) {
      const list = (out[f.name] ??= []) as unknown[];
      if (f.scalar && f.scalar !== 'string' && f.scalar !== 'bytes' && wire === delimited) {
        const stop = r.uint32() + r.pos; // packed
        while (r.pos < stop) list.push(readScalar(r, f.scalar));
      } else {
        const item = readValue(r, f, wire);
        list.push(item ?? zeroOf(f));
      }
    } else if (f.inline) {
      Object.assign(out, readValue(r, f, wire));
    } else {
      const v = readValue(r, f, wire);
      if (v === undefined || (!f.keepZero && f.scalar && (v === '' || v === 0 || v === false))) delete out[f.name];
      else out[f.name] = v;
    }
  }
  return out;
}

function readValue(r: Reader, f: FieldSpec, wire: number): unknown {
  if (f.message) {
    if (wire !== delimited) throw new TypeError(`field ${f.name}: wire type ${wire} for a message`);
    const len = r.uint32();
    return readBody(r, f.message, r.pos + len);
  }
  return readScalar(r, f.scalar!);
}

function readScalar(r: Reader, scalar: Scalar): unknown {
  switch (scalar) {
    case 'string':
      return r.string();
    case 'bytes':
      return Buffer.from(r.bytes()).toString('base64');
    case 'bool':
      return r.bool();
    case 'int32':
      return r.int32();
    case 'uint32':
      return r.uint32();
    default:
      return toNumber(r.int64());
  }
}

function zeroOf(f: FieldSpec): unknown {
  if (f.message) return f.message.special === 'Quantity' ? '0' : f.message.special === 'StringList' ? [] : {};
  return f.scalar === 'bool' ? false : f.scalar === 'string' || f.scalar === 'bytes' ? '' : 0;
}

/** int64 as a number: protobufjs hands out a Long when the `long` package is around. */
function toNumber(v: unknown): number {
  return typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber();
}
