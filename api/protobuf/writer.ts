// A protobuf writer into one growing buffer. A nested message reserves one byte for its length
// and moves its bytes along in the rare case the length needs more (≥ 128 bytes), so each
// message is written once, with no size pass and no per-field allocations.
const ascii = 0x80;

export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(size = 4096) {
    this.buf = Buffer.allocUnsafe(size);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** A non-negative integer up to 2^53 as a varint. */
  uint(v: number): this {
    this.ensure(10);
    while (v > 127) {
      this.buf[this.pos++] = (v % 128) | 128;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** int32 and int64 as varints; negatives take ten bytes (two's complement), as Go writes them. */
  int(v: number): this {
    if (v >= 0) return this.uint(v);
    let u = BigInt.asUintN(64, BigInt(Math.trunc(v)));
    this.ensure(10);
    while (u > 127n) {
      this.buf[this.pos++] = Number(u & 127n) | 128;
      u >>= 7n;
    }
    this.buf[this.pos++] = Number(u);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.uint(field * 8 + wire);
  }

  string(s: string): this {
    if (s.length < 128) {
      // Short ASCII strings (names, labels, most fields) are copied byte for byte.
      this.ensure(1 + s.length);
      const start = this.pos;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= ascii) break;
        this.buf[start + 1 + i] = c;
      }
      if (i === s.length) {
        this.buf[start] = s.length;
        this.pos = start + 1 + s.length;
        return this;
      }
    }
    const len = Buffer.byteLength(s);
    this.uint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
    return this;
  }

  bytes(b: Uint8Array): this {
    this.uint(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Bytes as they are, no length (the envelope's magic). */
  raw(b: Uint8Array): this {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** Starts a length-delimited message; pass the result to end(). */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  end(start: number): this {
    const len = this.pos - start - 1;
    if (len < 128) {
      this.buf[start] = len;
      return this;
    }
    let extra = 0;
    for (let v = len; v > 127; v = Math.floor(v / 128)) extra++;
    this.ensure(extra);
    this.buf.copyWithin(start + 1 + extra, start + 1, this.pos);
    this.pos += extra;
    const end = this.pos;
    this.pos = start;
    this.uint(len);
    this.pos = end;
    return this;
  }

  /** The bytes written (a view of the buffer). */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}
