import { decimalOrNull, iso, isoOrNull, trimDecimal, type Db, type Scan, type ScanCatalyst } from '@catalyst/shared';
import type { z } from 'zod';

export type ScanRecord = z.infer<typeof Scan>;
export type ScanCatalystRecord = z.infer<typeof ScanCatalyst>;

/** A finished scan as the use case hands it over: stored whole or not at all. */
export interface NewScan {
  cycleId: string | null;
  session: ScanRecord['session'];
  startedAt: Date;
  finishedAt: Date;
  universeSize: number;
  parameters: Record<string, unknown>;
  candidates: Array<{
    symbol: string;
    rank: number;
    /** Decimal string in 0..1. */
    score: string;
    reasons: string[];
    catalyst: ScanCatalystRecord | null;
    /** Decimal string. */
    price: string;
    metrics: Record<string, unknown>;
  }>;
}

export type ScansRepository = ReturnType<typeof createScansRepository>;

export function createScansRepository(db: Db) {
  async function load(where: string, params: unknown[]): Promise<ScanRecord | undefined> {
    const { rows } = await db.query<{
      id: string;
      cycle_id: string | null;
      session: ScanRecord['session'];
      started_at: Date;
      finished_at: Date | null;
      universe_size: number | null;
      parameters: Record<string, unknown>;
    }>(`SELECT id, cycle_id, session, started_at, finished_at, universe_size, parameters FROM scans ${where}`, params);
    const scan = rows[0];
    if (!scan) return undefined;
    const candidates = await db.query<{
      symbol: string;
      rank: number;
      score: string;
      reasons: unknown[];
      catalyst_id: string | null;
      catalyst: ScanCatalystRecord | null;
      price: string | null;
      metrics: Record<string, unknown>;
    }>(
      'SELECT symbol, rank, score, reasons, catalyst_id, catalyst, price, metrics FROM scan_candidates WHERE scan_id = $1 ORDER BY rank',
      [scan.id],
    );
    return {
      id: scan.id,
      cycleId: scan.cycle_id,
      session: scan.session,
      startedAt: iso(scan.started_at),
      finishedAt: isoOrNull(scan.finished_at),
      universeSize: scan.universe_size,
      parameters: scan.parameters,
      candidates: candidates.rows.map((c) => ({
        symbol: c.symbol,
        rank: c.rank,
        score: trimDecimal(c.score),
        reasons: c.reasons,
        catalystId: c.catalyst_id,
        catalyst: c.catalyst,
        price: decimalOrNull(c.price),
        metrics: c.metrics,
      })),
    };
  }

  return {
    latest: () => load('ORDER BY started_at DESC, id DESC LIMIT 1', []),
    get: (id: string) => load('WHERE id = $1', [id]),

    async cycleExists(id: string): Promise<boolean> {
      const { rows } = await db.query('SELECT 1 FROM trading_cycles WHERE id = $1', [id]);
      return rows.length > 0;
    },

    /** The scan and its candidates in one transaction; returns the scan's id. */
    async insert(scan: NewScan): Promise<string> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO scans (cycle_id, session, universe_size, candidate_count, parameters, started_at, finished_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
          [
            scan.cycleId,
            scan.session,
            scan.universeSize,
            scan.candidates.length,
            JSON.stringify(scan.parameters),
            scan.startedAt,
            scan.finishedAt,
          ],
        );
        const id = rows[0]!.id;
        if (scan.candidates.length > 0) {
          // One statement for every candidate. catalyst_id is kept only when the news service's
          // catalyst is in this database (it is, unless it was pruned meanwhile): the foreign key
          // must not fail a scan, and the catalyst column keeps what the ranking saw either way.
          await tx.query(
            `INSERT INTO scan_candidates (scan_id, symbol, rank, score, reasons, catalyst_id, catalyst, price, metrics)
             SELECT $1, c.symbol, c.rank, c.score, c.reasons, k.id, c.catalyst, c.price, c.metrics
               FROM jsonb_to_recordset($2::jsonb)
                 AS c(symbol text, rank int, score numeric, reasons jsonb, catalyst_id uuid, catalyst jsonb, price numeric, metrics jsonb)
               LEFT JOIN catalysts k ON k.id = c.catalyst_id`,
            [
              id,
              JSON.stringify(
                scan.candidates.map((c) => ({
                  symbol: c.symbol,
                  rank: c.rank,
                  score: c.score,
                  reasons: c.reasons,
                  catalyst_id: c.catalyst?.id ?? null,
                  catalyst: c.catalyst,
                  price: c.price,
                  metrics: c.metrics,
                })),
              ),
            ],
          );
        }
        return id;
      });
    },
  };
}
