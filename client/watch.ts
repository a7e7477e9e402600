// One watch stream: newline-delimited JSON events off a chunked response.
import type { IncomingMessage } from 'node:http';
import { ApiError, type StatusBody } from './errors.js';
import type { Transport, Query } from './transport.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
}

/**
 * Streams events to `onEvent` until the server ends the stream (resolves), the signal aborts
 * (resolves) or the stream fails (rejects; an ERROR event rejects with its Status as ApiError,
 * e.g. 410 Expired, so the caller can relist).
 */
export async function watchStream<T>(
  transport: Transport,
  path: string,
  query: Query,
  onEvent: (ev: WatchEvent<T>) => void,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) return;
  let res: IncomingMessage;
  try {
    res = await transport.stream(path, { query: { ...query, watch: true }, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (signal?.aborted) return;
    throw err;
  }
  await new Promise<void>((resolve, reject) => {
    let buf = '';
    let failed = false;
    const fail = (err: Error): void => {
      if (failed) return;
      failed = true;
      res.destroy();
      reject(err);
    };
    const onAbort = (): void => {
      res.destroy();
      resolve();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      // Scan with an offset and cut the buffer once per chunk: a chunk often carries many events.
      let start = 0;
      let nl: number;
      while (!failed && (nl = buf.indexOf('\n', start)) >= 0) {
        const line = buf.slice(start, nl);
        start = nl + 1;
        if (line.trim() === '') continue;
        let ev: { type: string; object: unknown };
        try {
          ev = JSON.parse(line) as { type: string; object: unknown };
        } catch {
          fail(new Error(`watch ${path}: bad event line`));
          return;
        }
        if (ev.type === 'ERROR') {
          const st = ev.object as StatusBody;
          fail(new ApiError(st.code ?? 500, st.reason ?? 'InternalError', st.message ?? 'watch error', st));
          return;
        }
        try {
          onEvent(ev as WatchEvent<T>);
        } catch (err) {
          fail(err as Error);
          return;
        }
      }
      buf = start === 0 ? buf : buf.slice(start);
    });
    res.on('end', () => {
      signal?.removeEventListener('abort', onAbort);
      if (!failed) resolve();
    });
    res.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) resolve();
      else fail(err);
    });
    res.on('close', () => {
      signal?.removeEventListener('abort', onAbort);
      if (!failed) resolve();
    });
  });
}
