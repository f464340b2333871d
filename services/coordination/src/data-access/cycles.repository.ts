import {
  decodeCursor,
  iso,
  isoOrNull,
  pageOf,
  type Cycle,
  type CycleSummary,
  type Db,
  type Setting,
} from '@catalyst/shared';
import type { z } from 'zod';

type CycleSummaryRecord = z.infer<typeof CycleSummary>;
type CycleRecord = z.infer<typeof Cycle>;
type SettingRecord = z.infer<typeof Setting>;

interface CycleRow {
  id: string;
  trigger: CycleSummaryRecord['trigger'];
  symbol: string | null;
  session: CycleSummaryRecord['session'];
  status: CycleSummaryRecord['status'];
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
  summary: Record<string, unknown>;
}

function toSummary(r: CycleRow): CycleSummaryRecord {
  return {
    id: r.id,
    trigger: r.trigger,
    symbol: r.symbol,
    session: r.session,
    status: r.status,
    error: r.error,
    startedAt: iso(r.started_at),
    finishedAt: isoOrNull(r.finished_at),
  };
}

/** Thrown by a fenced write when a later lock holder has taken over: the cycle stops writing. */
export class FencedOut extends Error {
  constructor(cycleId: string) {
    super(`cycle ${cycleId} lost the cycle lock to a later holder: its writes are refused`);
    this.name = 'FencedOut';
  }
}

export type CyclesRepository = ReturnType<typeof createCyclesRepository>;

