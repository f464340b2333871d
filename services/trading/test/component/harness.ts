import crypto from 'node:crypto';
import { startMarketSim } from '@catalyst/market-sim';
import { connectDb, type Db } from '@catalyst/shared';
import {
  silentLogger,
  startTestService,
  testDatabaseKind,
  testDatabaseUrl,
  type TestService,
} from '@catalyst/shared/testing';
import pg from 'pg';
import { createAlpacaBroker } from '../../src/broker/alpaca-broker';
import type { Broker, BrokerOrderRequest } from '../../src/broker/broker';
import { createMarketQuotes } from '../../src/data-access/market-quote.client';
import { start } from '../../src/main';
import { createEntryGate, type EntryGate } from '../../src/reconciliation/entry-gate';

export type Sim = Awaited<ReturnType<typeof startMarketSim>>;

/** A Friday at 11:00 New York time: the regular session, so entries are allowed. */
export const SIM_START = '2025-03-14T15:00:00Z';

/**
 * A database of this file's own (created and migrated by the service at boot), because the kill
 * switch is one global settings row: halting it in the shared test database would stop entries
 * in every other suite running at the same time. On embedded PGlite the shared one is used.
 */
export async function ownDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const base = testDatabaseUrl();
  if (testDatabaseKind() !== 'postgres') return { url: base, drop: async () => undefined };
  const url = new URL(base);
  const name = `${url.pathname.slice(1)}_tr_${crypto.randomBytes(4).toString('hex')}`.slice(0, 63);
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The real adapter with every order submission recorded (the spy the bad-input tests read). */
export function spyBroker(inner: Broker): Broker & { submitted: BrokerOrderRequest[] } {
  const submitted: BrokerOrderRequest[] = [];
  return {
    ...inner,
    submitted,
    async submitOrder(req) {
      submitted.push(req);
      return inner.submitOrder(req);
    },
  };
}

