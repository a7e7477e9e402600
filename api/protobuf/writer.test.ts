// The writer against protobufjs' reader: varints at their byte boundaries, negatives in ten
// bytes, non-ASCII strings, and nested messages whose length outgrows the one reserved byte.
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { ProtoWriter } from './writer.js';

describe('protobuf writer', () => {
  it('writes varints and negative ints as protobuf readers expect', () => {
    const values = [0, 1, 127, 128, 16_383, 16_384, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1];
    const w = new ProtoWriter(1); // grows from one byte
    for (const v of values) w.uint(v);
    w.int(-1).int(-(2 ** 31));
    const r = protobuf.Reader.create(w.finish());
    for (const v of values) assert.equal(Number(r.uint64().toString()), v);
    assert.equal(r.int32(), -1);
    assert.equal(r.int32(), -(2 ** 31));
    assert.equal(r.pos, r.len);
  });

  it('writes ASCII and UTF-8 strings of any length', () => {
    const texts = ['', 'nginx', 'ü-straße ✓ 🚀', 'x'.repeat(127), 'y'.repeat(128), `${'z'.repeat(126)}é`, 'long '.repeat(1000)];
    const w = new ProtoWriter(8);
    for (const t of texts) w.string(t);
    const r = protobuf.Reader.create(w.finish());
    for (const t of texts) assert.equal(r.string(), t);
  });

  it('moves a nested message along when its length needs more than one byte', () => {
    for (const size of [0, 127, 128, 16_383, 16_384, 70_000]) {
      const w = new ProtoWriter(16);
      w.tag(1, 2);
      const at = w.begin();
      w.raw(Buffer.alloc(size, 7));
      w.end(at).tag(2, 0).uint(42);
      const r = protobuf.Reader.create(w.finish());
      assert.equal(r.uint32(), 10);
      assert.deepEqual(Buffer.from(r.bytes()), Buffer.alloc(size, 7));
      assert.equal(r.uint32(), 16);
      assert.equal(r.uint32(), 42);
    }
  });
});
