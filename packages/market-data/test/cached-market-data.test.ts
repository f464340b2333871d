import {
  createMemoryBus,
  InvalidInput,
  UpstreamBadResponse,
  UpstreamUnavailable,
  type CacheBus,
} from '@catalyst/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createCachedMarketData,
  TokenBucket,
  UpstreamRateLimited,
  type Bar,
  type BarsQuery,
  type MarketDataProvider,
  type Snapshot,
} from '../src';
import { log, redisBus, redisSkipReason } from './support';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function barFor(symbol: string, i: number): Bar {
  const p = 10 + symbol.charCodeAt(0) / 10 + i;
  return { t: new Date(Date.UTC(2025, 0, 2 + i)).toISOString(), o: p, h: p + 1, l: p - 1, c: p + 0.5, v: 1000 + i };
}

/** A provider that counts its calls, can be slowed or failed, and records its highest concurrency. */
function instrumentedProvider(name = 'fake', opts: { delayMs?: number } = {}) {
  const state = {
    calls: [] as Array<{ op: string; symbols: string[] }>,
    active: 0,
    maxActive: 0,
    fail: undefined as Error | undefined,
    delayMs: opts.delayMs ?? 0,
  };
  const enter = async (op: string, symbols: string[]) => {
    state.calls.push({ op, symbols });
    state.active += 1;
    state.maxActive = Math.max(state.maxActive, state.active);
    try {
      if (state.delayMs) await sleep(state.delayMs);
      if (state.fail) throw state.fail;
    } finally {
      state.active -= 1;
    }
  };
  const provider: MarketDataProvider = {
    name,
    async bars(q: BarsQuery) {
      await enter('bars', [q.symbol]);
      return [barFor(q.symbol, 0), barFor(q.symbol, 1)];
    },
    async barsMany(symbols) {
      await enter('barsMany', [...symbols]);
      return new Map(symbols.map((s) => [s, [barFor(s, 0)]]));
    },
    async snapshots(symbols) {
      await enter('snapshots', [...symbols]);
      const out = new Map<string, Snapshot>();
      for (const s of symbols)
        if (!s.startsWith('X'))
          out.set(s, {
            symbol: s,
            price: 10,
            asOf: '2025-01-02T15:00:00.000Z',
            prevClose: 9,
            day: null,
            minute: null,
            bid: null,
            ask: null,
          });
      return out;
    },
    async assets() {
      await enter('assets', []);
      return [
        {
          symbol: 'AAA',
          name: 'Aaa Inc',
          exchange: 'NYSE',
          tradable: true,
          status: 'active' as const,
          shortable: true,
          fractionable: true,
        },
      ];
    },
  };
  return { provider, state };
}

const symbolsN = (n: number, p = 'S') => Array.from({ length: n }, (_, i) => `${p}${String(i).padStart(3, '0')}`);

