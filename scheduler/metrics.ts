// Prometheus metrics of one scheduler (own registry, so several can live in one process).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class SchedulerMetrics {
  readonly registry = new Registry();
  readonly attempts = new Counter({
    name: 'scheduler_schedule_attempts_total',
    help: 'Scheduling attempts by result (scheduled, unschedulable, error).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  readonly e2eLatency = new Histogram({
    name: 'scheduler_pod_scheduling_duration_seconds',
    help: 'From first entering the queue to a successful binding.',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly algorithmLatency = new Histogram({
    name: 'scheduler_scheduling_algorithm_duration_seconds',
    help: 'Time spent filtering and scoring for one pod.',
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
    registers: [this.registry],
  });
  readonly preemptionVictims = new Counter({
    name: 'scheduler_preemption_victims_total',
    help: 'Pods evicted to make room for higher-priority pods.',
    registers: [this.registry],
  });
  readonly pending = new Gauge({
    name: 'scheduler_pending_pods',
    help: 'Pods waiting in the scheduling queue, by queue.',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  constructor(defaults = false) {
    if (defaults) collectDefaultMetrics({ register: this.registry });
  }
}
