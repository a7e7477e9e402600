import assert from 'node:assert/strict';
import { formatReference, parseReference } from '../../proto/image-reference.js';
import { endpointsFor, rewriteRepository } from './registry-config.js';
import { parseChallenge, credentialsFrom } from './auth.js';

const D = `sha256:${'a'.repeat(64)}`;

describe('image references (as Kubernetes reads them)', () => {
  const cases: Array<[string, string]> = [
    ['busybox', 'docker.io/library/busybox:latest'],
    ['busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['library/busybox', 'docker.io/library/busybox:latest'],
    ['bitnami/redis:7', 'docker.io/bitnami/redis:7'],
    ['index.docker.io/library/nginx', 'docker.io/library/nginx:latest'],
    ['localhost/app', 'localhost/app:latest'],
    ['localhost:5000/team/app:v2', 'localhost:5000/team/app:v2'],
    ['registry.example.com:8443/a/b/c', 'registry.example.com:8443/a/b/c:latest'],
    [`busybox@${D}`, `docker.io/library/busybox@${D}`],
    [`busybox:1.36@${D}`, `docker.io/library/busybox@${D}`],
  ];
  for (const [input, want] of cases) it(`${input} → ${want}`, () => assert.equal(formatReference(parseReference(input)), want));

  for (const [input, why] of [
    ['', /empty/],
    ['Busybox', /lower-case/],
    ['busybox:', /tag/],
    ['busybox@sha256:abc', /digest/],
    ['a//b', /repository component ""/],
    ['busybox:bad tag', /tag/],
  ] as Array<[string, RegExp]>) {
    it(`rejects ${JSON.stringify(input)} naming the problem`, () => assert.throws(() => parseReference(input), why));
  }
});

describe('registries.yaml endpoints (k3s format)', () => {
  it('tries mirrors in order, then the registry itself; http only where configured or for loopback', () => {
    const eps = endpointsFor('docker.io', {
      mirrors: { 'docker.io': { endpoint: ['http://127.0.0.1:5000', 'https://mirror.example.com/v2'] } },
      configs: { 'mirror.example.com': { auth: { username: 'u', password: 'p' } } },
    });
    assert.deepEqual(eps.map((e) => e.base.href), ['http://127.0.0.1:5000/', 'https://mirror.example.com/', 'https://registry-1.docker.io/']);
    assert.deepEqual(eps[1]?.auth, { username: 'u', password: 'p' });
    assert.equal(eps.every((e) => !e.httpFallback), true);
    assert.equal(endpointsFor('localhost:5000')[0]?.httpFallback, true);
    assert.equal(endpointsFor('registry.example.com')[0]?.httpFallback, false);
    assert.equal(endpointsFor('quay.io', { mirrors: { '*': { endpoint: ['https://all.example.com'] } } })[0]?.base.host, 'all.example.com');
  });

  it('rewrites repositories on mirrors', () => {
    assert.equal(rewriteRepository('library/busybox', { '^library/(.*)': 'mirrored/$1' }), 'mirrored/busybox');
    assert.equal(rewriteRepository('team/app', { '^library/(.*)': 'mirrored/$1' }), 'team/app');
  });
});

describe('registry auth', () => {
  it('parses Bearer challenges with quoted commas', () => {
    const c = parseChallenge('Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull,push"');
    assert.equal(c?.scheme, 'bearer');
    assert.deepEqual(c?.params, { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull,push' });
  });

  it('takes credentials from the CRI AuthConfig (user/password or auth), else registries.yaml', () => {
    const empty = { username: '', password: '', auth: '', serverAddress: '', identityToken: '', registryToken: '' };
    assert.deepEqual(credentialsFrom({ ...empty, auth: Buffer.from('me:s3:cret').toString('base64') }, undefined), { username: 'me', password: 's3:cret' });
    assert.deepEqual(credentialsFrom({ ...empty, username: 'a', password: 'b' }, { username: 'x' }), { username: 'a', password: 'b' });
    assert.deepEqual(credentialsFrom(empty, { username: 'x', password: 'y' }), { username: 'x', password: 'y' });
    assert.equal(credentialsFrom(null, undefined), undefined);
  });
});
