// Prometheus metrics of one proxy (own registry) and its /healthz, /readyz, /metrics server.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly programmingLatency = new Histogram({
    name: 'skiff_proxy_network_programming_duration_seconds',
    help: 'From a Service/EndpointSlice change reaching the proxy to the rules being programmed (kube-proxy network_programming_duration).',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly syncDuration = new Histogram({
    name: 'skiff_proxy_sync_proxy_rules_duration_seconds',
    help: 'Time to compute and write one ruleset.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly rulesWritten = new Counter({ name: 'skiff_proxy_iptables_restore_total', help: 'iptables-restore runs.', registers: [this.registry] });
  readonly syncErrors = new Counter({ name: 'skiff_proxy_sync_proxy_rules_errors_total', help: 'Failed syncs.', registers: [this.registry] });
  readonly lastSync = new Gauge({ name: 'skiff_proxy_sync_proxy_rules_last_timestamp_seconds', help: 'When rules were last synced.', registers: [this.registry] });

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }
}
