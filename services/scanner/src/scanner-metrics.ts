import { EXCLUSION_REASONS, type ExclusionReason } from '@catalyst/domain';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The scanner's Prometheus metrics, on the app's registry (served at /metrics). */
export function createScannerMetrics(registry: Registry) {
  const scans = new Counter({
    name: 'scanner_scans_total',
    help: 'Scans run, by outcome (completed, failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['completed', 'failed']) scans.inc({ outcome }, 0);
  const duration = new Histogram({
    name: 'scanner_scan_duration_seconds',
    help: 'Wall time of one scan, from the request to the stored result',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const universe = new Gauge({
    name: 'scanner_universe_size',
    help: 'Symbols in the last scan’s universe (active, tradable, on the configured exchanges)',
    registers: [registry],
  });
  const candidates = new Histogram({
    name: 'scanner_candidates_per_scan',
    help: 'Candidates a completed scan returned',
    buckets: [0, 1, 2, 3, 5, 10, 20, 50],
    registers: [registry],
  });
  const excluded = new Counter({
    name: 'scanner_excluded_total',
    help: 'Symbols a scan excluded, by the first filter they failed',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  return {
    startTimer: () => duration.startTimer(),
    completed(universeSize: number, candidateCount: number, exclusions: Record<ExclusionReason, number>) {
      scans.inc({ outcome: 'completed' });
      universe.set(universeSize);
      candidates.observe(candidateCount);
      for (const reason of EXCLUSION_REASONS) if (exclusions[reason] > 0) excluded.inc({ reason }, exclusions[reason]);
    },
    failed() {
      scans.inc({ outcome: 'failed' });
    },
  };
}

export type ScannerMetrics = ReturnType<typeof createScannerMetrics>;
