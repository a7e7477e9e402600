import assert from 'node:assert/strict';
import { filterResults, makeNode, makePod } from '../fixtures.testkit.js';
import { nodePorts, portsConflict } from './node-ports.js';

describe('scheduler plugin NodePorts', () => {
  const BUSY = "node(s) didn't have free ports for the requested pod ports";
  const cases = [
    { name: 'no host ports fits', want: [], used: [8080], expect: 'ok' },
    { name: 'free port fits', want: [8080], used: [9090], expect: 'ok' },
    { name: 'used port rejects', want: [8080], used: [8080], expect: BUSY },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const existing = makePod({ name: 'old', nodeName: 'n', hostPorts: c.used });
      const pod = makePod({ name: 'p', hostPorts: c.want });
      assert.deepEqual(filterResults(nodePorts, pod, [makeNode({ name: 'n' })], [existing]), { n: c.expect });
    });
  }
  it('conflicts by protocol and overlapping IP', () => {
    const tcp = (ip: string, port = 80) => ({ ip, protocol: 'TCP', port });
    assert.equal(portsConflict(tcp('0.0.0.0'), tcp('10.0.0.1')), true);
    assert.equal(portsConflict(tcp('10.0.0.2'), tcp('10.0.0.1')), false);
    assert.equal(portsConflict(tcp('10.0.0.1'), { ip: '10.0.0.1', protocol: 'UDP', port: 80 }), false);
    assert.equal(portsConflict(tcp('10.0.0.1'), tcp('10.0.0.1', 81)), false);
  });
});
