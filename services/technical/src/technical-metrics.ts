import { Counter, Histogram, type Registry } from 'prom-client';

export type TechnicalMetrics = ReturnType<typeof createTechnicalMetrics>;

/** The service's own metrics, beside the HTTP ones every service has. */
export function createTechnicalMetrics(registry: Registry) {
  const signals = new Counter({
    name: 'technical_signals_total',
    help: 'Signals stored, by action',
    labelNames: ['action'] as const,
    registers: [registry],
  });
  const signalSeconds = new Histogram({
    name: 'technical_signal_duration_seconds',
    help: 'Time to produce one signal: bars, news, patterns, decision and storage',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const decideSeconds = new Histogram({
    name: 'technical_signal_decide_seconds',
    help: 'CPU-bound part of one signal: indicator summaries and the rule set',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1],
    registers: [registry],
  });
  const indicatorBars = new Histogram({
    name: 'technical_indicator_request_bars',
    help: 'Bars per POST /indicators request',
    buckets: [10, 100, 500, 1_000, 5_000, 10_000, 20_000, 50_000],
    registers: [registry],
  });
  const upstreamFailures = new Counter({
    name: 'technical_upstream_failures_total',
    help: 'News or patterns calls that failed while making a signal (the signal is then a HOLD)',
    labelNames: ['upstream'] as const,
    registers: [registry],
  });
  for (const action of ['BUY', 'SELL', 'HOLD']) signals.labels(action).inc(0);
  return { signals, signalSeconds, decideSeconds, indicatorBars, upstreamFailures };
}
