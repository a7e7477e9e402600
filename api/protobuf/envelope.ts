// Kubernetes' protobuf envelope (`application/vnd.kubernetes.protobuf`): the magic `k8s\0`, then
// a runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2, contentEncoding=3,
// contentType=4} whose raw is the object in its generated.proto form. Watch streams send each
// WatchEvent {type=1, object=2 {raw=1}} bare, after a 4-byte big-endian length; its object's raw
// is an enveloped object.
import protobuf from 'protobufjs';
import { decodeMessage, writeMessage } from './codec.js';
import { ProtoWriter } from './writer.js';
import { messageForKind } from './schema.js';

export const protobufMediaType = 'application/vnd.kubernetes.protobuf';
export const protobufWatchMediaType = `${protobufMediaType};stream=watch`;

const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Json = Record<string, unknown>;

/** A body that cannot be read as a Kubernetes protobuf object; the message says why. */
export class ProtobufError extends Error {}

/** Whether a kind has a protobuf form (objects, lists, Status, DeleteOptions of served kinds). */
export function hasProtobuf(apiVersion: string, kind: string): boolean {
  return messageForKind(apiVersion, kind) !== undefined;
}

/** `k8s\0` + Unknown of a JSON object with apiVersion and kind (a view of the writer's buffer). */
export function encodeObject(obj: Json): Buffer {
  const apiVersion = String(obj.apiVersion ?? '');
  const kind = String(obj.kind ?? '');
  const spec = messageForKind(apiVersion, kind);
  if (!spec) throw new ProtobufError(`${kind} ${apiVersion} has no protobuf form`);
  const w = new ProtoWriter();
  w.raw(magic);
  const typeMeta = w.tag(1, 2).begin();
  w.tag(1, 2).string(apiVersion).tag(2, 2).string(kind).end(typeMeta);
  const raw = w.tag(2, 2).begin();
  writeMessage(w, spec, obj);
  w.end(raw);
  return w.finish();
}

/** The JSON object of an enveloped protobuf body, apiVersion and kind from the envelope. */
export function decodeObject(body: Uint8Array): Json {
  if (body.length < magic.length || !magic.equals(body.subarray(0, magic.length))) {
    throw new ProtobufError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  }
  let apiVersion = '';
  let kind = '';
  let raw: Uint8Array = new Uint8Array();
  let encoding = '';
  try {
    const r = protobuf.Reader.create(body.subarray(magic.length));
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 10) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) {
          const t = r.uint32();
          if (t === 10) apiVersion = r.string();
          else if (t === 18) kind = r.string();
          else r.skipType(t & 7);
        }
      } else if (tag === 18) raw = r.bytes();
      else if (tag === 26) encoding = r.string();
      else r.skipType(tag & 7);
    }
  } catch (err) {
    throw new ProtobufError(`the protobuf envelope is malformed: ${(err as Error).message}`);
  }
  if (encoding !== '') throw new ProtobufError(`unsupported contentEncoding ${JSON.stringify(encoding)}`);
  const spec = messageForKind(apiVersion, kind);
  if (!spec) throw new ProtobufError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  let obj: Json;
  try {
    obj = decodeMessage(spec, raw);
  } catch (err) {
    throw new ProtobufError(`the ${kind} body is not valid protobuf: ${(err as Error).message}`);
  }
  return { apiVersion, kind, ...obj };
}

/** One watch frame: the length, then WatchEvent{type, object{raw: the object from encodeObject}}. */
export function encodeWatchFrame(type: string, encodedObject: Uint8Array): Buffer {
  const w = new ProtoWriter(encodedObject.length + 32);
  w.raw(new Uint8Array(4)); // the length, filled in below
  w.tag(1, 2).string(type);
  const object = w.tag(2, 2).begin();
  w.tag(1, 2).bytes(encodedObject).end(object);
  const frame = w.finish();
  frame.writeUInt32BE(frame.length - 4, 0);
  return frame;
}

/** Splits a protobuf watch stream into events (what client-go's decoder does); the rest is kept for more data. */
export function decodeWatchFrames(buf: Buffer): { events: { type: string; object: Json }[]; rest: Buffer } {
  const events: { type: string; object: Json }[] = [];
  let off = 0;
  while (buf.length - off >= 4) {
    const len = buf.readUInt32BE(off);
    if (buf.length - off - 4 < len) break;
    const r = protobuf.Reader.create(buf.subarray(off + 4, off + 4 + len));
    let type = '';
    let object: Json = {};
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (tag === 10) type = r.string();
      else if (tag === 18) {
        const end = r.uint32() + r.pos;
        while (r.pos < end) {
          const t = r.uint32();
          if (t === 10) object = decodeObject(r.bytes());
          else r.skipType(t & 7);
        }
      } else r.skipType(tag & 7);
    }
    events.push({ type, object });
    off += 4 + len;
  }
  return { events, rest: buf.subarray(off) };
}
