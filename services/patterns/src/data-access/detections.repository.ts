import {
  decimalOrNull,
  decodeCursor,
  iso,
  pageOf,
  trimDecimal,
  type Db,
  type PatternDetection,
} from '@catalyst/shared';
import type { z } from 'zod';

type DetectionRecord = z.infer<typeof PatternDetection>;

export interface DetectionFilter {
  limit: number;
  cursor?: string | undefined;
  symbol?: string | undefined;
  since?: string | undefined;
}

/** A detection to store: one row per (symbol, timeframe, name, bar). */
export interface NewDetection {
  symbol: string;
  timeframe: string;
  name: string;
  direction: DetectionRecord['direction'];
  /** 0..1; stored as numeric with four decimals. */
  confidence: number;
  barTime: string;
  value: number | null;
  details: Record<string, unknown>;
  cycleId: string | null;
}

interface DetectionRow {
  id: string;
  symbol: string;
  timeframe: string;
  name: string;
  direction: DetectionRecord['direction'];
  confidence: string;
  bar_time: Date;
  value: string | null;
  details: Record<string, unknown>;
  cycle_id: string | null;
  detected_at: Date;
}

const COLUMNS = 'id, symbol, timeframe, name, direction, confidence, bar_time, value, details, cycle_id, detected_at';

function toRecord(r: DetectionRow): DetectionRecord {
  return {
    id: r.id,
    symbol: r.symbol,
    timeframe: r.timeframe,
    name: r.name,
    direction: r.direction,
    confidence: trimDecimal(r.confidence),
    barTime: iso(r.bar_time),
    value: decimalOrNull(r.value),
    details: r.details,
    cycleId: r.cycle_id,
    detectedAt: iso(r.detected_at),
  };
}

export function createDetectionsRepository(db: Db) {
  return {
    async list(filter: DetectionFilter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<DetectionRow>(
        `SELECT ${COLUMNS}
           FROM pattern_detections
          WHERE ($1::text IS NULL OR symbol = $1)
            AND ($2::timestamptz IS NULL OR bar_time >= $2)
            AND ($3::timestamptz IS NULL OR (bar_time, id) < ($3::timestamptz, $4::uuid))
          ORDER BY bar_time DESC, id DESC
          LIMIT $5`,
        [filter.symbol ?? null, filter.since ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      return pageOf(rows.map(toRecord), filter.limit, (d) => ({ at: d.barTime, id: d.id }));
    },

    /**
     * Stores one analysis's detections in one transaction: all or none. Detecting the same pattern
     * on the same bar again updates that row (its confidence may have moved with the news), so
     * repeated analyses never duplicate.
     */
    async upsertAll(detections: readonly NewDetection[]): Promise<DetectionRecord[]> {
      if (detections.length === 0) return [];
      // One statement, so atomic on its own: no transaction round trips around it.
      const { rows } = await db.query<DetectionRow>(
        `INSERT INTO pattern_detections
                  (symbol, timeframe, name, direction, confidence, bar_time, value, details, cycle_id)
           SELECT d.symbol, d.timeframe, d.name, d.direction, d.confidence, d.bar_time, d.value, d.details, d.cycle_id
             FROM jsonb_to_recordset($1::jsonb) AS d(symbol text, timeframe text, name text, direction text,
                  confidence numeric, bar_time timestamptz, value numeric, details jsonb, cycle_id uuid)
           ON CONFLICT ON CONSTRAINT pattern_detections_bar_key DO UPDATE
              SET direction = EXCLUDED.direction,
                  confidence = EXCLUDED.confidence,
                  value = EXCLUDED.value,
                  details = EXCLUDED.details,
                  cycle_id = COALESCE(EXCLUDED.cycle_id, pattern_detections.cycle_id),
                  detected_at = now()
           RETURNING ${COLUMNS}`,
        [
          JSON.stringify(
            detections.map((d) => ({
              symbol: d.symbol,
              timeframe: d.timeframe,
              name: d.name,
              direction: d.direction,
              confidence: d.confidence.toFixed(4),
              bar_time: d.barTime,
              value: d.value,
              details: d.details,
              cycle_id: d.cycleId,
            })),
          ),
        ],
      );
      return rows.map(toRecord);
    },

    /** Whether a trading cycle exists (a detection's cycle_id must name one). */
    async cycleExists(id: string): Promise<boolean> {
      const { rows } = await db.query('SELECT 1 FROM trading_cycles WHERE id = $1', [id]);
      return rows.length > 0;
    },
  };
}

export type DetectionsRepository = ReturnType<typeof createDetectionsRepository>;
