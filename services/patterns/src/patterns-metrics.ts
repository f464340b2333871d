import { Counter, Histogram, type Registry } from 'prom-client';

/** The patterns service's Prometheus metrics, on the app's registry (served at /metrics). */
export function createPatternsMetrics(registry: Registry) {
  const detections = new Counter({
    name: 'patterns_detections_total',
    help: 'Detections reported by POST /analyze (and stored), by pattern, direction and timeframe',
    labelNames: ['name', 'direction', 'timeframe'] as const,
    registers: [registry],
  });
  const analyzeDuration = new Histogram({
    name: 'patterns_analyze_duration_seconds',
    help: 'Time to analyse one symbol (market data, news, detection and storage), by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [registry],
  });
  const newsContext = new Counter({
    name: 'patterns_news_context_total',
    help: 'News context lookups by result: found, none, unavailable',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const barsComputed = new Counter({
    name: 'patterns_candlestick_bars_total',
    help: 'Bars run through the candlestick patterns by POST /patterns',
    registers: [registry],
  });
  return { detections, analyzeDuration, newsContext, barsComputed };
}

export type PatternsMetrics = ReturnType<typeof createPatternsMetrics>;
