// Optimistic concurrency under contention: 50 clients (each its own connection pool) increment
// one counter in a ConfigMap by read-modify-write. Every write is a compare-and-swap on the
// resourceVersion, so no update may be lost: the final value equals the number of successful
// updates, and every failed one is a 409 Conflict a client can retry.
import assert from 'node:assert/strict';
import type { ConfigMap } from '../api/index.js';
import { ApiError, Clientset, isConflict } from '../client/index.js';
import { startTestApiServer, type TestApiServer } from '../testing/apiserver.js';

const CLIENTS = 50;
const ATTEMPTS = 6;

describe('contention: 50 clients on one counter', function () {
  this.timeout(120_000);
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    await server.close();
  });

  it('read-modify-write loses no update; every failed write is a 409 Conflict', async () => {
    const admin = new Clientset({ server: server.url });
    await admin.configMaps.create('default', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter', namespace: 'default' }, data: { value: '0' } });
    let ok = 0;
    let conflicts = 0;
    const other: string[] = [];
    const client = async (): Promise<void> => {
      const cs = new Clientset({ server: server.url });
      try {
        for (let i = 0; i < ATTEMPTS; i++) {
          const cm = await cs.configMaps.get('default', 'counter');
          const next: ConfigMap = { ...cm, data: { value: String(Number(cm.data?.value) + 1) } };
          try {
            await cs.configMaps.update(next);
            ok++;
          } catch (err) {
            if (isConflict(err) && /the object has been modified/.test((err as ApiError).message)) conflicts++;
            else other.push(err instanceof ApiError ? `${err.code} ${err.reason}: ${err.message}` : String(err));
          }
        }
      } finally {
        cs.close();
      }
    };
    const t0 = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const ms = Date.now() - t0;
    const final = Number((await admin.configMaps.get('default', 'counter')).data?.value);
    admin.close();
    process.stdout.write(`      ${CLIENTS} clients × ${ATTEMPTS} attempts in ${ms} ms: ${ok} updates, ${conflicts} conflicts (409), counter ${final}\n`);
    assert.deepEqual(other, [], 'nothing but 200 and 409');
    assert.equal(ok + conflicts, CLIENTS * ATTEMPTS);
    assert.ok(conflicts > 0, 'the clients did contend');
    assert.equal(final, ok, 'no lost update');
  });
});
