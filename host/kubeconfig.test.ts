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

  it('stores the CA and client certificate base64-encoded, the token as is', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n';
    const cfg = parse(kubeconfigYaml({ server: 'https://127.0.0.1:6443', caPem: pem, token: 't0k', clientCertPem: pem, clientKeyPem: 'key', user: 'node' })) as {
      clusters: Array<{ cluster: Record<string, string> }>;
      users: Array<{ name: string; user: Record<string, string> }>;
    };
    assert.equal(Buffer.from(cfg.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(), pem);
    assert.deepEqual(cfg.users[0], {
      name: 'node',
      user: { token: 't0k', 'client-certificate-data': Buffer.from(pem).toString('base64'), 'client-key-data': Buffer.from('key').toString('base64') },
    });
  });
});
