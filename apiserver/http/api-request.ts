// What the resource handlers see of a request: node's own request with its path, query and
// buffered body. Resource requests bypass express (it costs more than the rest of a bind).
import type { IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';

export type Query = Record<string, string | string[] | undefined>;

export interface ApiRequest extends IncomingMessage {
  method: string;
  /** The URL's path, still percent-encoded. */
  path: string;
  query: Query;
  body?: Buffer;
}

/** Splits the URL into path and query, on the request itself. */
export function asApiRequest(req: IncomingMessage): ApiRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const api = req as ApiRequest;
  api.path = q < 0 ? url : url.slice(0, q);
  api.query = q < 0 ? {} : (parseQuery(url.slice(q + 1)) as Query);
  return api;
}
