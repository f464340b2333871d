import { createMarketDataFromConfig, marketDataConfig, type MarketData } from '@catalyst/market-data';
import { defaultUniverse, startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import type { Db, Env } from '@catalyst/shared';
import { silentLogger, startTestService, uniquePrefix, uniqueSymbol, type TestService } from '@catalyst/shared/testing';
import { z } from 'zod';
import { start } from '../../src/main';
import { startNewsFixture, startPatternsFixture } from './upstream-fixtures';

/** Tuesday 10 March 2026, 11:30 New York: two hours into the regular session. */
export const SIM_START = '2026-03-10T15:30:00Z';

export type NewsFixture = Awaited<ReturnType<typeof startNewsFixture>>;
export type PatternsFixture = Awaited<ReturnType<typeof startPatternsFixture>>;

export interface SignalsHarness {
  sim: RunningMarketSim;
  svc: TestService;
  news: NewsFixture;
  patterns: PatternsFixture;
  /** The simulator's market data, read directly (no cache), to check the service against. */
  marketData: MarketData;
  /** Symbols of this run only (the simulator's universe renamed), so no other test's rows touch them. */
  symbols: string[];
  /** A real news item and catalyst row for `symbol`, which the news fixture then reports. */
  addCatalyst(
    symbol: string,
    c: { direction: 'bullish' | 'bearish'; score: number; minutesAgo?: number },
  ): Promise<{ catalystId: string; newsItemId: string }>;
  /** Real pattern_detections rows for `symbol`, which the patterns fixture then reports with the levels. */
  setPatterns(
    symbol: string,
    detections: Array<{
      timeframe: string;
      name: string;
      direction: 'bullish' | 'bearish' | 'neutral';
      confidence: number;
      barTime: string;
    }>,
    levels?: { support: number[]; resistance: number[] },
  ): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The technical service on port 0 against the simulator (stopped clock), PostgreSQL and Redis, with
 * contract-checked stand-ins for the news and patterns services whose ids point at real rows.
 */
export async function startSignalsHarness(db: Db, env: Env = {}): Promise<SignalsHarness> {
  const stocks = defaultUniverse(12).map((s) => ({ ...s, symbol: uniqueSymbol() }));
  const sim = await startMarketSim({ seed: 42, speed: 0, startTime: SIM_START, stocks });
  let token = '';
  const news = await startNewsFixture(() => token);
  const patterns = await startPatternsFixture(() => token);
  const svc = await startTestService(start, {
    ALPACA_DATA_URL: sim.url,
    ALPACA_BASE_URL: sim.url,
    ALPACA_API_KEY: 'demo',
    ALPACA_SECRET_KEY: 'demo',
    NEWS_URL: news.url,
    PATTERNS_URL: patterns.url,
    ...env,
  });
  token = svc.token;
  const marketData = createMarketDataFromConfig(
    z
      .object(marketDataConfig)
      .parse({ ALPACA_DATA_URL: sim.url, ALPACA_BASE_URL: sim.url, MARKET_DATA_CACHE: 'false' }),
    { bus: svc.bus, log: silentLogger() },
  );
  const source = await db.query<{ id: string }>(
    `INSERT INTO news_sources (name, kind, url) VALUES ($1, 'rss', 'http://127.0.0.1:9/feed') RETURNING id`,
    [uniquePrefix('technical').toLowerCase()],
  );

  return {
    sim,
    svc,
    news,
    patterns,
    marketData,
    symbols: stocks.map((s) => s.symbol),
    async addCatalyst(symbol, c) {
      const minutesAgo = c.minutesAgo ?? 1;
      const headline = `${symbol} ${c.direction === 'bullish' ? 'beats' : 'misses'} estimates`;
      const type = c.direction === 'bullish' ? 'earnings_beat' : 'earnings_miss';
      const item = await db.query<{ id: string }>(
        `INSERT INTO news_items (source_id, url, title) VALUES ($1, $2, $3) RETURNING id`,
        [source.rows[0]!.id, `https://news.example/${uniquePrefix(symbol)}`, headline],
      );
      const row = await db.query<{ id: string; detected_at: Date }>(
        `INSERT INTO catalysts (news_item_id, symbol, type, direction, score, detected_at)
         VALUES ($1, $2, $3, $4, $5, now() - make_interval(mins => $6::int)) RETURNING id, detected_at`,
        [item.rows[0]!.id, symbol, type, c.direction, c.score, minutesAgo],
      );
      news.catalysts.set(symbol, {
        catalystId: row.rows[0]!.id,
        newsItemId: item.rows[0]!.id,
        headline,
        type,
        direction: c.direction,
        score: c.score,
        detectedAt: row.rows[0]!.detected_at.toISOString(),
      });
      return { catalystId: row.rows[0]!.id, newsItemId: item.rows[0]!.id };
    },
    async setPatterns(symbol, detections, levels = { support: [], resistance: [] }) {
      const stored = [];
      for (const d of detections) {
        const row = await db.query<{ id: string; detected_at: Date }>(
          `INSERT INTO pattern_detections (symbol, timeframe, name, direction, confidence, bar_time, value)
           VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, detected_at`,
          [symbol, d.timeframe, d.name, d.direction, d.confidence, d.barTime, d.direction === 'bearish' ? -100 : 100],
        );
        stored.push({
          id: row.rows[0]!.id,
          symbol,
          timeframe: d.timeframe,
          name: d.name,
          direction: d.direction,
          confidence: String(d.confidence),
          barTime: d.barTime,
          value: d.direction === 'bearish' ? '-100' : '100',
          details: {},
          cycleId: null,
          detectedAt: row.rows[0]!.detected_at.toISOString(),
        });
      }
      patterns.analyses.set(symbol, { catalyst: null, newsContext: 'available', detections: stored, levels });
      return stored.map((s) => s.id);
    },
    async stop() {
      await svc.stop();
      await news.stop();
      await patterns.stop();
      await sim.stop();
    },
  };
}
