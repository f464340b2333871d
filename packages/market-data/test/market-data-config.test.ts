import { ConfigError, createHttpMetrics, createMemoryBus, loadConfig, serviceConfigSchema } from '@catalyst/shared';
import { describe, expect, it } from 'vitest';
import { createCachedMarketData, createMarketDataFromConfig, marketDataConfig, type MarketDataProvider } from '../src';
import { log } from './support';

describe('market data configuration', () => {
  const schema = serviceConfigSchema('scanner').extend(marketDataConfig);
  const base = { CATALYST_API_TOKEN: 'x'.repeat(20) };

  it('spreads into a service schema with defaults for every variable', () => {
    const config = loadConfig(schema, base);
    expect(config).toMatchObject({
      ALPACA_DATA_URL: 'https://data.alpaca.markets',
      ALPACA_BASE_URL: 'https://paper-api.alpaca.markets',
      ALPACA_DATA_FEED: 'iex',
      MARKET_DATA_MAX_IN_FLIGHT: 8,
      MARKET_DATA_RATE_LIMIT_PER_MINUTE: 200,
      MARKET_DATA_CACHE: true,
      MARKET_DATA_FALLBACK: true,
      MARKET_DATA_TTL_1MIN_SECONDS: 30,
      MARKET_DATA_TTL_1DAY_SECONDS: 3600,
      MARKET_DATA_TTL_SNAPSHOT_SECONDS: 5,
      ALPHAVANTAGE_DAILY_BUDGET: 25,
    });
    expect(config.ALPHAVANTAGE_KEY).toBeUndefined();
  });

  it('stops with one line naming each bad variable', () => {
    const bad = () =>
      loadConfig(schema, {
        ...base,
        ALPACA_DATA_FEED: 'boats',
        MARKET_DATA_MAX_IN_FLIGHT: '0',
        MARKET_DATA_CACHE: 'maybe',
      });
    expect(bad).toThrow(ConfigError);
    try {
      bad();
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['ALPACA_DATA_FEED', 'MARKET_DATA_MAX_IN_FLIGHT', 'MARKET_DATA_CACHE'])
        expect(message).toContain(name);
      expect(message.split('\n')).toHaveLength(1);
    }
  });

  it('registers its metrics on the service registry', async () => {
    const { registry } = createHttpMetrics('scanner');
    const bus = createMemoryBus({ log });
    const md = createMarketDataFromConfig(loadConfig(schema, { ...base, ALPACA_DATA_URL: 'http://127.0.0.1:9' }), {
      bus,
      log,
      registry,
    });
    const again = createMarketDataFromConfig(loadConfig(schema, base), { bus, log, registry });
    await again.close();
    const provider: MarketDataProvider = {
      name: 'fake',
      bars: async () => [],
      barsMany: async (s) => new Map(s.map((x) => [x, []])),
      snapshots: async () => new Map(),
      assets: async () => [],
    };
    const cached = createCachedMarketData({ primary: provider, bus, log, registry });
    await cached.barsMany(['AAA', 'BBB'], { timeframe: '1Day' });
    await cached.barsMany(['AAA'], { timeframe: '1Day' });
    const text = await registry.metrics();
    expect(text).toContain(
      'market_data_requests_total{provider="fake",operation="barsMany",outcome="ok",service="scanner"} 1',
    );
    expect(text).toContain('market_data_cache_hits_total{kind="bars",service="scanner"} 1');
    expect(text).toContain('market_data_cache_misses_total{kind="bars",service="scanner"} 2');
    expect(text).toMatch(/market_data_requests_in_flight\{service="scanner"\} 0/);
    await md.close();
    await bus.close();
  });
});
