import crypto from 'node:crypto';
import { start as startNews } from '@catalyst/news/main';
import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { start as startPatterns } from '@catalyst/patterns/main';
import { start as startScanner } from '@catalyst/scanner/main';
import type { Db } from '@catalyst/shared';
import {
  createPrivateDatabase,
  startTestService,
  type PrivateDatabase,
  type TestService,
} from '@catalyst/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start as startTechnical } from '../../src/main';

const SIM_START = '2025-03-14T18:00:00Z'; // a Friday, 14:00 in New York: the regular session
const post = (svc: TestService, path: string, body: unknown) =>
  svc.call(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * The analysis half of a trading cycle with every service real: the simulator's news collected by
 * the news service, ranked by the scanner, read by the patterns service, and turned into a signal
 * by the technical service, each over HTTP, in a database of its own (other suites write catalysts
 * for the simulator's symbols too). What it proves is the chain of links: a signal can be traced
 * to the news item and the detections it used.
 */
describe('from a news item to an explained signal, through the real services', () => {
  let sim: RunningMarketSim;
  let pdb: PrivateDatabase;
  let db: Db;
  const services: TestService[] = [];
  let news: TestService;
  let scanner: TestService;
  let patterns: TestService;
  let technical: TestService;

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 7, speed: 0, startTime: SIM_START, eventsPerDay: 40 });
    pdb = await createPrivateDatabase('e2e');
    db = pdb.db;

    const env: Record<string, string> = {
      DATABASE_URL: pdb.url,
      CATALYST_API_TOKEN: crypto.randomBytes(24).toString('hex'),
      ALPACA_API_KEY: 'demo',
      ALPACA_SECRET_KEY: 'demo',
      ALPACA_BASE_URL: sim.url,
      ALPACA_DATA_URL: sim.url,
    };
    news = await startTestService(startNews, { ...env, NEWS_SCHEDULER: 'false', NEWS_DEFAULT_FEEDS: 'false' });
    services.push(news);
    env['NEWS_URL'] = news.url;
    patterns = await startTestService(startPatterns, env);
    services.push(patterns);
    env['PATTERNS_URL'] = patterns.url;
    scanner = await startTestService(startScanner, env);
    services.push(scanner);
    technical = await startTestService(startTechnical, env);
    services.push(technical);
  });
  afterAll(async () => {
    for (const s of services.reverse()) await s.stop();
    await pdb?.drop();
    await sim?.stop();
  });

  it('collects, scans, analyses and signals, and every link of the signal points at a stored row', async () => {
    const collected = await post(news, '/collect', {});
    expect(collected.status).toBe(200);
    const alpaca = (collected.body.results as Array<{ source: string; inserted: number }>).find(
      (r) => r.source === 'alpaca',
    );
    expect(alpaca?.inserted).toBeGreaterThan(0);

    const scan = await post(scanner, '/scan', { limit: 3 });
    expect(scan.status).toBe(201);
    const candidates = scan.body.candidates as Array<{
      symbol: string;
      catalystId: string | null;
      catalyst: { id: string; newsItemId: string | null; headline: string } | null;
    }>;
    expect(candidates.length).toBeGreaterThan(0);

    for (const candidate of candidates) {
      // Every candidate came from a catalyst the news service stored, with its news item.
      expect(candidate.catalyst).not.toBeNull();
      expect(candidate.catalystId).toBe(candidate.catalyst!.id);

      const signal = await post(technical, '/signals', { symbol: candidate.symbol });
      expect(signal.status, JSON.stringify(signal.body)).toBe(201);
      const s = signal.body as {
        id: string;
        action: 'BUY' | 'SELL' | 'HOLD';
        confidence: number;
        entry: number | null;
        stop: number | null;
        target: number | null;
        reasons: Array<{ factor: string; text: string }>;
        catalystId: string | null;
        newsItemIds: string[];
        detectionIds: string[];
      };
      // The technical service saw the same strongest catalyst the scanner ranked on.
      expect(s.catalystId).toBe(candidate.catalyst!.id);
      expect(s.newsItemIds).toContain(candidate.catalyst!.newsItemId);
      expect(s.reasons.find((r) => r.factor === 'catalyst')?.text).toContain(candidate.catalyst!.headline);
      if (s.action === 'BUY') expect(s.stop! < s.entry! && s.entry! < s.target!).toBe(true);
      if (s.action === 'SELL') expect(s.stop! > s.entry! && s.entry! > s.target!).toBe(true);

      // Stored, with link rows to the news item and to the detections the patterns service stored.
      const stored = await db.query<{ symbol: string; catalyst_id: string | null; action: string }>(
        'SELECT symbol, catalyst_id, action FROM signals WHERE id = $1',
        [s.id],
      );
      expect(stored.rows).toEqual([
        { symbol: candidate.symbol, catalyst_id: candidate.catalyst!.id, action: s.action.toLowerCase() },
      ]);
      const items = await db.query<{ news_item_id: string }>(
        'SELECT n.id AS news_item_id FROM signal_news_items l JOIN news_items n ON n.id = l.news_item_id WHERE l.signal_id = $1',
        [s.id],
      );
      expect(items.rows.map((r) => r.news_item_id).sort()).toEqual([...s.newsItemIds].sort());
      const detections = await db.query<{ id: string; symbol: string }>(
        `SELECT d.id, d.symbol FROM signal_detections l JOIN pattern_detections d ON d.id = l.detection_id
          WHERE l.signal_id = $1`,
        [s.id],
      );
      expect(detections.rows.map((r) => r.id).sort()).toEqual([...s.detectionIds].sort());
      expect(new Set(detections.rows.map((r) => r.symbol))).toEqual(
        new Set(detections.rows.length ? [candidate.symbol] : []),
      );

      // The single-signal view explains it with the same links.
      const view = await technical.call(`/signals/${s.id}`);
      expect(view.status).toBe(200);
      expect(view.body).toMatchObject({ id: s.id, catalystId: s.catalystId });
    }

    // The patterns service analysed at least one symbol and stored what it found.
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM pattern_detections');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });
});
