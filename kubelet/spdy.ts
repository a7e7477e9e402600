// The server side of SPDY/3.1 as Kubernetes' streaming uses it (moby/spdystream under
// client-go): many streams over one byte stream, opened by the client with SYN_STREAM and answered
// with SYN_REPLY, data in DATA frames, half-close by the FIN flag, PINGs echoed. Flow control
// (WINDOW_UPDATE) is ignored, as spdystream does. Header blocks are zlib with SPDY's dictionary,
// one compression context per direction: we inflate the client's with a running context and send
// ours as stored (uncompressed) deflate blocks, which are valid in any zlib stream.
import { constants, inflateSync } from 'node:zlib';

/** The zlib dictionary of SPDY/3 header blocks (from the SPDY/3 draft). */
export const spdyDictionary = ((): Buffer => {
  const words = [
    'options', 'head', 'post', 'put', 'delete', 'trace', 'accept', 'accept-charset', 'accept-encoding', 'accept-language',
    'accept-ranges', 'age', 'allow', 'authorization', 'cache-control', 'connection', 'content-base', 'content-encoding',
    'content-language', 'content-length', 'content-location', 'content-md5', 'content-range', 'content-type', 'date', 'etag',
    'expect', 'expires', 'from', 'host', 'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since',
    'last-modified', 'location', 'max-forwards', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer',
    'retry-after', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'user-agent', 'vary', 'via', 'warning',
    'www-authenticate', 'method', 'get', 'status', '200 OK', 'version', 'HTTP/1.1', 'url', 'public', 'set-cookie', 'keep-alive', 'origin',
  ];
  const tail =
    '100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505203 Non-Authoritative Information' +
    '204 No Content301 Moved Permanently400 Bad Request401 Unauthorized403 Forbidden404 Not Found500 Internal Server Error' +
    '501 Not Implemented503 Service UnavailableJan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, ' +
    'GMTchunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,text/javascript,' +
    'publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.';
  return Buffer.concat([...words.map((w) => lengthPrefixed(Buffer.from(w, 'latin1'))), Buffer.from(tail, 'latin1')]);
})();

function lengthPrefixed(b: Buffer): Buffer {
  const n = Buffer.alloc(4);
  n.writeUInt32BE(b.length);
  return Buffer.concat([n, b]);
}

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

const enum Type {
  SynStream = 1,
  SynReply = 2,
  RstStream = 3,
  Settings = 4,
  Ping = 6,
  GoAway = 7,
  Headers = 8,
  WindowUpdate = 9,
}
const FIN = 0x01;
export const RST_CANCEL = 5;
const maxHeaderBlock = 64 * 1024;

export type Headers = Record<string, string>;

export interface SpdyStream {
  id: number;
  headers: Headers;
  /** Data from the client; `fin` when the client has sent its last byte. */
  onData?: (data: Buffer) => void;
  onEnd?: () => void;
  /** The client reset the stream (or the connection closed). */
  onReset?: () => void;
}

/**
 * One SPDY connection seen from the server. Feed it the client's bytes with `receive`; it
 * writes frames with `send` and calls `onStream` for each stream the client opens.
 */
export class SpdyServerSession {
  private buf: Buffer = Buffer.alloc(0);
  /** All header-block bytes the client compressed so far (one zlib stream across frames). */
  private inflated = 0;
  private compressedIn: Buffer[] = [];
  private deflateStarted = false;
  private readonly streams = new Map<number, SpdyStream>();
  private closed = false;

  constructor(
    private readonly send: (frame: Buffer) => void,
    private readonly onStream: (s: SpdyStream) => void,
    private readonly onClose: () => void,
  ) {}

  receive(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    while (!this.closed && this.buf.length >= 8) {
      const length = this.buf.readUIntBE(5, 3);
      if (this.buf.length < 8 + length) return;
      const frame = this.buf.subarray(0, 8 + length);
      this.buf = this.buf.subarray(8 + length);
      this.frame(frame);
    }
  }

