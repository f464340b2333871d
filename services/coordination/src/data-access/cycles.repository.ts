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
  };
}
