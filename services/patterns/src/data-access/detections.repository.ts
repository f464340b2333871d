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

export function createDetectionsRepository(db: Db) {
  return {
    async list(filter: DetectionFilter) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<{
        id: string;
        symbol: string;
        timeframe: string;
        name: string;
        direction: DetectionRecord['direction'];
        confidence: string;
        bar_time: Date;
        value: string | null;
        detected_at: Date;
      }>(
        `SELECT id, symbol, timeframe, name, direction, confidence, bar_time, value, detected_at
           FROM pattern_detections
          WHERE ($1::text IS NULL OR symbol = $1)
            AND ($2::timestamptz IS NULL OR bar_time >= $2)
            AND ($3::timestamptz IS NULL OR (bar_time, id) < ($3::timestamptz, $4::uuid))
          ORDER BY bar_time DESC, id DESC
          LIMIT $5`,
        [filter.symbol ?? null, filter.since ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      const items = rows.map((r): DetectionRecord => ({
        id: r.id,
        symbol: r.symbol,
        timeframe: r.timeframe,
        name: r.name,
        direction: r.direction,
        confidence: trimDecimal(r.confidence),
        barTime: iso(r.bar_time),
        value: decimalOrNull(r.value),
        detectedAt: iso(r.detected_at),
      }));
      return pageOf(items, filter.limit, (d) => ({ at: d.barTime, id: d.id }));
    },
  };
}
