import assert from 'node:assert/strict';
import { isNotFound } from '../../client/index.js';
import { eventually, startControllers } from '../support.testkit.js';
import { namespaceController } from './index.js';

describe('namespace controller', () => {
  it('reports what keeps a terminating namespace, as kubectl describe shows it, until it is gone', async () => {
    const h = await startControllers([namespaceController({ recheckMs: 200 })]);
    const { cs } = h;
    try {
      await cs.namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'doomed' } });
      await cs.configMaps.create('doomed', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
      await cs.namespaces.delete(undefined, 'doomed');
      const ns = await eventually('deletion conditions', async () => {
        const n = await cs.namespaces.get(undefined, 'doomed');
        const c = n.status?.conditions?.find((x) => x.type === 'NamespaceFinalizersRemaining');
        return c?.status === 'True' ? n : undefined;
      }, 20_000);
      const byType = new Map((ns.status?.conditions ?? []).map((c) => [c.type, c]));
      assert.equal(ns.status?.phase, 'Terminating');
      assert.equal(byType.get('NamespaceContentRemaining')?.message, 'Some resources are remaining: configmaps. has 1 resource instances');
      assert.equal(byType.get('NamespaceFinalizersRemaining')?.message, 'Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances');
      assert.equal(byType.get('NamespaceDeletionDiscoveryFailure')?.status, 'False');
      await cs.configMaps.patch('doomed', 'held', { metadata: { finalizers: null } });
      await eventually('namespace gone', () => cs.namespaces.get(undefined, 'doomed').then(() => false, (err: unknown) => isNotFound(err)), 20_000);
    } finally {
      await h.stop();
    }
  });
});
