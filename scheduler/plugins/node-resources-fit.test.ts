import assert from 'node:assert/strict';
import type { Container } from '../../api/index.js';
import { filterResults, makeNode, makePod, scoreResults, type PodSpecLite } from '../fixtures.testkit.js';
import { podRequests } from '../resources.js';
import { nodeResourcesFit } from './node-resources-fit.js';

const init = (name: string, cpu: string, restartPolicy?: string): Container => ({
  name,
  image: 'busybox',
  resources: { requests: { cpu } },
  ...(restartPolicy ? { restartPolicy } : {}),
});

describe('scheduler plugin NodeResourcesFit', () => {
  // Node: 4 cpu, 16Gi, 3 pods; one existing pod uses 3 cpu and 8Gi.
  const node = makeNode({ name: 'n', cpu: '4', memory: '16Gi', pods: '3', other: { 'example.com/gpu': '1' } });
  const existing = makePod({ name: 'old', nodeName: 'n', cpu: '3', memory: '8Gi' });
  const cases: { name: string; pod: Omit<PodSpecLite, 'name'>; extra?: number; want: string }[] = [
    { name: 'fits in what is left', pod: { cpu: '1', memory: '8Gi' }, want: 'ok' },
    { name: 'cpu short', pod: { cpu: '1500m' }, want: 'Insufficient cpu' },
    { name: 'memory short', pod: { memory: '9Gi' }, want: 'Insufficient memory' },
    { name: 'both short: every reason', pod: { cpu: '2', memory: '9Gi' }, want: 'Insufficient cpu, Insufficient memory' },
    { name: 'no requests always fits resources', pod: {}, want: 'ok' },
    { name: 'too many pods', pod: {}, extra: 2, want: 'Too many pods' },
    { name: 'extended resource fits', pod: { other: { 'example.com/gpu': '1' } }, want: 'ok' },
    { name: 'extended resource short', pod: { other: { 'example.com/gpu': '2' } }, want: 'Insufficient example.com/gpu' },
    { name: 'init container larger than the app counts', pod: { cpu: '100m', initContainers: [init('i', '2')] }, want: 'Insufficient cpu' },
    { name: 'init containers do not add up', pod: { cpu: '100m', initContainers: [init('i', '900m'), init('j', '900m')] }, want: 'ok' },
    { name: 'sidecars add to the app containers', pod: { cpu: '600m', initContainers: [init('s', '600m', 'Always')] }, want: 'Insufficient cpu' },
    { name: 'overhead counts', pod: { cpu: '900m', overhead: { cpu: '200m' } }, want: 'Insufficient cpu' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const others = Array.from({ length: c.extra ?? 0 }, (_, i) => makePod({ name: `x${i}`, nodeName: 'n' }));
      const got = filterResults(nodeResourcesFit, makePod({ name: 'p', ...c.pod }), [node], [existing, ...others]);
      assert.deepEqual(got, { n: c.want });
    });
  }

  it('requests: max(sum of app + sidecars, largest init + earlier sidecars) + overhead', () => {
    const pod = makePod({ name: 'p', cpu: '500m', initContainers: [init('s', '250m', 'Always'), init('i', '2')], overhead: { cpu: '10m' } });
    assert.equal(podRequests(pod).cpu, 2260);
    assert.equal(podRequests(makePod({ name: 'q' }), true).cpu, 100);
    assert.equal(podRequests(makePod({ name: 'q' }), true).memory, 200 * 1024 * 1024);
  });

  it('scores the least allocated node highest', () => {
    const nodes = [makeNode({ name: 'busy', cpu: '4', memory: '4Gi' }), makeNode({ name: 'idle', cpu: '4', memory: '4Gi' })];
    const pods = [makePod({ name: 'old', nodeName: 'busy', cpu: '2', memory: '2Gi' })];
    const scores = scoreResults(nodeResourcesFit, makePod({ name: 'p', cpu: '1', memory: '1Gi' }), nodes, pods);
    assert.deepEqual(scores, { busy: 25, idle: 75 });
  });
});
