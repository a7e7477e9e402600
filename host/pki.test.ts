// The cluster PKI: a CA and a serving certificate that verify, tokens and kubeconfigs, all kept
// across calls; a new SAN reissues the serving certificate under the same CA.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { componentNames, ensureClusterPki } from './pki.js';

interface Kubeconfig {
  clusters: Array<{ cluster: Record<string, string> }>;
  users: Array<{ name: string; user: Record<string, string> }>;
}

describe('ensureClusterPki', function () {
  this.timeout(20_000);
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'skiff-pki-test-'));
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('issues a CA and a serving certificate for this machine, tokens and kubeconfigs', () => {
    const pki = ensureClusterPki(home, { server: 'https://127.0.0.1:6443' });
    const ca = new X509Certificate(pki.caPem);
    const cert = new X509Certificate(readFileSync(pki.certFile));
    assert.ok(ca.ca);
    assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey));
    for (const san of ['DNS:localhost', 'IP Address:127.0.0.1', 'IP Address:10.96.0.1', `DNS:${hostname()}`]) {
      assert.ok(cert.subjectAltName?.split(', ').includes(san), `${san} in ${cert.subjectAltName}`);
    }
    assert.equal(statSync(pki.keyFile).mode & 0o777, 0o600);

    const csv = readFileSync(pki.tokenFile, 'utf8').trim().split('\n');
    assert.equal(csv.length, 1 + componentNames.length);
    assert.match(csv[0]!, new RegExp(`^${pki.adminToken},admin,admin,"system:masters"$`));

    for (const name of componentNames) assert.notEqual(pki.tokens[name], pki.adminToken);

    // The admin kubeconfig carries a client certificate, as kind's and k3s's do: CN the user, O system:masters.
    const admin = parse(readFileSync(join(home, 'kubeconfig'), 'utf8')) as Kubeconfig;
    assert.equal(admin.clusters[0]!.cluster.server, 'https://127.0.0.1:6443');
    assert.equal(Buffer.from(admin.clusters[0]!.cluster['certificate-authority-data']!, 'base64').toString(), pki.caPem);
    const subject = (cfg: Kubeconfig): string => {
      const cert = new X509Certificate(Buffer.from(cfg.users[0]!.user['client-certificate-data']!, 'base64'));
      assert.ok(cert.checkIssued(ca) && cert.verify(ca.publicKey));
      return cert.subject.split('\n').sort().join(',');
    };
    assert.equal(subject(admin), 'CN=kubernetes-admin,O=system:masters');
    assert.equal(admin.users[0]!.user.token, undefined);
    const expected: Record<string, string> = {
      'controller-manager': 'CN=system:kube-controller-manager',
      scheduler: 'CN=system:kube-scheduler',
      proxy: 'CN=system:kube-proxy',
      dns: 'CN=system:kube-dns',
    };
    for (const [name, want] of Object.entries(expected)) {
      assert.equal(subject(parse(readFileSync(join(home, 'components', `${name}.kubeconfig`), 'utf8')) as Kubeconfig), want, name);
    }
    const node = parse(readFileSync(join(home, 'components', 'node.kubeconfig'), 'utf8')) as Kubeconfig;
    assert.equal(node.users[0]!.user.token, pki.tokens.node);
  });

  it('keeps a client certificate while it names the same identity and reissues it for another', () => {
    const pki = ensureClusterPki(home);
    const a = pki.clientCert('kubelet-n1', { user: 'system:node:n1', groups: ['system:nodes'] });
    assert.equal(pki.clientCert('kubelet-n1', { user: 'system:node:n1', groups: ['system:nodes'] }).certPem, a.certPem);
    const b = pki.clientCert('kubelet-n1', { user: 'system:node:n2', groups: ['system:nodes'] });
    assert.notEqual(b.certPem, a.certPem);
    assert.equal(new X509Certificate(b.certPem).subject.split('\n').sort().join(','), 'CN=system:node:n2,O=system:nodes');
    assert.equal(statSync(b.keyFile).mode & 0o777, 0o600);
  });

  it('keeps everything on the next call and reissues only the serving certificate for a new SAN', () => {
    const first = ensureClusterPki(home);
    const certPem = readFileSync(first.certFile, 'utf8');
    const again = ensureClusterPki(home);
    assert.equal(again.adminToken, first.adminToken);
    assert.deepEqual(again.tokens, first.tokens);
    assert.equal(readFileSync(again.certFile, 'utf8'), certPem);

    const wider = ensureClusterPki(home, { extraSans: ['10.244.0.1', 'node-a.local'] });
    assert.equal(wider.caPem, first.caPem);
    assert.equal(wider.adminToken, first.adminToken);
    const cert = new X509Certificate(readFileSync(wider.certFile));
    assert.notEqual(cert.toString(), certPem);
    assert.ok(cert.subjectAltName?.includes('IP Address:10.244.0.1') && cert.subjectAltName.includes('DNS:node-a.local'));
    assert.ok(cert.checkIssued(new X509Certificate(first.caPem)));
  });
});
