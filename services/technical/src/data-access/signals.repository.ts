import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoOrNull,
  pageOf,
  trimDecimal,
  type Db,
  type Signal,
} from '@catalyst/shared';
import type { z } from 'zod';

type SignalRecord = z.infer<typeof Signal>;

interface SignalRow {
  id: string;
  cycle_id: string | null;
  symbol: string;
  action: SignalRecord['action'];
  confidence: string;
  entry_price: string | null;
  stop_price: string | null;
  target_price: string | null;
  reasons: unknown[];
  status: SignalRecord['status'];
  status_reason: string | null;
  expires_at: Date | null;
  created_at: Date;
}

function toSignal(r: SignalRow): SignalRecord {
  return {
    id: r.id,
    cycleId: r.cycle_id,
    symbol: r.symbol,
    action: r.action,
    confidence: trimDecimal(r.confidence),
    entryPrice: decimalOrNull(r.entry_price),
    stopPrice: decimalOrNull(r.stop_price),
    targetPrice: decimalOrNull(r.target_price),
    reasons: r.reasons,
    status: r.status,
    statusReason: r.status_reason,
    expiresAt: isoOrNull(r.expires_at),
    createdAt: iso(r.created_at),
  };
}

export interface SignalFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  status?: SignalRecord['status'] | undefined;
}

export function createSignalsRepository(db: Db) {
  return {
    async list(filter: SignalFilter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<SignalRow>(
        `SELECT * FROM signals
          WHERE ($1::text IS NULL OR symbol = $1)
            AND ($2::text IS NULL OR status = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
          ORDER BY created_at DESC, id DESC
          LIMIT $5`,
        [filter.symbol ?? null, filter.status ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      return pageOf(rows.map(toSignal), filter.limit, (s) => ({ at: s.createdAt, id: s.id }));
    },
    async get(id: string): Promise<SignalRecord | undefined> {
      const { rows } = await db.query<SignalRow>('SELECT * FROM signals WHERE id = $1', [id]);
      return rows[0] ? toSignal(rows[0]) : undefined;
    },
  };
}
