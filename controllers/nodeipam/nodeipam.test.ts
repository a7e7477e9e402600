import assert from 'node:assert/strict';
import { Clientset } from '../../client/index.js';
import { eventually, startControllers } from '../support.testkit.js';
import { CidrSet, parseCidr } from './cidr.js';
import { nodeIpamController } from './index.js';

describe('node IPAM', () => {
  it('carves /24s out of a /16 without duplicates and reuses released ones last', () => {
    const set = new CidrSet(parseCidr('10.244.0.0/16'), 24);
    assert.equal(set.free, 256);
    assert.ok(set.occupy('10.244.1.0/24'));
    assert.equal(set.occupy('10.244.1.0/24'), false, 'taken twice');
    assert.equal(set.occupy('10.245.0.0/24'), false, 'outside the cluster CIDR');
    assert.equal(set.allocate(), '10.244.0.0/24');
    assert.equal(set.allocate(), '10.244.2.0/24');
    set.release('10.244.0.0/24');
    assert.equal(set.allocate(), '10.244.3.0/24');
    const small = new CidrSet(parseCidr('10.0.0.0/23'), 24);
    assert.equal(small.allocate(), '10.0.0.0/24');
    assert.equal(small.allocate(), '10.0.1.0/24');
    assert.equal(small.allocate(), undefined);
    assert.throws(() => parseCidr('10.0.0/8'), /not an IPv4 CIDR/);
  });

  it('gives every node its own podCIDR, keeping those nodes already have across restarts', async () => {
    const h = await startControllers([nodeIpamController({ clusterCidr: '10.244.0.0/16', maskSize: 24 })]);
    try {
      // A node that already has a subnet (e.g. from a previous manager) keeps it; nobody else gets it.
      await h.cs.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'pre' }, spec: { podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] } });
      const names = Array.from({ length: 6 }, (_, i) => `n${i}`);
      await Promise.all(names.map((name) => h.cs.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name } })));
      const cidrs = await eventually('every node has a podCIDR', async () => {
        const { items } = await h.cs.nodes.list();
        return items.every((n) => n.spec?.podCIDR) ? items.map((n) => n.spec?.podCIDR ?? '') : undefined;
      });
      assert.equal(new Set(cidrs).size, 7, `duplicates in ${cidrs.join(' ')}`);
      for (const n of (await h.cs.nodes.list()).items) assert.deepEqual(n.spec?.podCIDRs, [n.spec?.podCIDR]);
      assert.equal((await h.cs.nodes.get(undefined, 'pre')).spec?.podCIDR, '10.244.0.0/24');

      // A fresh manager on the same cluster rebuilds the used set from the nodes.
      const cs2 = new Clientset({ server: h.server.url });
      const { newContext, runControllers } = await import('../manager.js');
      const { createLogger } = await import('../../client/index.js');
      const ctx = newContext(cs2, createLogger('test'));
      const abort = new AbortController();
      const running = runControllers(ctx, [nodeIpamController({ clusterCidr: '10.244.0.0/16', maskSize: 24 })], abort.signal);
      await h.cs.nodes.create(undefined, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'late' } });
      const late = await eventually('late node has a podCIDR', async () => (await h.cs.nodes.get(undefined, 'late')).spec?.podCIDR);
      assert.ok(!cidrs.includes(late), `${late} handed out twice`);
      abort.abort();
      await running;
      ctx.factory.stop();
      cs2.close();
    } finally {
      await h.stop();
    }
  });
});
