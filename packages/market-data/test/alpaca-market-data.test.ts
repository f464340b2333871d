import { startMarketSim, type RunningMarketSim } from '@catalyst/market-sim';
import { InvalidInput, UpstreamBadResponse, UpstreamUnavailable } from '@catalyst/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAlpacaMarketData, UpstreamRateLimited, type MarketDataProvider } from '../src';
import { countingFetch, SIM_START } from './support';

describe('Alpaca market data through the SDK against the simulator', () => {
  let sim: RunningMarketSim;
  let alpaca: MarketDataProvider;
  let universe: string[];
  const counter = countingFetch();

  beforeAll(async () => {
    sim = await startMarketSim({ port: 0, seed: 3, speed: 0, startTime: SIM_START });
    universe = sim.sim.market.stocks.map((s) => s.symbol);
    alpaca = createAlpacaMarketData({
      keyId: 'demo',
      secret: 'demo',
      dataUrl: sim.url,
      tradingUrl: sim.url,
      maxRetries: 1,
      timeoutMs: 1_000,
      fetchApi: counter.fetchApi,
    });
  });
  afterEach(() => {
    sim.sim.faults.clear();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it('sends the IEX feed and the keys, and reads bars of a range oldest first', async () => {
    const bars = await alpaca.bars({
      symbol: universe[1]!,
      timeframe: '15Min',
      start: '2025-03-13T13:30:00Z',
      end: '2025-03-13T20:00:00Z',
    });
    expect(bars).toHaveLength(26);
    expect(bars[0]!.t).toBe('2025-03-13T13:30:00.000Z');
    expect(bars.at(-1)!.t).toBe('2025-03-13T19:45:00.000Z');
    expect(bars[0]!.vw).toBeGreaterThan(0);
    expect(bars[0]!.n).toBeGreaterThan(0);
    expect(counter.calls.at(-1)).toContain('feed=iex');
  });

  it('follows next_page_token across pages, where limit counts bars across all symbols', async () => {
    const symbols = universe.slice(0, 6);
    const range = { timeframe: '1Min' as const, start: '2025-03-10T08:00:00Z', end: '2025-03-13T23:59:00Z' };
    const before = counter.count(/\/v2\/stocks\/bars/);
    const many = await alpaca.barsMany(symbols, range);
    const pages = counter.count(/\/v2\/stocks\/bars/) - before;
    const total = [...many.values()].reduce((a, b) => a + b.length, 0);
    expect(total).toBeGreaterThan(10_000);
    expect(pages).toBe(Math.ceil(total / 10_000));
    expect(counter.calls.slice(-pages + 1).every((u) => u.includes('page_token='))).toBe(true);
    // The same bars as asking for each symbol alone.
    const alone = await alpaca.bars({ symbol: symbols[4]!, ...range });
    expect(many.get(symbols[4]!)).toEqual(alone);
  });

  it('reads the newest N bars of many symbols with one request per batch when the window holds them', async () => {
    const symbols = universe.slice(10, 40);
    const before = counter.count(/\/v2\/stocks\/bars/);
    const many = await alpaca.barsMany(symbols, { timeframe: '1Day', limit: 30 });
    expect(counter.count(/\/v2\/stocks\/bars/) - before).toBe(1);
    for (const s of symbols) {
      const bars = many.get(s)!;
      expect(bars).toHaveLength(30);
      expect(bars.at(-1)!.t).toBe('2025-03-14T04:00:00.000Z');
    }
    const one = await alpaca.bars({ symbol: symbols[0]!, timeframe: '1Day', limit: 30 });
    expect(one).toEqual(many.get(symbols[0]!));
  });

  it('reads the newest minute bars across a weekend', async () => {
    await sim.restore({ ...sim.snapshot(), clock: { now: Date.parse('2025-03-16T18:00:00Z'), speed: 0 } });
    try {
      const many = await alpaca.barsMany(universe.slice(0, 3), { timeframe: '5Min', limit: 50 });
      for (const bars of many.values()) {
        expect(bars).toHaveLength(50);
        expect(bars.at(-1)!.t.startsWith('2025-03-14T23:')).toBe(true);
      }
    } finally {
      await sim.restore({ ...sim.snapshot(), clock: { now: Date.parse(SIM_START), speed: 0 } });
    }
  });

  it('maps snapshots: last trade, quote, day, minute and previous close', async () => {
    const snaps = await alpaca.snapshots(universe.slice(0, 3));
    const s = snaps.get(universe[0]!)!;
    expect(s.asOf <= '2025-03-14T14:30:00.000Z').toBe(true);
    expect(s.day!.t).toBe('2025-03-14T04:00:00.000Z');
    expect(s.minute!.t <= s.asOf || s.minute!.t.slice(0, 16) === s.asOf.slice(0, 16)).toBe(true);
    expect(s.bid).toBeLessThan(s.ask!);
    expect(Math.abs(s.price - s.minute!.c) / s.price).toBeLessThan(0.05);
  });

  it('refuses a symbol Alpaca refuses with InvalidInput', async () => {
    sim.sim.faults.add({
      path: '/v2/stocks/*',
      kind: 'status',
      status: 400,
      body: { code: 40010001, message: 'invalid symbol: A$' },
      times: 1,
    });
    const err = await alpaca.barsMany(['AAA'], { timeframe: '1Day' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).message).toContain('invalid symbol');
  });

  it('turns every injected fault into a clear upstream error, never a crash', async () => {
    const symbols = universe.slice(0, 2);
    const q = { timeframe: '1Day' as const, limit: 5 };
    const cases: Array<[Record<string, unknown>, new (...a: never[]) => Error, RegExp]> = [
      [{ kind: 'status', status: 503 }, UpstreamUnavailable, /HTTP 503/],
      [{ kind: 'status', status: 500 }, UpstreamUnavailable, /HTTP 500/],
      [{ kind: 'status', status: 429, retryAfterSeconds: 0 }, UpstreamRateLimited, /rate limit/],
      [{ kind: 'malformed' }, UpstreamBadResponse, /unusable/],
      [{ kind: 'drop' }, UpstreamUnavailable, /could not be reached/],
      [{ kind: 'timeout' }, UpstreamUnavailable, /timed out/],
      [{ kind: 'status', status: 401 }, UpstreamBadResponse, /keys/],
      [
        {
          kind: 'status',
          status: 403,
          body: { code: 40310000, message: 'subscription does not permit querying recent SIP data' },
        },
        UpstreamBadResponse,
        /SIP/,
      ],
    ];
    for (const [rule, type, message] of cases) {
      sim.sim.faults.clear();
      sim.sim.faults.add({ path: '/v2/stocks/*', ...rule } as never);
      const err = await alpaca.barsMany(symbols, q).catch((e: unknown) => e);
      expect({ rule, type: (err as Error).constructor.name }).toEqual({ rule, type: type.name });
      expect((err as Error).message).toMatch(message);
      expect((err as UpstreamUnavailable).details).toMatchObject({ provider: 'alpaca' });
    }
    sim.sim.faults.clear();
    sim.sim.faults.add({ path: '/v2/stocks/*', kind: 'status', status: 429, retryAfterSeconds: 7 } as never);
    const limited = (await alpaca.snapshots(symbols).catch((e: unknown) => e)) as UpstreamRateLimited;
    expect(limited.code).toBe('UPSTREAM.RATE_LIMITED');
    expect(limited.retryAfterSeconds).toBe(7);
  });

  it('retries a GET once after a transient 503 and then answers', async () => {
    sim.sim.faults.add({ path: '/v2/stocks/*', kind: 'status', status: 503, times: 1 });
    const before = counter.count(/\/v2\/stocks\/snapshots/);
    const snaps = await alpaca.snapshots(universe.slice(0, 2));
    expect(snaps.size).toBe(2);
    expect(counter.count(/\/v2\/stocks\/snapshots/) - before).toBe(2);
  });

  it('lists assets from the trading API at ALPACA_BASE_URL', async () => {
    const assets = await alpaca.assets();
    expect(assets.map((a) => a.symbol).sort()).toEqual([...universe].sort());
    expect(counter.calls.at(-1)).toMatch(/\/v2\/assets\?.*status=active/);
    expect(counter.calls.at(-1)).toContain('asset_class=us_equity');
  });
});