export function createCyclesRepository(db: Db) {
  return {
    async list(filter: {
      limit: number;
      cursor?: string | undefined;
      status?: CycleSummaryRecord['status'] | undefined;
    }) {
      const after = decodeCursor(filter.cursor);
      const { rows } = await db.query<CycleRow>(
        `SELECT * FROM trading_cycles
          WHERE ($1::text IS NULL OR status = $1)
            AND ($2::timestamptz IS NULL OR (started_at, id) < ($2::timestamptz, $3::uuid))
          ORDER BY started_at DESC, id DESC
          LIMIT $4`,
        [filter.status ?? null, after?.at ?? null, after?.id ?? null, filter.limit + 1],
      );
      return pageOf(rows.map(toSummary), filter.limit, (c) => ({ at: c.startedAt, id: c.id }));
    },

    async get(id: string): Promise<CycleRecord | undefined> {
      const { rows } = await db.query<CycleRow>('SELECT * FROM trading_cycles WHERE id = $1', [id]);
      const cycle = rows[0];
      if (!cycle) return undefined;
      const steps = await db.query<{
        name: string;
        seq: number;
        status: CycleRecord['steps'][number]['status'];
        started_at: Date | null;
        finished_at: Date | null;
        duration_ms: number | null;
        error: string | null;
        input: unknown;
        output: unknown;
      }>('SELECT * FROM cycle_steps WHERE cycle_id = $1 ORDER BY seq', [id]);
      return {
        ...toSummary(cycle),
        summary: cycle.summary,
        steps: steps.rows.map((s) => ({
          name: s.name,
          seq: s.seq,
          status: s.status,
          startedAt: isoOrNull(s.started_at),
          finishedAt: isoOrNull(s.finished_at),
          durationMs: s.duration_ms,
          error: s.error,
          input: s.input,
          output: s.output,
        })),
      };
    },

    /** The latest cycle for a symbol (fast-path cooldown), or null. */
    async lastForSymbol(symbol: string): Promise<{ status: CycleRow['status']; startedAt: number } | null> {
      const { rows } = await db.query<{ status: CycleRow['status']; started_at: Date }>(
        'SELECT status, started_at FROM trading_cycles WHERE symbol = $1 ORDER BY started_at DESC LIMIT 1',
        [symbol],
      );
      const r = rows[0];
      return r ? { status: r.status, startedAt: r.started_at.getTime() } : null;
    },

    /** When the latest scheduled cycle started (the schedule counts its interval from it). */
    async lastScheduledStart(): Promise<number | null> {
      const { rows } = await db.query<{ at: Date | null }>(
        `SELECT max(coalesce((summary->>'scheduledAt')::timestamptz, started_at)) AS at
           FROM trading_cycles WHERE trigger = 'schedule'`,
      );
      return rows[0]?.at ? rows[0].at.getTime() : null;
    },

    async runningId(): Promise<string | null> {
      const { rows } = await db.query<{ id: string }>(
        "SELECT id FROM trading_cycles WHERE status = 'running' ORDER BY started_at DESC LIMIT 1",
      );
      return rows[0]?.id ?? null;
    },

    /**
     * Cycles left running by a process that died: called only by the holder of the cycle lock, so
     * nothing else can be running. Returns the ids it failed.
     */
    async failAbandoned(reason: string): Promise<string[]> {
      const { rows } = await db.query<{ id: string }>(
        `UPDATE trading_cycles SET status = 'failed', error = $1, finished_at = greatest(now(), started_at)
          WHERE status = 'running' RETURNING id`,
        [reason],
      );
      if (rows.length > 0) {
        await db.query(
          `UPDATE cycle_steps SET status = 'failed', error = $2, finished_at = greatest(now(), started_at),
                  duration_ms = greatest(0, (extract(epoch FROM now() - started_at) * 1000)::int)
            WHERE cycle_id = ANY($1::uuid[]) AND status = 'running'`,
          [rows.map((r) => r.id), reason],
        );
      }
      return rows.map((r) => r.id);
    },

    async create(c: {
      trigger: CycleRow['trigger'];
      symbol: string | null;
      catalystId: string | null;
      session: CycleRow['session'];
      requestedBy: string | null;
      fencingToken: number;
      summary: Record<string, unknown>;
    }): Promise<{ id: string; startedAt: Date }> {
      const { rows } = await db.query<{ id: string; started_at: Date }>(
        `INSERT INTO trading_cycles (trigger, symbol, catalyst_id, session, requested_by, fencing_token, summary)
         VALUES ($1, $2, (SELECT id FROM catalysts WHERE id = $3), $4, $5, $6, $7) RETURNING id, started_at`,
        [c.trigger, c.symbol, c.catalystId, c.session, c.requestedBy, c.fencingToken, JSON.stringify(c.summary)],
      );
      return { id: rows[0]!.id, startedAt: rows[0]!.started_at };
    },

    /** A fenced writer for one cycle: every write is refused once a later lock holder has started a cycle. */
    writer(cycle: { id: string; fencingToken: number }) {
      // A holder whose lock expired and was taken sees a cycle with a higher token that started
      // after its own: from then on its writes change nothing (and it stops).
      const fence = `NOT EXISTS (SELECT 1 FROM trading_cycles o
                                   WHERE o.fencing_token > $2 AND o.id <> $1
                                     AND o.started_at >= (SELECT started_at FROM trading_cycles WHERE id = $1))`;
      const fenced = (n: number) => {
        if (n === 0) throw new FencedOut(cycle.id);
      };
      // Skipped steps take no time and nothing waits on them: they are written with the cycle's
      // next write, in the same statement, instead of a round trip each (a fast-path cycle skips
      // three steps before its first real one). Their times are that write's.
      let skipped: Array<{ seq: number; name: string; output: unknown }> = [];
      const takeSkipped = () => {
        const rows = skipped;
        skipped = [];
        return JSON.stringify(rows);
      };
      const insertSkipped = (param: string) =>
        `INSERT INTO cycle_steps (cycle_id, seq, name, status, started_at, finished_at, duration_ms, input, output, error)
         SELECT $1, s.seq, s.name, 'skipped', clock_timestamp(), clock_timestamp(), 0, NULL, s.output, NULL
           FROM jsonb_to_recordset(${param}::jsonb) AS s(seq int, name text, output jsonb)
          WHERE ${fence}`;
      return {
        async startStep(seq: number, name: string, input: unknown): Promise<Date> {
          const { rows, rowCount } = await db.query<{ started_at: Date }>(
            `WITH skipped AS (${insertSkipped('$6')})
             INSERT INTO cycle_steps (cycle_id, seq, name, status, started_at, input)
             SELECT $1, $3, $4, 'running', clock_timestamp(), $5 WHERE ${fence} RETURNING started_at`,
            [cycle.id, cycle.fencingToken, seq, name, JSON.stringify(input ?? null), takeSkipped()],
          );
          fenced(rowCount);
          return rows[0]!.started_at;
        },
        async finishStep(
          seq: number,
          outcome: {
            status: 'completed' | 'failed' | 'skipped';
            durationMs: number;
            output: unknown;
            error: string | null;
          },
        ): Promise<void> {
          const { rowCount } = await db.query(
            `UPDATE cycle_steps SET status = $3, finished_at = greatest(clock_timestamp(), started_at), duration_ms = $4,
                    output = $5, error = $6
              WHERE cycle_id = $1 AND seq = $7 AND ${fence}`,
            [
              cycle.id,
              cycle.fencingToken,
              outcome.status,
              Math.max(0, Math.round(outcome.durationMs)),
              JSON.stringify(outcome.output ?? null),
              outcome.error,
              seq,
            ],
          );
          fenced(rowCount);
        },
        /** Recorded with the next `startStep` or `finish`. */
        skipStep(seq: number, name: string, reason: string, output: unknown = null): void {
          skipped.push({ seq, name, output: { reason, ...(output as object) } });
        },
        async finish(status: 'completed' | 'failed', error: string | null, summary: Record<string, unknown>) {
          const { rowCount } = await db.query(
            `WITH skipped AS (${insertSkipped('$6')})
             UPDATE trading_cycles SET status = $3, error = $4, finished_at = greatest(clock_timestamp(), started_at),
                    summary = summary || $5::jsonb
              WHERE id = $1 AND status = 'running' AND ${fence}`,
            [cycle.id, cycle.fencingToken, status, error, JSON.stringify(summary), takeSkipped()],
          );
          fenced(rowCount);
        },
      };
    },

    /** When a news item reached us, for news → order latency. */
    async newsReceivedAt(catalystId: string): Promise<{ newsItemId: string; receivedAt: Date } | null> {
      const { rows } = await db.query<{ id: string; received_at: Date }>(
        `SELECT n.id, n.received_at FROM catalysts c JOIN news_items n ON n.id = c.news_item_id WHERE c.id = $1`,
        [catalystId],
      );
      return rows[0] ? { newsItemId: rows[0].id, receivedAt: rows[0].received_at } : null;
    },

    /** The stored candidate ids of a scan by symbol (the scan's answer names symbols, not rows). */
    async candidateIds(scanId: string): Promise<Map<string, string>> {
      const { rows } = await db.query<{ id: string; symbol: string }>(
        'SELECT id, symbol FROM scan_candidates WHERE scan_id = $1',
        [scanId],
      );
      return new Map(rows.map((r) => [r.symbol, r.id]));
    },
  };
}

