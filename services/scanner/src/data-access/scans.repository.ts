import { decimalOrNull, iso, isoOrNull, trimDecimal, type Db, type Scan } from '@catalyst/shared';
import type { z } from 'zod';

type ScanRecord = z.infer<typeof Scan>;

export function createScansRepository(db: Db) {
  async function load(where: string, params: unknown[]): Promise<ScanRecord | undefined> {
    const { rows } = await db.query<{
      id: string;
      cycle_id: string | null;
      started_at: Date;
      finished_at: Date | null;
      universe_size: number | null;
    }>(`SELECT id, cycle_id, started_at, finished_at, universe_size FROM scans ${where}`, params);
    const scan = rows[0];
    if (!scan) return undefined;
    const candidates = await db.query<{
      symbol: string;
      rank: number;
      score: string;
      reasons: unknown[];
      catalyst_id: string | null;
      price: string | null;
      metrics: Record<string, unknown>;
    }>(
      'SELECT symbol, rank, score, reasons, catalyst_id, price, metrics FROM scan_candidates WHERE scan_id = $1 ORDER BY rank',
      [scan.id],
    );
    return {
      id: scan.id,
      cycleId: scan.cycle_id,
      startedAt: iso(scan.started_at),
      finishedAt: isoOrNull(scan.finished_at),
      universeSize: scan.universe_size,
      candidates: candidates.rows.map((c) => ({
        symbol: c.symbol,
        rank: c.rank,
        score: trimDecimal(c.score),
        reasons: c.reasons,
        catalystId: c.catalyst_id,
        price: decimalOrNull(c.price),
        metrics: c.metrics,
      })),
    };
  }

  return {
    latest: () => load('ORDER BY started_at DESC, id DESC LIMIT 1', []),
    get: (id: string) => load('WHERE id = $1', [id]),
  };
}
