import { Conflict, NotFound, type Db } from '@catalyst/shared';

export type Decision = 'approved' | 'rejected';

/**
 * The operator's decision on a pending signal. The technical service stores signals and trading
 * reads `status = 'approved'` before it sends an approval-mode entry; no service owns the
 * operator's decision, so the dashboard records it here, in one transaction with its audit entry.
 */
export function createApprovalsRepository(db: Db) {
  return {
    async decide(
      signalId: string,
      decision: Decision,
      actor: string,
      reason: string | null,
      requestId: string,
    ): Promise<void> {
      await db.transaction(async (tx) => {
        const current = await tx.query<{ status: string; expired: boolean }>(
          `SELECT status, (expires_at IS NOT NULL AND expires_at <= now()) AS expired
             FROM signals WHERE id = $1 FOR UPDATE`,
          [signalId],
        );
        const row = current.rows[0];
        if (!row) throw new NotFound(`No signal ${signalId}`);
        if (row.status !== 'pending') {
          throw new Conflict(`signal ${signalId} is ${row.status}, not pending`, { status: row.status });
        }
        if (decision === 'approved' && row.expired) {
          throw new Conflict(`signal ${signalId} has expired`, { status: 'expired' }, 'DASHBOARD.SIGNAL_EXPIRED');
        }
        await tx.query(
          `UPDATE signals SET status = $2, status_reason = $3, decided_by = $4, decided_at = now(), updated_at = now()
            WHERE id = $1`,
          [signalId, decision, reason, actor],
        );
        await tx.query(
          `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
           VALUES ($1, $2, 'signal', $3, $4, $5, $6)`,
          [
            actor,
            decision === 'approved' ? 'signal.approve' : 'signal.reject',
            signalId,
            JSON.stringify({ status: 'pending' }),
            JSON.stringify({ status: decision, reason }),
            requestId,
          ],
        );
      });
    },

    /** How many signals wait for the operator (not yet expired): the overview's badge. */
    async countPending(): Promise<number> {
      const { rows } = await db.query<{ n: string }>(
        `SELECT count(*) AS n FROM signals
          WHERE status = 'pending' AND action <> 'hold' AND (expires_at IS NULL OR expires_at > now())`,
      );
      return Number(rows[0]?.n ?? 0);
    },

    /** The risk engine's decision on a signal (trading writes it; no endpoint serves it). */
    async riskDecision(signalId: string) {
      const { rows } = await db.query<{
        approved: boolean;
        reason_code: string | null;
        qty: string | null;
        details: Record<string, unknown>;
        decided_at: Date;
      }>(
        `SELECT approved, reason_code, qty::text AS qty, details, decided_at FROM risk_decisions
          WHERE signal_id = $1 ORDER BY decided_at DESC LIMIT 1`,
        [signalId],
      );
      const r = rows[0];
      return r
        ? {
            approved: r.approved,
            reasonCode: r.reason_code,
            qty: r.qty,
            details: r.details,
            decidedAt: new Date(r.decided_at).toISOString(),
          }
        : null;
    },
  };
}

export type ApprovalsRepository = ReturnType<typeof createApprovalsRepository>;