export function createSettingsRepository(db: Db) {
  return {
    async all(): Promise<SettingRecord[]> {
      const { rows } = await db.query<{
        key: string;
        value: unknown;
        description: string | null;
        updated_at: Date;
        updated_by: string;
      }>('SELECT key, value, description, updated_at, updated_by FROM settings ORDER BY key');
      return rows.map((r) => ({
        key: r.key,
        value: r.value,
        description: r.description,
        updatedAt: iso(r.updated_at),
        updatedBy: r.updated_by,
      }));
    },

    /** key → stored value (parsed jsonb): what the domain's settings functions read. */
    async values(): Promise<Record<string, unknown>> {
      const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
      return Object.fromEntries(rows.map((r) => [r.key, r.value]));
    },

    /**
     * Validates and applies a patch in one transaction: the rows are locked while `decide` reads
     * them, so two concurrent edits cannot both pass a cross-key check (min_price below max_price)
     * on values the other is changing. Writes only the changed keys, each with an audit row.
     */
    async update<R extends { ok: true; settings: Record<string, unknown>; changed: string[] } | { ok: false }>(
      decide: (current: Record<string, unknown>) => R,
      audit: { actor: string; requestId: string | null },
    ): Promise<R> {
      return db.transaction(async (tx) => {
        const { rows } = await tx.query<{ key: string; value: unknown }>('SELECT key, value FROM settings FOR UPDATE');
        const current = Object.fromEntries(rows.map((r) => [r.key, r.value]));
        const result = decide(current);
        if (!result.ok) return result;
        for (const key of result.changed) {
          const after = result.settings[key];
          await tx.query(
            `INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2::jsonb, now(), $3)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now(), updated_by = EXCLUDED.updated_by`,
            [key, JSON.stringify(after), audit.actor],
          );
          await tx.query(
            `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
             VALUES ($1, 'settings.update', 'setting', $2, $3::jsonb, $4::jsonb, $5)`,
            [
              audit.actor,
              key,
              Object.hasOwn(current, key) ? JSON.stringify(current[key]) : null,
              JSON.stringify(after),
              audit.requestId,
            ],
          );
        }
        return result;
      });
    },
  };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
