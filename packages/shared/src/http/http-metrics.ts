import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface HttpMetrics {
  registry: Registry;
  /** `route` is the route template (`/scans/:id`) or `unmatched`, never the raw URL. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  countError(code: string): void;
  countUnhandled(): void;
}

/** Reuses a metric already on a shared registry (two apps on one registry), or creates it. */
function getOrCreate<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createHttpMetrics(service: string, registry: Registry = new Registry()): HttpMetrics {
  registry.setDefaultLabels({ service });
  if (!registry.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics({ register: registry });

  const duration = getOrCreate(
    registry,
    'http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'http_request_duration_seconds',
        help: 'HTTP request duration by method, route template and status',
        labelNames: ['method', 'route', 'status'] as const,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers: [registry],
      }),
  );
  const errors = getOrCreate(
    registry,
    'http_errors_total',
    () =>
      new Counter({
        name: 'http_errors_total',
        help: 'Error responses by wire error code',
        labelNames: ['code'] as const,
        registers: [registry],
      }),
  );
  const unhandled = getOrCreate(
    registry,
    'app_unhandled_errors_total',
    () =>
      new Counter({
        name: 'app_unhandled_errors_total',
        help: 'Errors that were not typed AppErrors, answered with a plain 500',
        registers: [registry],
      }),
  );

  return {
    registry,
    observeRequest: (method, route, status, seconds) =>
      duration.observe({ method, route, status: String(status) }, seconds),
    countError: (code) => errors.inc({ code }),
    countUnhandled: () => unhandled.inc(),
  };
}