export interface TradingFixture {
  sim: Sim;
  svc: TestService;
  db: Db;
  broker: ReturnType<typeof spyBroker>;
  gate: EntryGate;
  env: Record<string, string>;
  dbUrl: string;
  /** Restarts the service process (same database, same simulator), as after a crash. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** `background`: run reconciliation and the order sync loop too (default off: tests drive the rows). */
export async function startTrading(
  extraEnv: Record<string, string> = {},
  opts: { background?: boolean } = {},
): Promise<TradingFixture> {
  const sim = await startMarketSim({ port: 0, seed: 42, speed: 0, startTime: SIM_START });
  const database = await ownDatabase();
  const env = {
    ALPACA_BASE_URL: sim.url,
    ALPACA_DATA_URL: sim.url,
    ALPACA_API_KEY: 'demo',
    ALPACA_SECRET_KEY: 'demo',
    DATABASE_URL: database.url,
    // A short broker deadline: the fault tests make the simulator hang.
    TRADING_BROKER_TIMEOUT_MS: '1500',
    ...extraEnv,
  };
  const broker = spyBroker(
    createAlpacaBroker({ baseUrl: sim.url, keyId: 'demo', secret: 'demo', timeoutMs: 1500, retryBaseMs: 20 }),
  );
  const gate = createEntryGate({ initiallyOpen: true });
  const boot = () =>
    startTestService((e, o) => start(e, o, { broker, entryGate: gate, background: opts.background ?? false }), env);
  const fixture: TradingFixture = {
    sim,
    svc: await boot(),
    db: await connectDb(database.url, silentLogger(), { max: 3 }),
    broker,
    gate,
    env,
    dbUrl: database.url,
    async restart() {
      await fixture.svc.stop();
      fixture.svc = await boot();
    },
    async close() {
      await fixture.svc?.stop();
      await fixture.db?.end();
      await sim.stop();
      await database.drop();
    },
  };
  return fixture;
}

/** `n` different symbols that pass the price and liquidity limits (an entry each: no pyramiding). */
export async function liquidSymbols(sim: Sim, n: number): Promise<{ symbol: string; price: number }[]> {
  const out: { symbol: string; price: number }[] = [];
  while (out.length < n)
    out.push(
      await liquidSymbol(
        sim,
        out.map((s) => s.symbol),
      ),
    );
  return out;
}

/** Roomy limits for a suite that opens many positions (the settings rows win over the environment). */
export async function roomyLimits(db: Db): Promise<void> {
  await db.query(`UPDATE settings SET value = '30' WHERE key = 'max_positions'`);
  await db.query(`UPDATE settings SET value = '150' WHERE key = 'max_gross_exposure_pct'`);
}

/** Steps the simulator's clock until the order is filled (or `steps` minutes passed). */
export async function untilFilled(t: TradingFixture, brokerOrderId: string, steps = 30): Promise<void> {
  for (let i = 0; i < steps; i++) {
    const o = await t.broker.getOrder(brokerOrderId);
    if (o?.status === 'filled') return;
    t.sim.sim.clock.advance(60_000);
  }
  throw new Error(`order ${brokerOrderId} did not fill`);
}

/** A symbol of the simulated universe that passes the price and liquidity limits. */
export async function liquidSymbol(sim: Sim, skip: readonly string[] = []): Promise<{ symbol: string; price: number }> {
  const quotes = createMarketQuotes({ dataUrl: sim.url, keyId: 'demo', secret: 'demo' });
  for (const stock of sim.sim.market.stocks) {
    if (skip.includes(stock.symbol)) continue;
    const q = await quotes.quote(stock.symbol);
    if (q && q.price > 10 && q.price < 200 && (q.avgVolume ?? 0) > 1_000_000)
      return { symbol: stock.symbol, price: q.price };
  }
  throw new Error('no liquid symbol in the simulated universe');
}

/** The simulator's clock as an ISO string (signals and news are stamped in market time). */
export function simNow(sim: Sim): string {
  return new Date(sim.sim.now()).toISOString();
}

/** A pending buy signal with fresh news from a healthy source, for `symbol` around `price`. */
export async function insertSignal(
  db: Db,
  sim: Sim,
  symbol: string,
  levels: { entry: number; stop: number; target: number },
  opts: { sourceState?: 'closed' | 'open' } = {},
): Promise<string> {
  const at = simNow(sim);
  const sourceName = `t-${crypto.randomBytes(4).toString('hex')}`;
  const source = await db.query<{ id: string }>(
    `INSERT INTO news_sources (name, kind, url, circuit_state, circuit_opened_at)
     VALUES ($1, 'sim', 'http://127.0.0.1:9/x', $2, CASE WHEN $2 = 'closed' THEN NULL ELSE now() END) RETURNING id`,
    [sourceName, opts.sourceState ?? 'closed'],
  );
  const item = await db.query<{ id: string }>(
    `INSERT INTO news_items (source_id, url, title, published_at, received_at) VALUES ($1, $2, 'beat', $3, $3) RETURNING id`,
    [source.rows[0]!.id, `https://news.example/${sourceName}`, at],
  );
  const catalyst = await db.query<{ id: string }>(
    `INSERT INTO catalysts (news_item_id, symbol, type, direction, score) VALUES ($1, $2, 'earnings_beat', 'bullish', 0.9) RETURNING id`,
    [item.rows[0]!.id, symbol],
  );
  const signal = await db.query<{ id: string }>(
    `INSERT INTO signals (catalyst_id, news_item_id, symbol, action, confidence, entry_price, stop_price, target_price, created_at, updated_at)
     VALUES ($1, $2, $3, 'buy', 0.8, $4, $5, $6, $7, $7) RETURNING id`,
    [catalyst.rows[0]!.id, item.rows[0]!.id, symbol, levels.entry, levels.stop, levels.target, at],
  );
  return signal.rows[0]!.id;
}

export function key(): string {
  return `k-${crypto.randomBytes(8).toString('hex')}`;
}

export function post(svc: TestService, path: string, body: unknown, headers: Record<string, string> = {}) {
  return svc.call(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
