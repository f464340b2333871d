import type { Db } from '@catalyst/shared';
import { Counter, Gauge, type Registry } from 'prom-client';

/**
 * What reconciliation (or the order sync) found different between PostgreSQL and the broker, and
 * corrected. Each one is an audit-log entry (`reconciliation.<kind>`) and a count of
 * `reconciliation_discrepancies_total{kind}`.
 */
export type DiscrepancyKind =
  /** A broker order with no row here: adopted as a new row. */
  | 'unknown_order'
  /** An ambiguous submission (pending_submit) found at the broker by its client_order_id. */
  | 'pending_resolved'
  /** An ambiguous submission the broker never received: marked failed once the submit window passed. */
  | 'pending_failed'
  /** An order with a broker id the broker no longer knows. */
  | 'order_missing'
  /** A broker position no filled order here explains: opened. */
  | 'position_unknown'
  /** Quantity or average price differed with no newer fill to explain it: corrected to the broker's. */
  | 'position_qty'
  /** A position closed at the broker without a filled exit order here to explain it (no trade row). */
  | 'position_closed_unexplained';

export interface Discrepancy {
  kind: DiscrepancyKind;
  entityType: 'order' | 'position';
  entityId: string;
  before: unknown;
  after: unknown;
}

export interface ReconciliationMetrics {
  runs: Counter<'outcome'>;
  discrepancies: Counter<'kind'>;
  lastSuccess: Gauge;
}

/** The metrics, registered once per registry (the reconciler and the order sync share them). */
export function reconciliationMetrics(registry: Registry): ReconciliationMetrics {
  const existing = registry.getSingleMetric('reconciliation_runs_total');
  if (existing) {
    return {
      runs: existing as Counter<'outcome'>,
      discrepancies: registry.getSingleMetric('reconciliation_discrepancies_total') as Counter<'kind'>,
      lastSuccess: registry.getSingleMetric('reconciliation_last_success_timestamp_seconds') as Gauge,
    };
  }
  return {
    runs: new Counter({
      name: 'reconciliation_runs_total',
      help: 'Reconciliation runs by outcome (success, failure: the broker state could not be read)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    discrepancies: new Counter({
      name: 'reconciliation_discrepancies_total',
      help: 'Differences between PostgreSQL and the broker found and corrected, by kind',
      labelNames: ['kind'],
      registers: [registry],
    }),
    lastSuccess: new Gauge({
      name: 'reconciliation_last_success_timestamp_seconds',
      help: 'When reconciliation last read the whole broker state and applied it (Unix seconds)',
      registers: [registry],
    }),
  };
}

/** Writes each discrepancy to the audit log and counts it. */
export async function recordDiscrepancies(
  db: Db,
  metrics: ReconciliationMetrics,
  found: readonly Discrepancy[],
  actor = 'trading',
): Promise<void> {
  for (const d of found) {
    await db.query(
      `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
      [
        actor,
        `reconciliation.${d.kind}`,
        d.entityType,
        d.entityId,
        JSON.stringify(d.before ?? null),
        JSON.stringify(d.after ?? null),
      ],
    );
    metrics.discrepancies.inc({ kind: d.kind });
  }
}
