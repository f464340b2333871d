import { iso, type Db } from '@catalyst/shared';
import type { NewsSourceHealth } from '@catalyst/domain';

/** What an order placed for a signal needs of it: its levels, its state and the news behind it. */
export interface SignalContext {
  id: string;
  symbol: string;
  action: 'buy' | 'sell' | 'hold';
  entryPrice: string | null;
  stopPrice: string | null;
  targetPrice: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'expired' | 'executed' | 'refused';
  createdAt: string;
  expiresAt: string | null;
  /** The catalyst's news and the health of every source that fed it; null when the signal has none. */
  catalyst: { publishedAt: string; sources: NewsSourceHealth[] } | null;
}

export interface SignalsRepository {
  context(signalId: string): Promise<SignalContext | null>;
}

export function createSignalsRepository(db: Db): SignalsRepository {
  return {
    async context(signalId) {
      const { rows } = await db.query<{
        id: string;
        symbol: string;
        action: SignalContext['action'];
        entry_price: string | null;
        stop_price: string | null;
        target_price: string | null;
        status: SignalContext['status'];
        created_at: Date;
        expires_at: Date | null;
        catalyst_id: string | null;
        news_item_id: string | null;
      }>(
        `SELECT id, symbol, action, entry_price, stop_price, target_price, status, created_at, expires_at,
                catalyst_id, news_item_id
           FROM signals WHERE id = $1`,
        [signalId],
      );
      const s = rows[0];
      if (!s) return null;
      // The news behind the signal: its catalyst's item, the signal's own item, and the items linked
      // to it (migration 0002). Freshness is the newest of them; every source that fed one counts.
      const news = await db.query<{
        published: Date;
        name: string;
        circuit_state: NewsSourceHealth['circuitState'];
        failing: boolean;
      }>(
        `SELECT COALESCE(ni.published_at, ni.received_at) AS published, ns.name, ns.circuit_state,
                (ns.last_error_at IS NOT NULL AND (ns.last_success_at IS NULL OR ns.last_error_at > ns.last_success_at))
                  AS failing
           FROM news_items ni
           JOIN news_sources ns ON ns.id = ni.source_id
          WHERE ni.id IN (
                  SELECT news_item_id FROM catalysts WHERE id = $1
                  UNION SELECT $2::uuid
                  UNION SELECT news_item_id FROM signal_news_items WHERE signal_id = $3)`,
        [s.catalyst_id, s.news_item_id, s.id],
      );
      let catalyst: SignalContext['catalyst'] = null;
      if (news.rows.length > 0) {
        const newest = news.rows.reduce((a, b) => (a.published > b.published ? a : b));
        const sources = new Map<string, NewsSourceHealth>();
        for (const r of news.rows)
          sources.set(r.name, { name: r.name, circuitState: r.circuit_state, failing: r.failing });
        catalyst = { publishedAt: iso(newest.published), sources: [...sources.values()] };
      }
      return {
        id: s.id,
        symbol: s.symbol,
        action: s.action,
        entryPrice: s.entry_price,
        stopPrice: s.stop_price,
        targetPrice: s.target_price,
        status: s.status,
        createdAt: iso(s.created_at),
        expiresAt: s.expires_at ? iso(s.expires_at) : null,
        catalyst,
      };
    },
  };
}
