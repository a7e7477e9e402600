// Content negotiation for Kubernetes' protobuf encoding (api/protobuf). Request bodies in
// protobuf become the same JSON objects the handlers already take; answers go out in protobuf
// when the client's Accept prefers `application/vnd.kubernetes.protobuf` (client-go's typed
// clients send `application/vnd.kubernetes.protobuf,application/json`) and the kind has a
// protobuf form. JSON stays the default, and Tables and discovery documents are always JSON.
import { rememberResponseBody } from './audit.js';
import type { ServerResponse } from 'node:http';
import { decodeObject, encodeObject, encodeWatchFrame, hasProtobuf, ProtobufError, protobufMediaType } from '../../api/protobuf/index.js';
import { apiVersionOf, type ResourceType } from '../../api/resource.js';
import { badRequest } from '../errors.js';

export type Encoding = 'json' | 'protobuf';

/** The JSON object of an `application/vnd.kubernetes.protobuf` body; 400 saying why when it is not one. */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  try {
    return decodeObject(body);
  } catch (err) {
    if (err instanceof ProtobufError) throw badRequest(`the request body is not a valid protobuf object: ${err.message}`);
    throw err;
  }
}

/**
 * The encoding an Accept header asks for: the supported media range with the highest q (the
 * first among equals). Protobuf with `as=` (Table, PartialObjectMetadata) is not one we serve.
 */
export function negotiate(accept: string | undefined): Encoding {
  if (!accept || !accept.includes(protobufMediaType)) return 'json';
  let best: Encoding = 'json';
  let bestQ = -1;
  for (const range of accept.split(',')) {
    const [type = '', ...params] = range.split(';').map((s) => s.trim());
    let q = 1;
    let as = false;
    for (const p of params) {
      const [k, v = ''] = p.split('=').map((s) => s.trim());
      if (k === 'q') q = Number(v);
      else if (k === 'as') as = true;
    }
    const media = type.toLowerCase();
    const enc: Encoding | undefined =
      media === protobufMediaType && !as ? 'protobuf' : media === 'application/json' || media === '*/*' || media === 'application/*' ? 'json' : undefined;
    if (enc && q > bestQ) {
      best = enc;
      bestQ = q;
    }
  }
  return best;
}

const hasProtobufForm = (body: unknown): body is Record<string, unknown> => {
  const o = body as { apiVersion?: unknown; kind?: unknown } | null;
  return typeof o?.apiVersion === 'string' && typeof o.kind === 'string' && hasProtobuf(o.apiVersion, o.kind);
};

/**
 * Writes an object, list or Status in the negotiated encoding (JSON ends in a newline as Go's
 * encoder writes it). An object the protobuf encoder cannot take goes out as JSON, which every
 * client that asks for protobuf also accepts; `onFallback` hears why.
 */
export function sendObject(res: ServerResponse, status: number, body: unknown, encoding: Encoding, onFallback?: (err: unknown) => void): void {
  let bytes: Buffer | undefined;
  if (encoding === 'protobuf' && hasProtobufForm(body)) {
    try {
      bytes = encodeObject(body);
      res.setHeader('Content-Type', protobufMediaType);
    } catch (err) {
      onFallback?.(err);
    }
  }
  if (!bytes) {
    const text = `${JSON.stringify(body)}\n`;
    rememberResponseBody(res, text);
    bytes = Buffer.from(text);
    res.setHeader('Content-Type', 'application/json');
  }
  res.statusCode = status;
  res.setHeader('Content-Length', bytes.length);
  res.end(bytes);
}

/** Whether a watch of `rt` streams protobuf frames: asked for, and the kind has a protobuf form (else JSON lines). */
export function watchInProtobuf(accept: string | undefined, rt: ResourceType): boolean {
  return negotiate(accept) === 'protobuf' && hasProtobuf(apiVersionOf(rt), rt.kind);
}

// Each event's object is encoded once, whatever the number of protobuf watchers.
const encoded = new WeakMap<object, Uint8Array>();

/** A protobuf watch frame of an event (objects are shared and never mutated, so the bytes are cached). */
export function protobufWatchFrame(type: string, obj: Record<string, unknown>): Buffer {
  let bytes = encoded.get(obj);
  if (!bytes) {
    bytes = Uint8Array.prototype.slice.call(encodeObject(obj)); // a copy the size of the object, not of the writer's buffer
    encoded.set(obj, bytes);
  }
  return encodeWatchFrame(type, bytes);
}
