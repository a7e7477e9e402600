import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { kubeconfigYaml } from './kubeconfig.js';

describe('kubeconfigYaml', () => {
  it('writes a standard kubeconfig with cluster, user and current context skiff', () => {
    const cfg = parse(kubeconfigYaml({ server: 'http://127.0.0.1:6443' })) as Record<string, unknown>;
    assert.deepEqual(cfg, {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'skiff', cluster: { server: 'http://127.0.0.1:6443' } }],
      users: [{ name: 'admin', user: {} }],
      contexts: [{ name: 'skiff', context: { cluster: 'skiff', user: 'admin' } }],
      'current-context': 'skiff',
      preferences: {},
    });
  });
});
