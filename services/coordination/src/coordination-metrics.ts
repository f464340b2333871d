import { Counter, Histogram, type Registry } from 'prom-client';

export const CYCLE_TRIGGERS = ['schedule', 'manual', 'fast_path'] as const;
export type CycleTrigger = (typeof CYCLE_TRIGGERS)[number];

/** The coordination service's Prometheus metrics, on the app's registry (served at /metrics). */
export function createCoordinationMetrics(registry: Registry) {
  const cycles = new Counter({
    name: 'cycles_total',
    help: 'Trading cycles finished, by trigger and final status',
    labelNames: ['trigger', 'status'] as const,
    registers: [registry],
  });
  for (const trigger of CYCLE_TRIGGERS)
    for (const status of ['completed', 'failed']) cycles.inc({ trigger, status }, 0);
  const cycleSeconds = new Histogram({
    name: 'cycle_duration_seconds',
    help: 'Wall time of a cycle, from its start to its last step',
    labelNames: ['trigger'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const stepSeconds = new Histogram({
    name: 'cycle_step_duration_seconds',
    help: 'Wall time of one step of a cycle (news, scan, patterns, technical, trading)',
    labelNames: ['step', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  // The fast path's promise is tens of milliseconds from loopback arrival to the broker's answer;
  // the upper buckets catch scheduled cycles that trade on news minutes old.
  const newsToOrder = new Histogram({
    name: 'news_to_order_seconds',
    help: "From the news item's arrival (news_items.received_at) to the broker's acknowledgement of the entry order",
    labelNames: ['trigger'] as const,
    buckets: [0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300, 900, 3600],
    registers: [registry],
  });
  const fastPath = new Counter({
    name: 'fast_path_events_total',
    help: 'news.catalyst events the fast path read, by what it did (start, busy, or the skip reason)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const refused = new Counter({
    name: 'cycle_start_refused_total',
    help: 'Cycle starts refused because another cycle held the lock, by trigger',
    labelNames: ['trigger'] as const,
    registers: [registry],
  });
  return {
    cycleFinished(trigger: CycleTrigger, status: 'completed' | 'failed', seconds: number) {
      cycles.inc({ trigger, status });
      cycleSeconds.observe({ trigger }, seconds);
    },
    step(step: string, status: string, seconds: number) {
      stepSeconds.observe({ step, status }, seconds);
    },
    newsToOrder(trigger: CycleTrigger, seconds: number) {
      newsToOrder.observe({ trigger }, seconds);
    },
    fastPath(outcome: string) {
      fastPath.inc({ outcome });
    },
    startRefused(trigger: CycleTrigger) {
      refused.inc({ trigger });
    },
  };
}

export type CoordinationMetrics = ReturnType<typeof createCoordinationMetrics>;
