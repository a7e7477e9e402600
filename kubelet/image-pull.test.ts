import assert from 'node:assert/strict';
import type { Secret } from '../api/index.js';
import { authsFor } from './image-pull.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('imagePullSecrets → CRI AuthConfig', () => {
  const json: Secret = {
    metadata: { name: 'a' },
    type: 'kubernetes.io/dockerconfigjson',
    data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'https://index.docker.io/v1/': { username: 'hub', password: 'p1' }, 'registry.example.com:5000': { auth: b64('u:p') } } })) },
  };
  const cfg: Secret = { metadata: { name: 'b' }, type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'https://registry.example.com:5000/v2/': { username: 'old', password: 'p2' } })) } };

  it('matches Docker Hub keys to docker.io and host:port keys (URLs or bare) to that registry, in order', () => {
    assert.deepEqual(authsFor('docker.io', [json, cfg]).map((a) => [a.username, a.password]), [['hub', 'p1']]);
    assert.deepEqual(authsFor('registry.example.com:5000', [json, cfg]).map((a) => [a.auth, a.username]), [[b64('u:p'), ''], ['', 'old']]);
    assert.deepEqual(authsFor('quay.io', [json, cfg]), []);
  });

  it('ignores secrets of other types and malformed ones', () => {
    const opaque: Secret = { metadata: { name: 'c' }, type: 'Opaque', data: { '.dockerconfigjson': json.data?.['.dockerconfigjson'] ?? '' } };
    const broken: Secret = { metadata: { name: 'd' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{not json') } };
    assert.deepEqual(authsFor('docker.io', [opaque, broken]), []);
  });
});
