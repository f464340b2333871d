import {
  decimalOrNull,
  decodeCursor,
  iso,
  isoOrNull,
  pageOf,
  trimDecimal,
  Unprocessable,
  type Db,
  type DbTx,
  type Signal,
  type SignalDetail,
} from '@catalyst/shared';
import type { z } from 'zod';

type SignalRecord = z.infer<typeof Signal>;
type SignalDetailRecord = z.infer<typeof SignalDetail>;

interface SignalRow {
  id: string;
  cycle_id: string | null;
  candidate_id: string | null;
  catalyst_id: string | null;
  symbol: string;
  action: SignalRecord['action'];
  confidence: string;
  entry_price: string | null;
  stop_price: string | null;
  target_price: string | null;
  reasons: unknown[];
  indicators: Record<string, unknown>;
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

/** A decided signal, ready to store. Prices are numbers already rounded to the tick by the domain. */
export interface NewSignal {
  symbol: string;
  cycleId: string | null;
  candidateId: string | null;
  catalystId: string | null;
  action: 'buy' | 'sell' | 'hold';
  confidence: number;
  entry: number | null;
  stop: number | null;
  target: number | null;
  reasons: unknown[];
  indicators: Record<string, unknown>;
  ttlMinutes: number;
  newsItemIds: readonly string[];
  detectionIds: readonly string[];
}

export interface StoredSignal {
  id: string;
  status: SignalRecord['status'];
  expiresAt: string | null;
  createdAt: string;
  cycleId: string | null;
  candidateId: string | null;
  catalystId: string | null;
  /** The links actually stored: ids the database does not hold (a catalyst or detection deleted meanwhile) are left out. */
  newsItemIds: string[];
  detectionIds: string[];
}

/** Checks the caller's cycle and candidate ids (also called before any upstream work). */
async function assertReferences(q: DbTx | Db, cycleId: string | null, candidateId: string | null): Promise<void> {
  const { rows } = await q.query<{ cycle: boolean; candidate: boolean }>(
    `SELECT ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM trading_cycles WHERE id = $1::uuid)) AS cycle,
            ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM scan_candidates WHERE id = $2::uuid)) AS candidate`,
    [cycleId, candidateId],
  );
  refuseMissing({ cycleId, candidateId, cycleOk: rows[0]!.cycle, candidateOk: rows[0]!.candidate });
}

/** An unknown cycle or candidate is the caller's mistake: a 422 naming it. */
function refuseMissing(r: {
  cycleId: string | null;
  candidateId: string | null;
  cycleOk: boolean;
  candidateOk: boolean;
}) {
  if (!r.cycleOk) {
    throw new Unprocessable(
      `No trading cycle ${r.cycleId}`,
      [{ path: 'body.cycleId', message: 'no such cycle' }],
      'TECHNICAL.UNKNOWN_CYCLE',
    );
  }
  if (!r.candidateOk) {
    throw new Unprocessable(
      `No scan candidate ${r.candidateId}`,
      [{ path: 'body.candidateId', message: 'no such candidate' }],
      'TECHNICAL.UNKNOWN_CANDIDATE',
    );
  }
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

    assertReferences: (cycleId: string | null, candidateId: string | null) =>
      assertReferences(db, cycleId, candidateId),

    async get(id: string): Promise<SignalDetailRecord | undefined> {
      const { rows } = await db.query<SignalRow & { news_item_ids: string[]; detection_ids: string[] }>(
        `SELECT s.*,
                COALESCE((SELECT array_agg(news_item_id::text ORDER BY news_item_id) FROM signal_news_items WHERE signal_id = s.id), '{}') AS news_item_ids,
                COALESCE((SELECT array_agg(detection_id::text ORDER BY detection_id) FROM signal_detections WHERE signal_id = s.id), '{}') AS detection_ids
           FROM signals s WHERE s.id = $1`,
        [id],
      );
      const r = rows[0];
      if (!r) return undefined;
      return {
        ...toSignal(r),
        candidateId: r.candidate_id,
        catalystId: r.catalyst_id,
        newsItemIds: r.news_item_ids,
        detectionIds: r.detection_ids,
        indicators: r.indicators,
      };
    },

    /**
     * The signal and its links at once: either all of it is stored or none. Links to rows
     * that no longer exist are skipped rather than failing the signal (a detection may have been
     * pruned between the patterns call and now); a vanished catalyst likewise becomes null. An unknown
     * cycle or candidate is the caller's mistake: a 422 naming it, nothing stored.
     */
    async create(s: NewSignal): Promise<StoredSignal> {
      // One statement (data-modifying CTEs), so one round trip and atomic on its own: the
      // references are checked in the same snapshot the rows are written in, and when either is
      // missing nothing is written.
      const { rows } = await db.query<{
        cycle_ok: boolean;
        candidate_ok: boolean;
        id: string | null;
        status: SignalRecord['status'] | null;
        expires_at: Date | null;
        created_at: Date | null;
        cycle_id: string | null;
        candidate_id: string | null;
        catalyst_id: string | null;
        news_item_ids: string[];
        detection_ids: string[];
      }>(
        `WITH refs AS (
           SELECT ($1::uuid IS NULL OR EXISTS (SELECT 1 FROM trading_cycles WHERE id = $1::uuid)) AS cycle_ok,
                  ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM scan_candidates WHERE id = $2::uuid)) AS candidate_ok
         ), signal AS (
           INSERT INTO signals (cycle_id, candidate_id, catalyst_id, news_item_id, symbol, action, confidence,
                                entry_price, stop_price, target_price, reasons, indicators, status, expires_at)
           SELECT $1::uuid, $2::uuid,
                  (SELECT id FROM catalysts WHERE id = $3::uuid),
                  (SELECT id FROM news_items WHERE id = $4::uuid),
                  $5, $6, $7, $8, $9, $10, $11::jsonb, $12::jsonb, 'pending', now() + make_interval(mins => $13::int)
             FROM refs WHERE refs.cycle_ok AND refs.candidate_ok
           RETURNING id, status, expires_at, created_at, cycle_id, candidate_id, catalyst_id
         ), news AS (
           INSERT INTO signal_news_items (signal_id, news_item_id)
           SELECT signal.id, n.id FROM signal, news_items n WHERE n.id = ANY($14::uuid[])
           ON CONFLICT DO NOTHING RETURNING news_item_id::text
         ), detections AS (
           INSERT INTO signal_detections (signal_id, detection_id)
           SELECT signal.id, d.id FROM signal, pattern_detections d WHERE d.id = ANY($15::uuid[])
           ON CONFLICT DO NOTHING RETURNING detection_id::text
         )
         SELECT refs.cycle_ok, refs.candidate_ok, signal.*,
                COALESCE((SELECT array_agg(news_item_id) FROM news), '{}') AS news_item_ids,
                COALESCE((SELECT array_agg(detection_id) FROM detections), '{}') AS detection_ids
           FROM refs LEFT JOIN signal ON true`,
        [
          s.cycleId,
          s.candidateId,
          s.catalystId,
          s.newsItemIds[0] ?? null,
          s.symbol,
          s.action,
          s.confidence,
          s.entry,
          s.stop,
          s.target,
          JSON.stringify(s.reasons),
          JSON.stringify(s.indicators),
          s.ttlMinutes,
          [...new Set(s.newsItemIds)],
          [...new Set(s.detectionIds)],
        ],
      );
      const row = rows[0]!;
      refuseMissing({
        cycleId: s.cycleId,
        candidateId: s.candidateId,
        cycleOk: row.cycle_ok,
        candidateOk: row.candidate_ok,
      });
      return {
        id: row.id!,
        status: row.status!,
        expiresAt: isoOrNull(row.expires_at),
        createdAt: iso(row.created_at!),
        cycleId: row.cycle_id,
        candidateId: row.candidate_id,
        catalystId: row.catalyst_id,
        newsItemIds: [...row.news_item_ids].sort(),
        detectionIds: [...row.detection_ids].sort(),
      };
    },
  };
}
