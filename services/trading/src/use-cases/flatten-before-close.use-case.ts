import type { Db, Logger } from '@catalyst/shared';
import type { SettingsRepository } from '../data-access/settings.repository';
import { flattenDue } from './flatten-cutoff';
import { cancelOpenEntries, closeAllPositions, type Failure, type FlattenDeps } from './flatten-positions';

export interface FlattenBeforeCloseDeps extends FlattenDeps {
  settings: SettingsRepository;
  db: Db;
  log: Logger;
  /** TRADING_FLATTEN_BEFORE_CLOSE_MINUTES; 0 turns it off. */
  minutes: number;
}

export interface FlattenRun {
  day: string;
  at: string;
  canceledOrders: string[];
  closedPositions: string[];
  failures: Failure[];
}

/** Who the audit log names for what the service does on its own. */
const ACTOR = 'trading';

/**
 * Flatten before the close (optional): once the broker's clock is `minutes` before its next close,
 * cancels open entry orders and closes every position at market, once per trading day. The day is
 * claimed through a settings latch first, so of several replicas (or a restarted process) exactly
 * one flattens; a position it could not close is reported in the audit entry and the log, not
 * retried (its protective legs stay at the broker). Each close is audited `position.close` with
 * reason `end_of_day`, which the trade written for it takes as its exit_reason. The entry path
 * refuses new entries from the same instant (`flattenCutoff`).
 */
export function createFlattenBeforeClose(deps: FlattenBeforeCloseDeps) {
  const { broker, settings, db, log, minutes } = deps;
  return {
    /** One check: flattens when due and not yet done today; returns what it did, or null. */
    async runOnce(): Promise<FlattenRun | null> {
      if (minutes <= 0) return null;
      const due = flattenDue(await broker.getClock(), minutes);
      if (!due) return null;
      if (!(await settings.claimFlattenLatch(due.day))) return null;
      const audit = { actor: ACTOR };
      const entries = await cancelOpenEntries(deps, audit);
      const positions = await closeAllPositions(deps, audit, 'end_of_day');
      const run: FlattenRun = {
        day: due.day,
        at: due.at,
        canceledOrders: entries.canceled,
        closedPositions: positions.closed,
        failures: [...entries.failures, ...positions.failures],
      };
      await db.query(
        `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after)
         VALUES ($1, 'trading.flatten_before_close', 'setting', 'flatten_before_close_latch', NULL, $2)`,
        [ACTOR, JSON.stringify({ ...run, minutes })],
      );
      if (run.failures.length > 0) log.error({ ...run }, 'flatten before the close left something open');
      else log.info({ ...run }, 'flattened before the close');
      return run;
    },
  };
}

export type FlattenBeforeClose = ReturnType<typeof createFlattenBeforeClose>;
