// Public surface of the cluster DNS.
export { startDnsServer, respond, type DnsServerOptions, type RunningDns } from './server.js';
export { answer, type ClusterView, type Reply } from './records.js';
export { ensureKubeDnsService, kubeDnsIP, type KubeDnsTarget } from './kube-dns.js';
