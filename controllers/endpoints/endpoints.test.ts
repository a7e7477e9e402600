import assert from 'node:assert/strict';
import type { EndpointSlice, Endpoints } from '../../api/index.js';
import { endpointSliceController } from '../endpointslice/index.js';
import { eventually, podSpec, setPodStatus, startControllers, type Harness } from '../support.testkit.js';
import { endpointsController } from './index.js';

describe('endpoints and endpointslice controllers', () => {
  let h: Harness;
  before(async () => {
    h = await startControllers([endpointsController, endpointSliceController]);
  });
  after(async () => h?.stop());

  const slicesOf = async (svc: string): Promise<EndpointSlice[]> =>
    (await h.cs.endpointSlices.list('default', { labelSelector: `kubernetes.io/service-name=${svc}` })).items;

  it('follows pod readiness, resolves named ports per pod, and ignores terminating pods', async () => {
    const { cs } = h;
    await cs.services.create('default', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const withPort = (n: string, port: number) => podSpec(n, { app: 'web' }, { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: port }] }] });
    await cs.pods.create('default', withPort('a', 8080));
    await cs.pods.create('default', withPort('b', 8080));
    await cs.pods.create('default', withPort('c', 9090));
    await cs.pods.create('default', podSpec('other', { app: 'db' }));
    await setPodStatus(cs, 'default', 'a', '10.244.0.10', true);
    await setPodStatus(cs, 'default', 'b', '10.244.0.11', false);
    await setPodStatus(cs, 'default', 'c', '10.244.0.12', true);
    await setPodStatus(cs, 'default', 'other', '10.244.0.13', true);

    const ep = await eventually('endpoints with three pods', async () => {
      const e = await cs.endpoints.get('default', 'web');
      const n = (e.subsets ?? []).reduce((s, ss) => s + (ss.addresses?.length ?? 0) + (ss.notReadyAddresses?.length ?? 0), 0);
      return n === 3 ? e : undefined;
    });
    // Different numbers for the named port: two subsets.
    const byPort = new Map((ep.subsets ?? []).map((s) => [s.ports?.[0]?.port, s]));
    assert.deepEqual(byPort.get(8080)?.addresses?.map((a) => a.ip), ['10.244.0.10']);
    assert.deepEqual(byPort.get(8080)?.notReadyAddresses?.map((a) => a.ip), ['10.244.0.11']);
    assert.deepEqual(byPort.get(9090)?.addresses?.map((a) => a.ip), ['10.244.0.12']);
    assert.equal(byPort.get(8080)?.addresses?.[0]?.targetRef?.name, 'a');
    assert.equal(byPort.get(8080)?.ports?.[0]?.name, 'http');

    const slices = await eventually('slices with three endpoints', async () => {
      const s = await slicesOf('web');
      return s.reduce((n, x) => n + (x.endpoints?.length ?? 0), 0) === 3 ? s : undefined;
    });
    assert.equal(slices.length, 2, 'one slice per distinct port');
    for (const s of slices) {
      assert.equal(s.addressType, 'IPv4');
      assert.equal(s.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
      assert.equal(s.metadata?.ownerReferences?.[0]?.kind, 'Service');
    }
    const b = slices.flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'b');
    assert.deepEqual(b?.conditions, { ready: false, serving: false, terminating: false });

    // b becomes ready.
    await setPodStatus(cs, 'default', 'b', '10.244.0.11', true);
    await eventually('b ready in endpoints', async () => {
      const e: Endpoints = await cs.endpoints.get('default', 'web');
      return (e.subsets ?? []).some((s) => s.addresses?.some((a) => a.ip === '10.244.0.11'));
    });
    await eventually('b ready in its slice', async () =>
      (await slicesOf('web')).flatMap((s) => s.endpoints ?? []).some((e) => e.targetRef?.name === 'b' && e.conditions?.ready === true));

    // a terminating (bound, so deletion is graceful): gone from Endpoints, terminating in the slice.
    await cs.pods.patch('default', 'a', { spec: { nodeName: 'n1' } }).catch(() => undefined);
    await cs.pods.bind('default', 'a', 'n1').catch(() => undefined);
    await cs.pods.delete('default', 'a', { gracePeriodSeconds: 30 });
    await eventually('a out of endpoints', async () => {
      const e = await cs.endpoints.get('default', 'web');
      return !(e.subsets ?? []).some((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].some((a) => a.ip === '10.244.0.10'));
    });
    const a = await eventually('a terminating in its slice', async () =>
      (await slicesOf('web')).flatMap((s) => s.endpoints ?? []).find((e) => e.targetRef?.name === 'a' && e.conditions?.terminating === true));
    assert.equal(a.conditions?.ready, false);
  });

  it('leaves Services without a selector and their user-managed Endpoints alone', async () => {
    const { cs } = h;
    await cs.services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'external' }, spec: { ports: [{ port: 443 }] } });
    await cs.endpoints.create('default', {
      apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external' },
      subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 443 }] }],
    });
    // A Service with a selector created after it is handled, so the controllers have looked at both.
    await cs.services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'marker' }, spec: { selector: { app: 'none' }, ports: [{ port: 1 }] } });
    await eventually('marker endpoints', async () => cs.endpoints.get('default', 'marker'));
    await eventually('marker placeholder slice', async () => (await slicesOf('marker')).length === 1);
    const ep = await cs.endpoints.get('default', 'external');
    assert.deepEqual(ep.subsets?.[0]?.addresses?.map((a) => a.ip), ['192.0.2.1']);
    assert.equal((await slicesOf('external')).length, 0);
    // The kubernetes Service's endpoints are the apiserver's.
    assert.equal((await slicesOf('kubernetes')).length, 0);
  });

  it('cuts more than 100 endpoints into several slices', async () => {
    const { cs } = h;
    await cs.services.create('default', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'big' }, spec: { selector: { app: 'big' }, ports: [{ port: 80 }] } });
    const n = 105;
    await Promise.all(Array.from({ length: n }, async (_, i) => {
      await cs.pods.create('default', podSpec(`big-${i}`, { app: 'big' }));
      await setPodStatus(cs, 'default', `big-${i}`, `10.244.1.${i + 1}`, true);
    }));
    // Like Kubernetes, the controller creates before it deletes (no gap in endpoints), so an
    // emptied slice may linger for a moment: wait for the settled state, two slices.
    const slices = await eventually(`${n} endpoints in two slices`, async () => {
      const s = await slicesOf('big');
      return s.reduce((k, x) => k + (x.endpoints?.length ?? 0), 0) === n && s.length === 2 ? s : undefined;
    }, 30_000);
    assert.ok(slices.every((s) => (s.endpoints?.length ?? 0) <= 100));
    const ep = await eventually('endpoints with all', async () => {
      const e = await cs.endpoints.get('default', 'big');
      return (e.subsets?.[0]?.addresses?.length ?? 0) === n ? e : undefined;
    });
    assert.equal(ep.subsets?.length, 1);
  });
});
