/**
 * Prometheus metrics of the market data layer. They register on the service's prom-client
 * Registry (`api.registry`) through its public `registerMetric`, as small collectors, so this
 * package needs no prom-client of its own.
 */

/** What this package needs of a prom-client Registry. */
export interface MetricsRegistry {
  registerMetric(metric: never): void;
  removeSingleMetric?(name: string): void;
}

type Labels = Record<string, string>;

class LabelledValues {
  private readonly values = new Map<string, { labels: Labels; value: number }>();

  add(labels: Labels, by: number): void {
    const key = Object.keys(labels)
      .sort()
      .map((k) => `${k}=${labels[k]}`)
      .join(',');
    const entry = this.values.get(key);
    if (entry) entry.value += by;
    else this.values.set(key, { labels, value: by });
  }

  list(): Array<{ labels: Labels; value: number }> {
    return [...this.values.values()].map((v) => ({ labels: { ...v.labels }, value: v.value }));
  }

  reset(): void {
    this.values.clear();
  }
}

function collector(
  name: string,
  help: string,
  type: 'counter' | 'gauge',
  read: () => Array<{ labels: Labels; value: number }>,
  reset: () => void,
) {
  return {
    name,
    help,
    type,
    aggregator: 'sum' as const,
    get: async () => ({ name, help, type, aggregator: 'sum', values: read() }),
    reset,
  };
}

export interface MarketDataMetrics {
  /** One provider call: provider, operation (bars, snapshots, assets), outcome (ok or the error code). */
  request(provider: string, operation: string, outcome: string): void;
  cache(kind: string, hits: number, misses: number): void;
  fallback(operation: string): void;
  /** Read at scrape time. */
  readonly counts: {
    requests: (labels: Labels) => number;
    cacheHits: (kind: string) => number;
    cacheMisses: (kind: string) => number;
  };
}

export function createMarketDataMetrics(
  registry: MetricsRegistry | undefined,
  inFlight: () => number,
): MarketDataMetrics {
  const requests = new LabelledValues();
  const hits = new LabelledValues();
  const misses = new LabelledValues();
  const fallbacks = new LabelledValues();
  if (registry) {
    // A second market data instance on the same registry (tests, a restarted app) takes over the names.
    const register = (m: { name: string }) => {
      registry.removeSingleMetric?.(m.name);
      registry.registerMetric(m as never);
    };
    register(
      collector(
        'market_data_requests_total',
        'Provider calls by provider, operation and outcome',
        'counter',
        () => requests.list(),
        () => requests.reset(),
      ),
    );
    register(
      collector(
        'market_data_cache_hits_total',
        'Cached market data read (per symbol)',
        'counter',
        () => hits.list(),
        () => hits.reset(),
      ),
    );
    register(
      collector(
        'market_data_cache_misses_total',
        'Market data not in the cache (per symbol)',
        'counter',
        () => misses.list(),
        () => misses.reset(),
      ),
    );
    register(
      collector(
        'market_data_fallbacks_total',
        'Calls answered by the fallback provider after the primary failed',
        'counter',
        () => fallbacks.list(),
        () => fallbacks.reset(),
      ),
    );
    register(
      collector(
        'market_data_requests_in_flight',
        'Provider calls in flight',
        'gauge',
        () => [{ labels: {}, value: inFlight() }],
        () => undefined,
      ),
    );
  }
  const sum = (values: LabelledValues, match: Labels) =>
    values
      .list()
      .filter((v) => Object.entries(match).every(([k, x]) => v.labels[k] === x))
      .reduce((a, v) => a + v.value, 0);
  return {
    request: (provider, operation, outcome) => requests.add({ provider, operation, outcome }, 1),
    cache: (kind, h, m) => {
      if (h > 0) hits.add({ kind }, h);
      if (m > 0) misses.add({ kind }, m);
    },
    fallback: (operation) => fallbacks.add({ operation }, 1),
    counts: {
      requests: (labels) => sum(requests, labels),
      cacheHits: (kind) => sum(hits, { kind }),
      cacheMisses: (kind) => sum(misses, { kind }),
    },
  };
}
