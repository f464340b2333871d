import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The news service's Prometheus metrics, on the app's registry (served at /metrics). */
export function createNewsMetrics(registry: Registry, clock: { now(): number }) {
  const newestPublished = new Map<string, number>();
  const fetched = new Counter({
    name: 'news_items_fetched_total',
    help: 'Items received from a source (valid ones, before de-duplication)',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const inserted = new Counter({
    name: 'news_items_inserted_total',
    help: 'Items stored for the first time',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const duplicate = new Counter({
    name: 'news_items_duplicate_total',
    help: 'Items already stored (same canonical URL or provider id)',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const rejected = new Counter({
    name: 'news_items_rejected_total',
    help: 'Items dropped because a field was missing or invalid',
    labelNames: ['source'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'news_fetch_errors_total',
    help: 'Failed polls of a source, by kind (timeout, rate_limited, malformed, budget_exhausted …)',
    labelNames: ['source', 'kind'] as const,
    registers: [registry],
  });
  const catalysts = new Counter({
    name: 'news_catalysts_total',
    help: 'Catalysts stored, by type',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'news_fetch_duration_seconds',
    help: 'Time to fetch and parse one poll of a source',
    labelNames: ['source'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'news_newest_item_age_seconds',
    help: 'Age of the newest item (by its publication time) a source has delivered',
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      const now = clock.now();
      for (const [source, publishedAt] of newestPublished)
        this.set({ source }, Math.max(0, (now - publishedAt) / 1000));
    },
  });

  return {
    poll(source: string, counts: { fetched: number; inserted: number; duplicate: number; rejected: number }): void {
      fetched.inc({ source }, counts.fetched);
      inserted.inc({ source }, counts.inserted);
      duplicate.inc({ source }, counts.duplicate);
      rejected.inc({ source }, counts.rejected);
    },
    error(source: string, kind: string): void {
      errors.inc({ source, kind });
    },
    catalyst(type: string): void {
      catalysts.inc({ type });
    },
    fetchDuration(source: string, seconds: number): void {
      duration.observe({ source }, seconds);
    },
    /** Remembers the newest publication time seen from a source (epoch ms). */
    newest(source: string, publishedAtMs: number): void {
      const known = newestPublished.get(source);
      if (known === undefined || publishedAtMs > known) newestPublished.set(source, publishedAtMs);
    },
    newestOf(source: string): number | undefined {
      return newestPublished.get(source);
    },
  };
}

export type NewsMetrics = ReturnType<typeof createNewsMetrics>;