  private frame(f: Buffer): void {
    const flags = f[4]!;
    const body = f.subarray(8);
    if ((f[0]! & 0x80) === 0) {
      const s = this.streams.get(f.readUInt32BE(0) & 0x7fffffff);
      if (!s) return;
      if (body.length) s.onData?.(Buffer.from(body));
      if (flags & FIN) s.onEnd?.();
      return;
    }
    const version = f.readUInt16BE(0) & 0x7fff;
    if (version !== 3) return this.close();
    switch (f.readUInt16BE(2) as Type) {
      case Type.SynStream: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const s: SpdyStream = { id, headers: this.headerBlock(body.subarray(10)) };
        this.streams.set(id, s);
        this.onStream(s);
        if (flags & FIN) s.onEnd?.();
        return;
      }
      case Type.RstStream: {
        const id = body.readUInt32BE(0) & 0x7fffffff;
        const s = this.streams.get(id);
        this.streams.delete(id);
        s?.onReset?.();
        return;
      }
      case Type.Ping:
        return this.send(f);
      case Type.GoAway:
        return this.close();
      case Type.Headers:
        this.headerBlock(body.subarray(4)); // keeps the compression context in step
        return;
      default:
        return; // SETTINGS, WINDOW_UPDATE, SYN_REPLY: nothing to do for a server without flow control
    }
  }

  /** Decodes one header block, continuing the connection's zlib stream. */
  private headerBlock(compressed: Buffer): Headers {
    this.compressedIn.push(Buffer.from(compressed));
    const all = Buffer.concat(this.compressedIn);
    if (all.length > maxHeaderBlock * 16) throw new Error('spdy: too much header data on one connection');
    const out = inflateSync(all, { dictionary: spdyDictionary, finishFlush: constants.Z_SYNC_FLUSH });
    const block = out.subarray(this.inflated);
    this.inflated = out.length;
    const headers: Headers = {};
    let i = 4;
    const count = block.readUInt32BE(0);
    for (let n = 0; n < count; n++) {
      const kl = block.readUInt32BE(i);
      const k = block.toString('utf8', i + 4, i + 4 + kl);
      i += 4 + kl;
      const vl = block.readUInt32BE(i);
      headers[k.toLowerCase()] = block.toString('utf8', i + 4, i + 4 + vl).split('\0')[0] ?? '';
      i += 4 + vl;
    }
    return headers;
  }

  /** Our header block: stored deflate blocks in the zlib stream the client inflates (header first). */
  private encodeHeaders(h: Headers): Buffer {
    const parts: Buffer[] = [];
    const count = Buffer.alloc(4);
    count.writeUInt32BE(Object.keys(h).length);
    parts.push(count);
    for (const [k, v] of Object.entries(h)) parts.push(lengthPrefixed(Buffer.from(k.toLowerCase())), lengthPrefixed(Buffer.from(v)));
    const raw = Buffer.concat(parts);
    const out: Buffer[] = [];
    if (!this.deflateStarted) {
      this.deflateStarted = true;
      // CMF 0x78 (deflate, 32K window); FLG with FDICT, its check bits making CMF*256+FLG a multiple of 31.
      const flg = 0x20 + (31 - ((0x78 * 256 + 0x20) % 31));
      const dictId = Buffer.alloc(4);
      dictId.writeUInt32BE(adler32(spdyDictionary));
      out.push(Buffer.from([0x78, flg]), dictId);
    }
    const len = Buffer.alloc(5);
    len[0] = 0x00; // BFINAL 0, BTYPE 00 (stored)
    len.writeUInt16LE(raw.length, 1);
    len.writeUInt16LE(~raw.length & 0xffff, 3);
    // Then an empty stored block, as a sync flush ends: Go's inflater hands out a block's bytes
    // only when it reaches the next block header, which must be inside this frame.
    out.push(len, raw, Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
    return Buffer.concat(out);
  }

  private control(type: Type, flags: number, body: Buffer): void {
    if (this.closed) return;
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8000 | 3, 0);
    head.writeUInt16BE(type, 2);
    head.writeUInt32BE(body.length, 4);
    head[4] = flags;
    this.send(Buffer.concat([head, body]));
  }

  reply(s: SpdyStream, headers: Headers = {}): void {
    const id = Buffer.alloc(4);
    id.writeUInt32BE(s.id);
    this.control(Type.SynReply, 0, Buffer.concat([id, this.encodeHeaders(headers)]));
  }

  data(s: SpdyStream, data: Buffer, fin = false): void {
    if (this.closed) return;
    // A frame carries at most 2^24 - 1 bytes; socket reads are far smaller, but split if need be.
    let off = 0;
    do {
      const part = data.subarray(off, off + 0xffffff);
      off += part.length;
      const head = Buffer.alloc(8);
      head.writeUInt32BE(s.id & 0x7fffffff, 0);
      head.writeUInt32BE(part.length, 4);
      head[4] = fin && off >= data.length ? FIN : 0;
      this.send(Buffer.concat([head, part]));
    } while (off < data.length);
  }

  reset(s: SpdyStream, status = RST_CANCEL): void {
    this.streams.delete(s.id);
    const body = Buffer.alloc(8);
    body.writeUInt32BE(s.id, 0);
    body.writeUInt32BE(status, 4);
    this.control(Type.RstStream, 0, body);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.onReset?.();
    this.streams.clear();
    this.onClose();
  }
}
