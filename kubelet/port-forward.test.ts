// The kubelet's port-forward session without a cluster: a SPDY client written here (header
// blocks deflated with SPDY's dictionary through one zlib context, as spdystream does) opens
// stream pairs to a local TCP echo server. kubectl itself is exercised in e2e/kubectl-port-forward.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { servePortForward } from './port-forward.js';
import { spdyDictionary } from './spdy.js';

/** Runs one zlib transform step with a sync flush and returns what it produced. */
function step(z: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve) => {
    const out: Buffer[] = [];
    const onData = (d: Buffer) => out.push(d);
    z.on('data', onData);
    z.write(input);
    z.flush(constants.Z_SYNC_FLUSH, () => {
      z.off('data', onData);
      resolve(Buffer.concat(out));
    });
  });
}

function headerBlock(h: Record<string, string>): Buffer {
  const parts = [Buffer.alloc(4)];
  parts[0]!.writeUInt32BE(Object.keys(h).length);
  for (const [k, v] of Object.entries(h)) {
    for (const s of [k, v]) {
      const n = Buffer.alloc(4);
      n.writeUInt32BE(Buffer.byteLength(s));
      parts.push(n, Buffer.from(s));
    }
  }
  return Buffer.concat(parts);
}

/** A SPDY client: frames to the session, frames back parsed by stream. */
class Client {
  private readonly deflate = createDeflate({ dictionary: spdyDictionary });
  private readonly inflate = createInflate({ dictionary: spdyDictionary });
  readonly data = new Map<number, Buffer[]>();
  readonly fin = new Set<number>();
  readonly replies: number[] = [];
  readonly pongs: number[] = [];
  private pending: Promise<void> = Promise.resolve();
  private changed: () => void = () => {};
  readonly session = servePortForward({ host: '127.0.0.1', describe: 'test', ports: [] }, (f) => this.onFrame(f), () => {});

  private onFrame(f: Buffer): void {
    this.pending = this.pending.then(async () => {
      if ((f[0]! & 0x80) === 0) {
        const id = f.readUInt32BE(0);
        this.data.set(id, [...(this.data.get(id) ?? []), f.subarray(8)]);
        if (f[4]! & 1) this.fin.add(id);
      } else if (f.readUInt16BE(2) === 2) {
        const block = await step(this.inflate, f.subarray(12));
        assert.equal(block.readUInt32BE(0), 0, 'an empty header block');
        this.replies.push(f.readUInt32BE(8));
      } else if (f.readUInt16BE(2) === 6) this.pongs.push(f.readUInt32BE(8));
      this.changed();
    });
  }

  async until(cond: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.changed = r;
        setTimeout(r, 50);
      });
    }
  }

  control(type: number, flags: number, body: Buffer): void {
    const head = Buffer.alloc(8);
    head.writeUInt16BE(0x8003, 0);
    head.writeUInt16BE(type, 2);
    head.writeUInt32BE(body.length, 4);
    head[4] = flags;
    this.session.receive(Buffer.concat([head, body]));
  }

  async open(id: number, headers: Record<string, string>): Promise<void> {
    const compressed = await step(this.deflate, headerBlock(headers));
    const ids = Buffer.alloc(10);
    ids.writeUInt32BE(id, 0);
    this.control(1, 0, Buffer.concat([ids, compressed]));
  }

  send(id: number, data: Buffer, fin = false): void {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(id, 0);
    head.writeUInt32BE(data.length, 4);
    head[4] = fin ? 1 : 0;
    // Delivered in two pieces: the session must reassemble frames from any chunking.
    const frame = Buffer.concat([head, data]);
    this.session.receive(frame.subarray(0, 3));
    this.session.receive(frame.subarray(3));
  }

  text(id: number): string {
    return Buffer.concat(this.data.get(id) ?? []).toString();
  }
}

describe('kubelet port-forward (SPDY session)', () => {
  let echo: Server;
  let port: number;
  before(async () => {
    echo = createServer((s) => s.on('data', (d) => s.write(`echo:${d}`)).on('end', () => s.end()));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    port = (echo.address() as { port: number }).port;
  });
  after(() => echo.close());

  it('answers each stream, relays two connections at once both ways, and ends them with FIN', async () => {
    const c = new Client();
    for (const [id, type, req] of [[1, 'error', '0'], [3, 'data', '0'], [5, 'error', '1'], [7, 'data', '1']] as const) {
      await c.open(id, { streamtype: type, port: String(port), requestid: req });
    }
    await c.until(() => c.replies.length === 4, 'four SYN_REPLYs');
    assert.deepEqual(c.replies, [1, 3, 5, 7]);
    c.send(3, Buffer.from('one'));
    c.send(7, Buffer.from('two'));
    await c.until(() => c.text(3) === 'echo:one' && c.text(7) === 'echo:two', 'both echoes');
    c.send(3, Buffer.alloc(0), true);
    await c.until(() => c.fin.has(3) && c.fin.has(1), 'data and error streams closed');
    assert.equal(c.text(1), '', 'no error reported');
    assert.ok(!c.fin.has(7), 'the other connection is still open');
    c.control(6, 0, Buffer.from([0, 0, 0, 9]));
    await c.until(() => c.pongs.includes(9), 'the PING echoed');
  });

  it('writes the dial error on the error stream when nothing listens on the port', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const dead = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const c = new Client();
    await c.open(1, { streamtype: 'error', port: String(dead), requestid: '0' });
    await c.open(3, { streamtype: 'data', port: String(dead), requestid: '0' });
    await c.until(() => c.fin.has(1), 'the error stream closed');
    assert.match(c.text(1), new RegExp(`error forwarding port ${dead} to pod test: connect ECONNREFUSED`));
  });
});