describe.skipIf(redisSkipReason !== undefined)(
  `cached market data on Redis${redisSkipReason ? ` (skipped: ${redisSkipReason})` : ''}`,
  () => {
    const buses: CacheBus[] = [];
    const bus = (name: string) => {
      const b = redisBus(name);
      buses.push(b);
      return b;
    };
    afterAll(async () => {
      await Promise.all(buses.map((b) => b.close()));
    });

    it('answers a repeated request from the cache without asking the provider again', async () => {
      const { provider, state } = instrumentedProvider();
      const md = createCachedMarketData({ primary: provider, bus: bus('hit'), log });
      const first = await md.bars({ symbol: 'AAA', timeframe: '1Day', limit: 2 });
      const second = await md.bars({ symbol: 'aaa', timeframe: '1Day', limit: 2 });
      expect(second).toEqual(first);
      expect(state.calls).toHaveLength(1);
      // Another range is another key.
      await md.bars({ symbol: 'AAA', timeframe: '1Day', limit: 3 });
      expect(state.calls).toHaveLength(2);
      expect(md.metrics.counts.cacheHits('bars')).toBe(1);
    });

    it('barsMany reads every symbol in one getMany and asks the provider only for the misses, in batches', async () => {
      const { provider, state } = instrumentedProvider();
      const b = bus('many');
      let getManyCalls = 0;
      const counted: CacheBus = Object.assign(Object.create(b) as CacheBus, {
        getMany: (keys: readonly string[]) => {
          getManyCalls += 1;
          return b.getMany(keys);
        },
      });
      const md = createCachedMarketData({ primary: provider, bus: counted, batchSymbols: 10, log });
      const first = symbolsN(25);
      await md.barsMany(first, { timeframe: '5Min', limit: 1 });
      expect(state.calls.map((c) => c.symbols.length)).toEqual([10, 10, 5]);
      state.calls.length = 0;
      getManyCalls = 0;
      const wider = [...first, ...symbolsN(5, 'T')];
      const result = await md.barsMany(wider, { timeframe: '5Min', limit: 1 });
      expect(getManyCalls).toBe(1);
      expect(state.calls).toEqual([{ op: 'barsMany', symbols: symbolsN(5, 'T') }]);
      expect([...result.keys()]).toEqual(wider);
      expect(result.get('S007')).toEqual([barFor('S007', 0)]);
    });

    it('remembers that a symbol has no snapshot, so a scan does not ask for it every time', async () => {
      const { provider, state } = instrumentedProvider();
      const md = createCachedMarketData({ primary: provider, bus: bus('snap'), log });
      const first = await md.snapshots(['AAA', 'XNONE', 'BBB']);
      expect([...first.keys()]).toEqual(['AAA', 'BBB']);
      const second = await md.snapshots(['BBB', 'XNONE', 'AAA']);
      expect([...second.keys()]).toEqual(['BBB', 'AAA']);
      expect(state.calls).toHaveLength(1);
    });

    it('coalesces concurrent identical requests into one provider call', async () => {
      const { provider, state } = instrumentedProvider('fake', { delayMs: 50 });
      const md = createCachedMarketData({ primary: provider, bus: bus('coalesce'), log });
      const results = await Promise.all(
        Array.from({ length: 20 }, () => md.bars({ symbol: 'CCC', timeframe: '15Min', limit: 2 })),
      );
      expect(state.calls).toHaveLength(1);
      for (const r of results) expect(r).toEqual(results[0]);
      const many = await Promise.all(
        Array.from({ length: 10 }, () => md.barsMany(['D1', 'D2'], { timeframe: '1Hour' })),
      );
      expect(state.calls).toHaveLength(2);
      expect(many[9]!.get('D2')).toEqual([barFor('D2', 0)]);
    });

    it('coalesces without a cache too, and a failure reaches every waiting caller', async () => {
      const { provider, state } = instrumentedProvider('fake', { delayMs: 30 });
      state.fail = new UpstreamUnavailable('down', { provider: 'fake' });
      const md = createCachedMarketData({ primary: provider, log });
      const settled = await Promise.allSettled(Array.from({ length: 5 }, () => md.snapshots(['EEE'])));
      expect(settled.every((s) => s.status === 'rejected' && s.reason instanceof UpstreamUnavailable)).toBe(true);
      expect(state.calls).toHaveLength(1);
    });

    it('never has more provider calls in flight than the bound', async () => {
      const { provider, state } = instrumentedProvider('fake', { delayMs: 20 });
      const md = createCachedMarketData({ primary: provider, bus: bus('bound'), maxInFlight: 3, batchSymbols: 2, log });
      const seen: number[] = [];
      const probe = setInterval(() => seen.push(md.inFlight), 2);
      await Promise.all([
        md.barsMany(symbolsN(40), { timeframe: '1Min' }),
        md.snapshots(symbolsN(20, 'Q')),
        ...symbolsN(10, 'R').map((s) => md.bars({ symbol: s, timeframe: '1Day' })),
      ]);
      clearInterval(probe);
      expect(state.calls.length).toBe(20 + 10 + 10);
      expect(state.maxActive).toBe(3);
      expect(Math.max(...seen)).toBeLessThanOrEqual(3);
    });

    it('spaces provider calls by the provider rate limit and waits out a Retry-After', async () => {
      const { provider, state } = instrumentedProvider();
      // 20 a second, no burst beyond one: six calls need at least five gaps of 50 ms.
      const bucket = new TokenBucket({ perMinute: 1_200, burst: 1 });
      const md = createCachedMarketData({ primary: provider, rateLimiters: { fake: bucket }, log });
      const t0 = performance.now();
      await Promise.all(symbolsN(6).map((s) => md.bars({ symbol: s, timeframe: '1Day' })));
      expect(performance.now() - t0).toBeGreaterThanOrEqual(240);
      expect(state.calls).toHaveLength(6);

      state.fail = new UpstreamRateLimited('slow down', { provider: 'fake' }, 1);
      await expect(md.bars({ symbol: 'RL1', timeframe: '1Day' })).rejects.toBeInstanceOf(UpstreamRateLimited);
      state.fail = undefined;
      const t1 = performance.now();
      await md.bars({ symbol: 'RL2', timeframe: '1Day' });
      expect(performance.now() - t1).toBeGreaterThanOrEqual(900);
    });

    it('falls back for bars when the primary is unavailable, but not for bad input or snapshots', async () => {
      const primary = instrumentedProvider('primary');
      const fallback = instrumentedProvider('fallback');
      const md = createCachedMarketData({
        primary: primary.provider,
        fallback: fallback.provider,
        bus: bus('fallback'),
        log,
      });
      primary.state.fail = new UpstreamUnavailable('HTTP 503', { provider: 'primary' });
      expect(await md.bars({ symbol: 'FFF', timeframe: '1Day' })).toEqual([barFor('FFF', 0), barFor('FFF', 1)]);
      expect(fallback.state.calls).toHaveLength(1);
      // The fallback's answer is cached under the provider-independent key.
      primary.state.fail = undefined;
      await md.bars({ symbol: 'FFF', timeframe: '1Day' });
      expect(primary.state.calls).toHaveLength(1);

      primary.state.fail = new InvalidInput('bad symbol');
      await expect(md.bars({ symbol: 'GGG', timeframe: '1Day' })).rejects.toBeInstanceOf(InvalidInput);
      primary.state.fail = new UpstreamBadResponse('HTTP 403 subscription');
      await md.barsMany(['HHH'], { timeframe: '1Day' });
      expect(fallback.state.calls.map((c) => c.op)).toEqual(['bars', 'barsMany']);
      primary.state.fail = new UpstreamUnavailable('HTTP 503', { provider: 'primary' });
      await expect(md.snapshots(['III'])).rejects.toBeInstanceOf(UpstreamUnavailable);
      expect(fallback.state.calls).toHaveLength(2);

      // Both failing: the caller sees the primary's error.
      fallback.state.fail = new UpstreamRateLimited('budget spent', { provider: 'fallback' });
      const err = await md.bars({ symbol: 'JJJ', timeframe: '1Day' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UpstreamUnavailable);
      expect((err as UpstreamUnavailable).code).toBe('UPSTREAM.UNAVAILABLE');
    });

    it('turns an untyped provider failure into UpstreamUnavailable instead of crashing', async () => {
      const { provider, state } = instrumentedProvider();
      state.fail = new TypeError('cannot read properties of undefined');
      const md = createCachedMarketData({ primary: provider, log });
      await expect(md.snapshots(['KKK'])).rejects.toBeInstanceOf(UpstreamUnavailable);
      expect(md.metrics.counts.requests({ provider: 'fake', outcome: 'UNEXPECTED' })).toBe(1);
    });

    it('keeps answering from the provider when the cache fails', async () => {
      const { provider, state } = instrumentedProvider();
      const broken = createMemoryBus({ log });
      await broken.close();
      const md = createCachedMarketData({ primary: provider, bus: broken, log });
      expect((await md.snapshots(['LLL'])).get('LLL')?.price).toBe(10);
      expect(await md.bars({ symbol: 'LLL', timeframe: '1Day' })).toHaveLength(2);
      expect(state.calls).toHaveLength(2);
    });

    it('says an unknown symbol is bad input when the provider has no bars and the asset list lacks it', async () => {
      const { provider, state } = instrumentedProvider();
      const empty: MarketDataProvider = { ...provider, bars: async () => [] };
      const md = createCachedMarketData({ primary: empty, bus: bus('unknown'), log });
      await expect(md.bars({ symbol: 'NOPE', timeframe: '1Day' })).rejects.toBeInstanceOf(InvalidInput);
      expect(await md.bars({ symbol: 'AAA', timeframe: '1Day' })).toEqual([]);
      expect(state.calls.filter((c) => c.op === 'assets')).toHaveLength(1);
    });
  },
);

describe('TokenBucket', () => {
  it('lets a burst through, then one request per interval, in arrival order', async () => {
    let t = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket({
      perMinute: 60,
      burst: 2,
      now: () => t,
      sleep: async (ms) => {
        waits.push(ms);
        t += ms;
      },
    });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.take().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
    expect(t).toBe(2_000);
    bucket.pauseFor(5_000);
    await bucket.take();
    expect(t).toBe(8_000);
    expect(waits.every((w) => w > 0)).toBe(true);
  });
});

describe('cached market data in process', () => {
  let bus: CacheBus;
  beforeAll(() => {
    bus = createMemoryBus({ log });
  });
  afterAll(async () => {
    await bus.close();
  });
  it('works on the in-process bus of demo mode the same way', async () => {
    const { provider, state } = instrumentedProvider();
    const md = createCachedMarketData({ primary: provider, bus, log });
    await md.barsMany(['MA', 'MB'], { timeframe: '1Day', limit: 1 });
    const again = await md.barsMany(['MB', 'MA'], { timeframe: '1Day', limit: 1 });
    expect([...again.keys()]).toEqual(['MB', 'MA']);
    expect(state.calls).toHaveLength(1);
  });

  it('answers the newest N bars from a cached newest M >= N, and asks again for more', async () => {
    // A provider with ten bars of history that honours the limit.
    const calls: Array<number | undefined> = [];
    const history = Array.from({ length: 10 }, (_, i) => barFor('H', i));
    const provider: MarketDataProvider = {
      ...instrumentedProvider().provider,
      async bars(q: BarsQuery) {
        calls.push(q.limit);
        return q.start !== undefined ? history.slice(0, q.limit ?? 100) : history.slice(-(q.limit ?? 100));
      },
    };
    const md = createCachedMarketData({ primary: provider, bus, log });
    const end = '2025-02-01T00:00:00Z';
    expect(await md.bars({ symbol: 'H', timeframe: '5Min', end, limit: 5 })).toEqual(history.slice(-5));
    expect(await md.bars({ symbol: 'H', timeframe: '5Min', end, limit: 3 })).toEqual(history.slice(-3));
    expect(calls).toEqual([5]);
    // More than the entry holds: asked for; the provider's whole history then answers any length.
    expect(await md.bars({ symbol: 'H', timeframe: '5Min', end, limit: 8 })).toEqual(history.slice(-8));
    expect(await md.bars({ symbol: 'H', timeframe: '5Min', end, limit: 40 })).toEqual(history);
    expect(await md.bars({ symbol: 'H', timeframe: '5Min', end, limit: 25 })).toEqual(history);
    expect(calls).toEqual([5, 8, 40]);
    // Another end, or a range with a start, is another entry.
    await md.bars({ symbol: 'H', timeframe: '5Min', end: '2025-02-02T00:00:00Z', limit: 3 });
    await md.bars({ symbol: 'H', timeframe: '5Min', start: '2025-01-01T00:00:00Z', end, limit: 3 });
    await md.bars({ symbol: 'H', timeframe: '5Min', start: '2025-01-01T00:00:00Z', end, limit: 2 });
    expect(calls).toEqual([5, 8, 40, 3, 3, 2]);
    // barsMany shares the entries of bars.
    const many = await md.barsMany(['H'], { timeframe: '5Min', end, limit: 4 });
    expect(many.get('H')).toEqual(history.slice(-4));
    expect(calls).toHaveLength(6);
  });
});
