import { iso, type Db } from '@catalyst/shared';

export interface HaltRecord {
  halted: boolean;
  updatedAt: string;
  updatedBy: string;
}

export interface AuditEntry {
  actor: string;
  requestId?: string | undefined;
}

export interface SettingsRepository {
  /** Every settings row, key → parsed jsonb value. */
  all(): Promise<Record<string, unknown>>;
  /** The kill switch, read from the database (a missing row counts as halted: fail closed). */
  halt(): Promise<HaltRecord>;
  /**
   * Latches the daily loss limit for a trading day (New York date): entries stay refused for the rest
   * of that day even if equity recovers. Persisted, so a restart or another replica sees it.
   */
  latchDailyLoss(day: string): Promise<void>;
  /**
   * Claims the flatten before the close of a trading day (New York date): true for exactly one
   * caller per day across replicas and restarts (the settings row `flatten_before_close_latch`).
   */
  claimFlattenLatch(day: string): Promise<boolean>;
  /** Sets the kill switch and writes its audit_log entry in one transaction; returns the state before and after. */
  setHalted(
    halted: boolean,
    audit: AuditEntry & { details?: Record<string, unknown> },
  ): Promise<{ before: HaltRecord; after: HaltRecord }>;
}

export function createSettingsRepository(db: Db): SettingsRepository {
  return {
    async all() {
      const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },

    async halt() {
      const { rows } = await db.query<{ value: unknown; updated_at: Date; updated_by: string }>(
        `SELECT value, updated_at, updated_by FROM settings WHERE key = 'trading_halted'`,
      );
      const row = rows[0];
      // No row means the schema was tampered with; refusing entries is the safe reading.
      if (!row) return { halted: true, updatedAt: new Date(0).toISOString(), updatedBy: 'system' };
      return { halted: row.value !== false, updatedAt: iso(row.updated_at), updatedBy: row.updated_by };
    },

    async latchDailyLoss(day) {
      await db.query(
        `INSERT INTO settings (key, value, description, updated_by)
         VALUES ('daily_loss_latch', $1::jsonb, 'Trading day (New York) on which the daily loss limit was reached', 'trading')
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = 'trading'`,
        [JSON.stringify(day)],
      );
    },

    async claimFlattenLatch(day) {
      const { rowCount } = await db.query(
        `INSERT INTO settings (key, value, description, updated_by)
         VALUES ('flatten_before_close_latch', $1::jsonb,
                 'Trading day (New York) whose positions were flattened before the close', 'trading')
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = 'trading'
          WHERE settings.value IS DISTINCT FROM EXCLUDED.value
         RETURNING key`,
        [JSON.stringify(day)],
      );
      return rowCount > 0;
    },

    async setHalted(halted, audit) {
      return db.transaction(async (tx) => {
        // The lock serialises two operators pressing halt/resume at once, so the audit's
        // before/after pairs chain.
        const prev = await tx.query<{ value: unknown; updated_at: Date; updated_by: string }>(
          `SELECT value, updated_at, updated_by FROM settings WHERE key = 'trading_halted' FOR UPDATE`,
        );
        const before: HaltRecord = prev.rows[0]
          ? {
              halted: prev.rows[0].value !== false,
              updatedAt: iso(prev.rows[0].updated_at),
              updatedBy: prev.rows[0].updated_by,
            }
          : { halted: true, updatedAt: new Date(0).toISOString(), updatedBy: 'system' };
        const next = await tx.query<{ updated_at: Date; updated_by: string }>(
          `INSERT INTO settings (key, value, description, updated_at, updated_by)
           VALUES ('trading_halted', $1::jsonb, 'When true, no new orders are sent; open positions keep their protective orders', now(), $2)
           ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by
           RETURNING updated_at, updated_by`,
          [JSON.stringify(halted), audit.actor],
        );
        const after: HaltRecord = {
          halted,
          updatedAt: iso(next.rows[0]!.updated_at),
          updatedBy: next.rows[0]!.updated_by,
        };
        await tx.query(
          `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
           VALUES ($1, $2, 'setting', 'trading_halted', $3, $4, $5)`,
          [
            audit.actor,
            halted ? 'trading.halt' : 'trading.resume',
            JSON.stringify({ halted: before.halted }),
            JSON.stringify({ halted, ...(audit.details ?? {}) }),
            audit.requestId ?? null,
          ],
        );
        return { before, after };
      });
    },
  };
}
