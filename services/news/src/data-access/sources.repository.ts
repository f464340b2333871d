import { Conflict, NotFound, type Db, type DbTx } from '@catalyst/shared';
import type { CircuitState, PollOutcome } from '../scheduling/poll-policy';
import type { SourceKind, SourceSeed } from '../sources/default-sources';

/** A news_sources row, as the service works with it. */
export interface SourceState {
  id: string;
  name: string;
  kind: SourceKind;
  url: string | null;
  enabled: boolean;
  pollIntervalSeconds: number;
  rateLimitPerMinute: number | null;
  options: Record<string, unknown>;
  lastPolledAt: number | null;
  lastSuccessAt: number | null;
  lastErrorAt: number | null;
  lastError: string | null;
  consecutiveFailures: number;
  circuitState: CircuitState;
  circuitOpenedAt: number | null;
  nextPollAt: number | null;
  itemsTotal: number;
}

interface SourceRow {
  id: string;
  name: string;
  kind: SourceKind;
  url: string | null;
  enabled: boolean;
  poll_interval_seconds: number;
  rate_limit_per_minute: number | null;
  options: Record<string, unknown> | null;
  last_polled_at: Date | null;
  last_success_at: Date | null;
  last_error_at: Date | null;
  last_error: string | null;
  consecutive_failures: number;
  circuit_state: CircuitState;
  circuit_opened_at: Date | null;
  next_poll_at: Date | null;
  items_total: string;
}

const ms = (d: Date | null): number | null => (d === null ? null : d.getTime());
const at = (t: number | null): Date | null => (t === null ? null : new Date(t));

function toState(r: SourceRow): SourceState {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    url: r.url,
    enabled: r.enabled,
    pollIntervalSeconds: r.poll_interval_seconds,
    rateLimitPerMinute: r.rate_limit_per_minute,
    options: r.options ?? {},
    lastPolledAt: ms(r.last_polled_at),
    lastSuccessAt: ms(r.last_success_at),
    lastErrorAt: ms(r.last_error_at),
    lastError: r.last_error,
    consecutiveFailures: r.consecutive_failures,
    circuitState: r.circuit_state,
    circuitOpenedAt: ms(r.circuit_opened_at),
    nextPollAt: ms(r.next_poll_at),
    itemsTotal: Number(r.items_total),
  };
}

/** The source as the audit log records it (no status counters). */
function auditView(s: SourceState): Record<string, unknown> {
  return {
    name: s.name,
    kind: s.kind,
    url: s.url,
    enabled: s.enabled,
    pollIntervalSeconds: s.pollIntervalSeconds,
    rateLimitPerMinute: s.rateLimitPerMinute,
    options: s.options,
  };
}

export interface AuditEntry {
  actor: string;
  action: string;
  requestId?: string | undefined;
}

const COLUMNS = `id, name, kind, url, enabled, poll_interval_seconds, rate_limit_per_minute, options, last_polled_at,
  last_success_at, last_error_at, last_error, consecutive_failures, circuit_state, circuit_opened_at, next_poll_at, items_total`;

async function audit(
  tx: DbTx,
  entry: AuditEntry,
  name: string,
  before: SourceState | null,
  after: SourceState | null,
): Promise<void> {
  await tx.query(
    `INSERT INTO audit_log (actor, action, entity_type, entity_id, before, after, request_id)
     VALUES ($1, $2, 'news_source', $3, $4, $5, $6)`,
    [
      entry.actor,
      entry.action,
      name,
      before ? JSON.stringify(auditView(before)) : null,
      after ? JSON.stringify(auditView(after)) : null,
      entry.requestId ?? null,
    ],
  );
}

