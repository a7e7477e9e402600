// Watch streams: newline-delimited JSON events or length-prefixed protobuf frames, flushed per
// event, served from the watch cache.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject, ResourceType } from '../../api/resource.js';
import { ApiError, gone } from '../errors.js';
import type { Predicate } from '../registry/predicate.js';
import type { Registry } from '../registry/rest.js';
import type { CacheEvent, WatchCache } from '../storage/watch-cache.js';
import { protobufWatchFrame } from './codec.js';
import { protobufWatchMediaType } from '../../api/protobuf/index.js';

export interface WatchParams {
  rt: ResourceType;
  namespace?: string;
  predicate: Predicate;
  resourceVersion?: string;
  timeoutSeconds?: number;
  bookmarks: boolean;
  /** Renders each event's object instead of the object itself (as=Table watches). */
  encode?: (obj: KubeObject) => string;
  /** Protobuf frames instead of JSON lines (the client's Accept asked for protobuf). */
  protobuf?: boolean;
}

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** A slow client that falls this far behind is cut off; it re-watches from its last version. */
const maxBufferedBytes = 32 * 1024 * 1024;
const bookmarkEveryMs = 10_000;

// Serialise each event's object once, whatever the number of watchers.
const serialized = new WeakMap<object, string>();
function line(type: EventType | 'BOOKMARK' | 'ERROR', obj: object, encode?: (obj: KubeObject) => string): string {
  if (encode) return `{"type":"${type}","object":${encode(obj as KubeObject)}}\n`;
  let json = serialized.get(obj);
  if (json === undefined) {
    json = JSON.stringify(obj);
    serialized.set(obj, json);
  }
  return `{"type":"${type}","object":${json}}\n`;
}

/** How an event looks through this watcher's selectors (an object leaving the selection is DELETED). */
function translate(ev: CacheEvent, p: Predicate): [EventType, KubeObject] | undefined {
  const cur = ev.object();
  const prev = ev.prevObject();
  if (ev.type === 'delete') return prev && p.matches(prev) ? ['DELETED', prev] : undefined;
  if (!cur) return undefined;
  const now = p.matches(cur);
  const before = prev ? p.matches(prev) : false;
  if (now) return [before ? 'MODIFIED' : 'ADDED', cur];
  if (before && prev) return ['DELETED', { ...prev, metadata: { ...prev.metadata, resourceVersion: String(ev.rev) } }];
  return undefined;
}

export async function serveWatch(req: IncomingMessage, res: ServerResponse, registry: Registry, cache: WatchCache, w: WatchParams, onClose: () => void): Promise<void> {
  let fromRev: number;
  const initial: KubeObject[] = [];
  if (w.resourceVersion === undefined || w.resourceVersion === '' || w.resourceVersion === '0') {
    // "Current state first": a consistent list (from etcd; with resourceVersion=0 the cache's
    // state will do, as in Kubernetes), then every change after it.
    const page = await registry.list(w.rt, w.namespace, { predicate: w.predicate, ...(w.resourceVersion === '0' ? { source: cache } : {}) });
    initial.push(...page.items);
    fromRev = Number(page.resourceVersion);
  } else {
    fromRev = Number(w.resourceVersion);
    if (!Number.isSafeInteger(fromRev) || fromRev < 0) throw new ApiError(400, 'BadRequest', `invalid resourceVersion "${w.resourceVersion}"`);
  }

  const event = (type: EventType | 'BOOKMARK' | 'ERROR', obj: object): string | Buffer =>
    w.protobuf ? protobufWatchFrame(type, obj as KubeObject) : line(type, obj, w.encode);
  const prefix = registry.collectionPrefix(w.rt, w.namespace);
  const pinned = w.predicate.pinned;
  const trigger = pinned && { scope: registry.collectionPrefix(w.rt), ...pinned };
  const pending: (string | Buffer)[] = [];
  let ready = false;
  let closed = false;
  let corked = false;
  const send = (text: string | Buffer) => {
    if (closed) return;
    if (!ready) {
      pending.push(text);
      return;
    }
    // Events that arrive together (one etcd watch response carries many) leave in one write.
    if (!corked) {
      corked = true;
      res.cork();
      setImmediate(() => {
        corked = false;
        if (!closed) res.uncork(); // end() uncorks fully by itself
      });
    }
    res.write(text);
    if (res.writableLength > maxBufferedBytes) finish();
  };
  const unsubscribe = cache.subscribe(
    prefix,
    fromRev,
    (ev) => {
      if (ev.rev <= fromRev) return;
      if (w.predicate.everything && !w.encode && !w.protobuf) {
        // No selectors: the event's shared JSON goes out as it is, nothing parsed.
        const json = ev.type === 'delete' ? ev.hasPrev && ev.prevJson() : ev.json();
        if (json) send(`{"type":"${ev.type === 'delete' ? 'DELETED' : ev.hasPrev ? 'MODIFIED' : 'ADDED'}","object":${json}}\n`);
        return;
      }
      const out = translate(ev, w.predicate);
      try {
        if (out) send(event(out[0], out[1]));
      } catch {
        finish(); // an object the encoder cannot take: the client re-watches rather than miss it silently
      }
    },
    {
      // The cache lost events: end the stream so the client resumes (and relists on 410).
      onReset: () => finish(),
      ...(trigger ? { trigger } : {}),
    },
  );

  res.statusCode = 200;
  res.setHeader('Content-Type', w.protobuf ? protobufWatchMediaType : 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();
  if (!unsubscribe) {
    const status = gone(`too old resource version: ${fromRev} (${cache.oldestRevision})`).toStatus();
    res.end(event('ERROR', status));
    onClose();
    return;
  }

  const timers: NodeJS.Timeout[] = [];
  function finish() {
    if (closed) return;
    closed = true;
    unsubscribe?.();
    timers.forEach(clearTimeout);
    res.end();
    onClose();
  }
  req.on('close', finish);
  res.on('error', finish);
  // Kubernetes ends watches after timeoutSeconds, or a randomised 30-60 minutes.
  const timeout = w.timeoutSeconds ?? 1800 * (1 + Math.random());
  timers.push(setTimeout(finish, timeout * 1000));
  if (w.bookmarks) {
    const kind = w.rt.kind;
    const apiVersion = w.rt.group ? `${w.rt.group}/${w.rt.version}` : w.rt.version;
    const tick = setInterval(() => {
      send(event('BOOKMARK', { kind, apiVersion, metadata: { resourceVersion: String(cache.revision) } }));
    }, bookmarkEveryMs);
    timers.push(tick);
  }

  for (const obj of initial) res.write(event('ADDED', obj));
  ready = true;
  for (const text of pending.splice(0)) res.write(text);
}
