import { toSeries } from '../../src/bars';
import type { Bar, Series } from '../../src/series';
import type { SignalCatalyst, SignalInput, TimeframeSummary } from '../../src/signals';

/** Seeded bars: a random walk with a drift per bar, `stepMs` apart from `start`. */
export function walkBars(opts: {
  n: number;
  start: string;
  stepMs: number;
  seed?: number;
  drift?: number;
  price?: number;
}): Bar[] {
  let state = (opts.seed ?? 1) >>> 0 || 1;
  const rand = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
  let price = opts.price ?? 50;
  const t0 = Date.parse(opts.start);
  const bars: Bar[] = [];
  for (let i = 0; i < opts.n; i++) {
    const open = price;
    const close = Math.max(0.5, open * (1 + (opts.drift ?? 0) + (rand() - 0.5) * 0.004));
    const high = Math.max(open, close) * (1 + rand() * 0.002);
    const low = Math.min(open, close) * (1 - rand() * 0.002);
    bars.push({
      t: new Date(t0 + i * opts.stepMs).toISOString(),
      o: open,
      h: high,
      l: low,
      c: close,
      v: Math.round(1000 + rand() * 9000),
    });
    price = close;
  }
  return bars;
}

/** Three timeframes as the service reads them: 390 one-minute, 390 five-minute, 250 daily bars. */
export function threeTimeframes(seed = 7, drift = 0): Record<string, Series> {
  return {
    '1Min': toSeries(walkBars({ n: 390, start: '2026-03-02T14:30:00Z', stepMs: 60_000, seed, drift })),
    '5Min': toSeries(walkBars({ n: 390, start: '2026-02-20T14:30:00Z', stepMs: 300_000, seed: seed + 1, drift })),
    '1Day': toSeries(
      walkBars({ n: 250, start: '2025-03-03T05:00:00Z', stepMs: 86_400_000, seed: seed + 2, drift: drift * 10 }),
    ),
  };
}

/** A timeframe reading pointing one way (+1 bullish, −1 bearish) with the given strength 0..1. */
export function aSummary(timeframe: string, lean: number, over: Partial<TimeframeSummary> = {}): TimeframeSummary {
  const close = 100;
  const atr = 0.5;
  return {
    timeframe,
    bars: 390,
    lastTime: Date.parse('2026-03-02T20:00:00Z'),
    close,
    ema9: close - lean * 0.2,
    ema20: close - lean * 0.4,
    ema50: close - lean * 0.8,
    adx: 30,
    plusDi: 25 + lean * 10,
    minusDi: 25 - lean * 10,
    rsi: 50 + lean * 15,
    macdHist: lean * 0.05,
    atr,
    natr: (atr / close) * 100,
    bbWidth: 0.03,
    rvol: 1 + Math.abs(lean) * 1.5,
    obvSlope: lean * 0.4,
    vwap: timeframe === '1Day' ? null : close - lean * 0.5,
    swingLow: 99,
    swingHigh: 101,
    ...over,
  };
}

export function aCatalyst(over: Partial<SignalCatalyst> = {}): SignalCatalyst {
  return {
    id: 'c1',
    newsItemIds: ['n1'],
    type: 'earnings_beat',
    direction: 'bullish',
    score: 0.8,
    ageMinutes: 10,
    ...over,
  };
}

export function anInput(lean: number, over: Partial<SignalInput> = {}): SignalInput {
  return {
    symbol: 'ABC',
    price: 100,
    timeframes: ['1Min', '5Min', '1Day'].map((tf) => aSummary(tf, lean)),
    detections: [],
    catalyst: aCatalyst({ direction: lean >= 0 ? 'bullish' : 'bearish' }),
    ...over,
  };
}
