import assert from 'node:assert/strict';
import { testEtcdUrl } from './etcd.js';

describe('test etcd', () => {
  it('is running and healthy', async () => {
    const res = await fetch(`${testEtcdUrl()}/health`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { health?: string };
    assert.equal(body.health, 'true');
  });
});
