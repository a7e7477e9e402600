// The per-pod /etc/hosts, /etc/resolv.conf and /etc/hostname that every container of the pod
// gets bind-mounted (the DNS server and search path come from the kubelet's dns_config).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DNSConfig } from '../proto/index.js';
import type { Layout } from './state.js';

export interface EtcFiles {
  hosts: string;
  resolvConf: string;
  hostname: string;
}

export function sandboxEtcFiles(layout: Layout, sandboxId: string): EtcFiles | undefined {
  const dir = layout.sandboxDir(sandboxId);
  const files = { hosts: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf'), hostname: join(dir, 'hostname') };
  return existsSync(files.hosts) ? files : undefined;
}

export function resolvConf(dns: DNSConfig | null): string {
  if (!dns || (dns.servers.length === 0 && dns.searches.length === 0 && dns.options.length === 0)) {
    try {
      return readFileSync('/etc/resolv.conf', 'utf8');
    } catch {
      return '';
    }
  }
  const lines = dns.servers.map((s) => `nameserver ${s}`);
  if (dns.searches.length > 0) lines.push(`search ${dns.searches.join(' ')}`);
  if (dns.options.length > 0) lines.push(`options ${dns.options.join(' ')}`);
  return `${lines.join('\n')}\n`;
}

export function hostsFile(hostname: string, ip: string | undefined): string {
  const lines = ['# Kubernetes-managed hosts file (skiff runtime).', '127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', 'fe00::0\tip6-localnet', 'fe00::1\tip6-allnodes', 'fe00::2\tip6-allrouters'];
  if (ip) lines.push(`${ip}\t${hostname}`);
  return `${lines.join('\n')}\n`;
}

export function writeSandboxEtcFiles(layout: Layout, sandboxId: string, hostname: string, ip: string | undefined, dns: DNSConfig | null): EtcFiles {
  const dir = layout.sandboxDir(sandboxId);
  const files = { hosts: join(dir, 'hosts'), resolvConf: join(dir, 'resolv.conf'), hostname: join(dir, 'hostname') };
  writeFileSync(files.hostname, `${hostname}\n`);
  writeFileSync(files.resolvConf, resolvConf(dns));
  writeFileSync(files.hosts, hostsFile(hostname, ip));
  return files;
}
