// Request bodies: JSON, YAML or protobuf objects, at most 3 MiB, with 400/413/415 as Kubernetes answers.
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest } from '../errors.js';
import type { ApiRequest } from './api-request.js';
import { decodeProtobufBody } from './codec.js';

export const maxBodyBytes = 3 * 1024 * 1024;

export type BodyKind = 'json' | 'yaml' | 'protobuf' | 'merge-patch' | 'json-patch' | 'strategic-merge-patch' | 'apply-patch';

const mediaTypes: Record<string, BodyKind> = {
  'application/json': 'json',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'application/vnd.kubernetes.protobuf': 'protobuf',
  'application/merge-patch+json': 'merge-patch',
  'application/json-patch+json': 'json-patch',
  'application/strategic-merge-patch+json': 'strategic-merge-patch',
  'application/apply-patch+yaml': 'apply-patch',
};

export function bodyKind(req: ApiRequest): BodyKind {
  const raw = (req.headers['content-type'] ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const kind = mediaTypes[raw];
  if (!kind) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`);
  }
  return kind;
}

const tooLarge = () => new ApiError(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${maxBodyBytes} bytes`);

/** Buffers a request body (413 beyond 3 MiB); undefined for GET, HEAD and empty bodies. */
export function bufferBody(req: IncomingMessage): Promise<Buffer | undefined> {
  if (req.method === 'GET' || req.method === 'HEAD' || req.headers['content-length'] === '0') return Promise.resolve(undefined);
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The parsed body, already buffered by bufferBody. */
export function readBody(req: ApiRequest, allowed: BodyKind[]): { kind: BodyKind; value: unknown } {
  const kind = bodyKind(req);
  // Whole objects come in protobuf too (kubectl create's generators send it).
  if (!allowed.includes(kind) && !(kind === 'protobuf' && allowed.includes('json'))) {
    throw new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${allowed.map(mediaOf).join(', ')}`);
  }
  const buf = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
  if (buf.length === 0) throw badRequest('the request body is empty');
  if (kind === 'protobuf') return { kind, value: decodeProtobufBody(buf) };
  const text = buf.toString('utf8');
  try {
    return { kind, value: kind === 'yaml' || kind === 'apply-patch' ? parseYaml(text) : JSON.parse(text) };
  } catch (err) {
    throw badRequest(`the request body is not valid ${kind === 'yaml' ? 'YAML' : 'JSON'}: ${(err as Error).message}`);
  }
}

function mediaOf(kind: BodyKind): string {
  return Object.entries(mediaTypes).find(([, k]) => k === kind)![0];
}
