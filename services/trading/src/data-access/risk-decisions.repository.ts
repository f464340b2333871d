import type { Db } from '@catalyst/shared';

export interface RefusalRecord {
  /** risk_decisions.reason_code (upper case). */
  reasonCode: string;
  message: string;
  details: Record<string, unknown>;
}

export interface RiskDecisionsRepository {
  /**
   * A signal's refused entry: the risk_decisions row (qty NULL) and the signal's `refused` status,
   * in one transaction. A signal already decided keeps its first decision (returns false).
   */
  refuseSignal(signalId: string, refusal: RefusalRecord): Promise<boolean>;
  /**
   * A refused manual entry (no signal, so risk_decisions cannot hold it: its signal_id is NOT NULL):
   * an audit_log entry `risk.refuse` on the symbol.
   */
  refuseManual(
    symbol: string,
    refusal: RefusalRecord,
    audit: { actor: string; requestId?: string | undefined; request: Record<string, unknown> },
  ): Promise<void>;
  /** The last refusal stored for a signal, if any (a repeated request answers it again). */
  lastRefusal(signalId: string): Promise<RefusalRecord | null>;
}

export function createRiskDecisionsRepository(db: Db): RiskDecisionsRepository {
  return {
    async refuseSignal(signalId, refusal) {
      return db.transaction(async (tx) => {
        const signal = await tx.query<{ status: string }>('SELECT status FROM signals WHERE id = $1 FOR UPDATE', [
          signalId,
        ]);
        const status = signal.rows[0]?.status;
        if (status === undefined || status === 'executed' || status === 'refused') return false;
        await tx.query(
          `INSERT INTO risk_decisions (signal_id, approved, reason_code, qty, details) VALUES ($1, false, $2, NULL, $3)`,
          [signalId, refusal.reasonCode, JSON.stringify({ message: refusal.message, ...refusal.details })],
        );
        await tx.query(
          `UPDATE signals SET status = 'refused', status_reason = $2, decided_by = 'trading', decided_at = now(),
                  updated_at = now()
            WHERE id = $1`,
          [signalId, `${refusal.reasonCode}: ${refusal.message}`.slice(0, 500)],
        );
        return true;
      });
    },

    async refuseManual(symbol, refusal, audit) {
      await db.query(
        `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
         VALUES ($1, 'risk.refuse', 'order', $2, $3, $4, $5)`,
        [
          audit.actor,
          symbol,
          JSON.stringify(audit.request),
          JSON.stringify({ reasonCode: refusal.reasonCode, message: refusal.message, ...refusal.details }),
          audit.requestId ?? null,
        ],
      );
    },

    async lastRefusal(signalId) {
      const { rows } = await db.query<{ reason_code: string; details: Record<string, unknown> }>(
        `SELECT reason_code, details FROM risk_decisions WHERE signal_id = $1 AND NOT approved
          ORDER BY decided_at DESC, id DESC LIMIT 1`,
        [signalId],
      );
      const row = rows[0];
      if (!row) return null;
      const { message, ...details } = row.details;
      return { reasonCode: row.reason_code, message: typeof message === 'string' ? message : row.reason_code, details };
    },
  };
}