/** news_sources: the sources, their settings and their polling status. SQL for sources lives here. */
export function createSourcesRepository(db: Db) {
  async function lockedGet(tx: DbTx, name: string): Promise<SourceState | null> {
    const { rows } = await tx.query<SourceRow>(`SELECT ${COLUMNS} FROM news_sources WHERE name = $1 FOR UPDATE`, [
      name,
    ]);
    return rows[0] ? toState(rows[0]) : null;
  }

  return {
    async list(): Promise<SourceState[]> {
      const { rows } = await db.query<SourceRow>(`SELECT ${COLUMNS} FROM news_sources ORDER BY name`);
      return rows.map(toState);
    },

    async get(name: string): Promise<SourceState | null> {
      const { rows } = await db.query<SourceRow>(`SELECT ${COLUMNS} FROM news_sources WHERE name = $1`, [name]);
      return rows[0] ? toState(rows[0]) : null;
    },

    /** Writes sources that do not exist yet; an existing row (and an operator's changes to it) is kept. */
    async seed(seeds: readonly SourceSeed[]): Promise<void> {
      for (const s of seeds) {
        await db.query(
          `INSERT INTO news_sources (name, kind, url, enabled, poll_interval_seconds, rate_limit_per_minute, options)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO NOTHING`,
          [
            s.name,
            s.kind,
            s.url,
            s.enabled ?? true,
            s.pollIntervalSeconds,
            s.rateLimitPerMinute,
            JSON.stringify(s.options),
          ],
        );
      }
    },

    /**
     * Adds a source, or updates and enables the one of that name when it is the same kind (and,
     * for a feed, the same URL): repeating a POST changes nothing new. Another source of that
     * name is a conflict.
     */
    async upsert(seed: SourceSeed, entry: AuditEntry): Promise<{ source: SourceState; created: boolean }> {
      return db.transaction(async (tx) => {
        const before = await lockedGet(tx, seed.name);
        if (before && (before.kind !== seed.kind || (seed.kind === 'rss' && before.url !== seed.url))) {
          throw new Conflict(`A ${before.kind} source named ${seed.name} already exists`, {
            name: seed.name,
            kind: before.kind,
            url: before.url,
          });
        }
        const { rows } = await tx.query<SourceRow>(
          before
            ? `UPDATE news_sources SET enabled = $4, poll_interval_seconds = $5, rate_limit_per_minute = $6, options = $7,
                      url = $3, updated_at = now(),
                      next_poll_at = CASE WHEN enabled THEN next_poll_at ELSE NULL END
                WHERE name = $1 AND kind = $2 RETURNING ${COLUMNS}`
            : `INSERT INTO news_sources (name, kind, url, enabled, poll_interval_seconds, rate_limit_per_minute, options)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
          [
            seed.name,
            seed.kind,
            seed.url,
            seed.enabled ?? true,
            seed.pollIntervalSeconds,
            seed.rateLimitPerMinute,
            JSON.stringify(seed.options),
          ],
        );
        const source = toState(rows[0]!);
        await audit(tx, entry, seed.name, before, source);
        return { source, created: before === null };
      });
    },

    /** Deletes a source nothing cites yet; disables one whose items are stored (they keep their provenance). */
    async remove(name: string, entry: AuditEntry): Promise<{ outcome: 'removed' | 'disabled'; source: SourceState }> {
      return db.transaction(async (tx) => {
        const before = await lockedGet(tx, name);
        if (!before) throw new NotFound(`No news source named ${name}`, { name });
        const cited = await tx.query('SELECT 1 FROM news_items WHERE source_id = $1 LIMIT 1', [before.id]);
        const removable = before.kind === 'rss' && cited.rowCount === 0;
        if (removable) {
          await tx.query('DELETE FROM news_sources WHERE id = $1', [before.id]);
          await audit(tx, { ...entry, action: 'news_source.remove' }, name, before, null);
          return { outcome: 'removed', source: { ...before, enabled: false } };
        }
        const { rows } = await tx.query<SourceRow>(
          `UPDATE news_sources SET enabled = false, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
          [before.id],
        );
        const source = toState(rows[0]!);
        await audit(tx, { ...entry, action: 'news_source.disable' }, name, before, source);
        return { outcome: 'disabled', source };
      });
    },

    /** The breaker's probe is starting (open → half_open). */
    async markProbing(name: string): Promise<void> {
      await db.query(
        `UPDATE news_sources SET circuit_state = 'half_open', updated_at = now() WHERE name = $1 AND circuit_state = 'open'`,
        [name],
      );
    },

    /** Writes the outcome of a poll: status, breaker, next poll, items taken. */
    async recordPoll(
      name: string,
      outcome: PollOutcome,
      result: { at: number; ok: boolean; error?: string | null; inserted: number; deferred?: boolean },
    ): Promise<void> {
      await db.query(
        `UPDATE news_sources SET
           last_polled_at = CASE WHEN $8 THEN last_polled_at ELSE $2 END,
           last_success_at = CASE WHEN $3 THEN $2 ELSE last_success_at END,
           last_error_at = CASE WHEN NOT $3 AND NOT $8 THEN $2 ELSE last_error_at END,
           last_error = CASE WHEN $3 THEN last_error WHEN $8 THEN last_error ELSE $4 END,
           consecutive_failures = $5, circuit_state = $6, circuit_opened_at = $7, next_poll_at = $9,
           items_total = items_total + $10, updated_at = now()
         WHERE name = $1`,
        [
          name,
          new Date(result.at),
          result.ok,
          result.error ?? null,
          outcome.consecutiveFailures,
          outcome.circuitState,
          at(outcome.circuitOpenedAt),
          result.deferred === true,
          new Date(outcome.nextPollAt),
          result.inserted,
        ],
      );
    },
  };
}

export type SourcesRepository = ReturnType<typeof createSourcesRepository>;
