import { INDICATORS } from '../indicators/registry';
import type { IndicatorStream, StreamInput } from '../indicators/types';
import { CandleContext, type PatternKernel } from '../patterns/candle-context';
import { MULTI_CANDLE_KERNELS } from '../patterns/multi-candle';
import { ONE_CANDLE_KERNELS } from '../patterns/one-candle';
import { PATTERN_NAMES, PATTERNS } from '../patterns/registry';
import { THREE_CANDLE_KERNELS } from '../patterns/three-candle';
import { TWO_CANDLE_KERNELS } from '../patterns/two-candle';
import { newYorkInstant, newYorkMoment } from '../schedule/new-york-time';
import type { Series } from '../series';
import { candlestickEvidence } from '../signals/summarize';
import type { SignalDetection, TimeframeSummary } from '../signals/types';
import type { BacktestTimeframe } from './types';

const MINUTE_MS = 60_000;
const REGULAR_OPEN_MINUTE = 9 * 60 + 30;
const REGULAR_CLOSE_MINUTE = 16 * 60;
const STEP_MS: Record<Exclude<BacktestTimeframe, '1Day'>, number> = {
  '1Min': MINUTE_MS,
  '5Min': 5 * MINUTE_MS,
  '15Min': 15 * MINUTE_MS,
  '1Hour': 60 * MINUTE_MS,
};

/** The summary's look-back for the OBV slope and swing levels, and its relative-volume periods (signals/summarize.ts). */
const RECENT_BARS = 20;
const RVOL_PERIOD = 10;
const RVOL_SMA_PERIOD = 20;

/** As `candlestickEvidence` reads them (signals/summarize.ts): indecision candles point nowhere, a gravestone doji down. */
const INDECISION = new Set([
  'cdldoji',
  'cdllongleggeddoji',
  'cdlrickshawman',
  'cdlspinningtop',
  'cdlhighwave',
  'cdlshortline',
]);
const BEARISH = new Set(['cdlgravestonedoji']);

/**
 * Bars a candlestick reading needs behind the oldest bar it reports: the longest pattern look-back
 * plus 3 for the patterns that carry state forward (hikkake's confirmation looks 3 bars back), so the window's
 * values equal the whole series' (checked in packages/backtest/test/streaming-equivalence.test.ts).
 */
export const PATTERN_WINDOW_SLACK = Math.max(...Object.values(PATTERNS).map((p) => p.lookback({}))) + 3;

/**
 * The 61 kernels with their look-back and default penetration, as `computePatterns` runs them. A
 * kernel's start index works as TA-Lib's startIdx (its running sums are seeded from the bars before
 * it), so starting it at the oldest bar reported computes those bars only, with the same values.
 */
const KERNELS: ReadonlyArray<{ name: string; kernel: PatternKernel; lookback: number; penetration: number }> =
  PATTERN_NAMES.map((name) => {
    const kernels: Record<string, PatternKernel> = {
      ...ONE_CANDLE_KERNELS,
      ...TWO_CANDLE_KERNELS,
      ...THREE_CANDLE_KERNELS,
      ...MULTI_CANDLE_KERNELS,
    };
    const def = PATTERNS[name]!;
    return {
      name,
      kernel: kernels[name]!,
      lookback: def.lookback({}),
      penetration: def.params.penetration?.default ?? 0,
    };
  });

interface Reader {
  stream: IndicatorStream;
  lookback: number;
  output: string;
  value: number;
}

function reader(name: string, params: Record<string, number>, output = 'real'): Reader {
  const def = INDICATORS[name]!;
  return { stream: def.stream(params), lookback: def.lookback(params), output, value: NaN };
}

/**
 * The indicators `summarizeTimeframe` reads, kept bar by bar: each reading is the stream's output for
 * the bars fed so far, which the indicator module guarantees equals the batch value at the last bar.
 * So the summary equals `summarizeTimeframe(timeframe, series)` of the same bars, at O(1) per bar.
 */
class SummaryStreams {
  readonly ema9 = reader('ema', { timeperiod: 9 });
  readonly ema20 = reader('ema', { timeperiod: 20 });
  readonly ema50 = reader('ema', { timeperiod: 50 });
  readonly adx = reader('adx', { timeperiod: 14 });
  readonly plusDi = reader('plus_di', { timeperiod: 14 });
  readonly minusDi = reader('minus_di', { timeperiod: 14 });
  readonly rsi = reader('rsi', { timeperiod: 14 });
  readonly macd = reader('macd', { fastperiod: 12, slowperiod: 26, signalperiod: 9 }, 'macdhist');
  readonly atr = reader('atr', { timeperiod: 14 });
  readonly bbands = reader('bbands', { timeperiod: 20, nbdevup: 2, nbdevdn: 2, matype: 0 }, 'middleband');
  readonly rvol: Reader | null;
  readonly rvolSma: Reader;
  readonly obv = reader('obv', {});
  readonly vwap: Reader | null;
  readonly all: Reader[];
  bbUpper = NaN;
  bbLower = NaN;

  constructor(intraday: boolean) {
    this.rvol = intraday ? reader('rvol', { timeperiod: RVOL_PERIOD }) : null;
    this.rvolSma = reader('rvol_sma', { timeperiod: intraday ? RVOL_SMA_PERIOD : RVOL_PERIOD });
    this.vwap = intraday ? reader('vwap', { anchor_minute: 570 }) : null;
    this.all = [this.ema9, this.ema20, this.ema50, this.adx, this.plusDi, this.minusDi, this.rsi, this.macd, this.atr];
    this.all.push(this.rvolSma, this.obv);
    if (this.rvol) this.all.push(this.rvol);
    if (this.vwap) this.all.push(this.vwap);
  }

  feed(bar: StreamInput, replace: boolean): void {
    for (const r of this.all) {
      const out = replace ? r.stream.replaceLast(bar) : r.stream.next(bar);
      r.value = out[r.output]!;
    }
    const bands = replace ? this.bbands.stream.replaceLast(bar) : this.bbands.stream.next(bar);
    this.bbands.value = bands.middleband!;
    this.bbUpper = bands.upperband!;
    this.bbLower = bands.lowerband!;
  }
}

/**
 * One timeframe of one symbol: the last `capacity` bars (the window the live service fetches),
 * built from minute bars (a longer bar is still forming until its bucket ends, and is revised in
 * place as the live data API revises it), and, while the symbol is in play, the streaming
 * indicators over them.
 */
export class TimeframeBook {
  readonly timeframe: BacktestTimeframe;
  readonly intraday: boolean;
  readonly capacity: number;
  private readonly t: Float64Array;
  private readonly o: Float64Array;
  private readonly h: Float64Array;
  private readonly l: Float64Array;
  private readonly c: Float64Array;
  private readonly v: Float64Array;
  /** OBV after each bar, for the slope over the recent bars (only kept while streaming). */
  private readonly obvAt: Float64Array;
  private head = 0;
  /** Bars held (≤ capacity) and bars ever appended. */
  size = 0;
  total = 0;
  private bucketStart = -Infinity;
  private bucketEnd = -Infinity;
  private regularOpen = -Infinity;
  private regularClose = -Infinity;
  private dayHasBar = false;
  private streams: SummaryStreams | null = null;
  /** In play: the indicators are brought up to date when read (`sync`). */
  private active = false;
  /** Bars the streams have seen: the indicators' history starts where the window stood when streaming began. */
  private streamed = 0;
  /** `total` when the streams were last brought up to date, and whether the last bar they saw was revised since. */
  private fedTotal = 0;
  private lastRevised = false;
  /** Changes with every new or revised bar: the candlestick reading is reused while it stands. */
  private version = 0;
  private evidence: { version: number; maxAgeBars: number; found: SignalDetection[] } | null = null;
  private readonly io: StreamInput & { t: number } = { t: 0, open: 0, high: 0, low: 0, close: 0, volume: 0 };
  private scratch: { window: number; series: Series; out: Int32Array } | null = null;

  constructor(timeframe: BacktestTimeframe, capacity: number) {
    this.timeframe = timeframe;
    this.intraday = timeframe !== '1Day';
    this.capacity = capacity;
    this.t = new Float64Array(capacity);
    this.o = new Float64Array(capacity);
    this.h = new Float64Array(capacity);
    this.l = new Float64Array(capacity);
    this.c = new Float64Array(capacity);
    this.v = new Float64Array(capacity);
    this.obvAt = new Float64Array(capacity);
  }

  /** Adds a finished bar of this timeframe (warm-up history). */
  seed(t: number, o: number, h: number, l: number, c: number, v: number): void {
    this.append(t, o, h, l, c, v);
    if (this.timeframe === '1Day') {
      this.openDay(t);
      this.dayHasBar = true;
    } else this.bucketEnd = this.bucketEndOf(t);
  }

  /** The New York day of `t`: its bucket and its regular session. */
  private openDay(t: number): void {
    const day = newYorkMoment(t).day;
    this.bucketStart = newYorkInstant(day, 0);
    this.bucketEnd = newYorkInstant(day + 1, 0);
    this.regularOpen = newYorkInstant(day, REGULAR_OPEN_MINUTE);
    this.regularClose = newYorkInstant(day, REGULAR_CLOSE_MINUTE);
    this.dayHasBar = false;
  }

  /** Folds one minute bar in: a new bar when its bucket starts, else a revision of the forming one. */
  addMinute(t: number, o: number, h: number, l: number, c: number, v: number): void {
    if (this.timeframe === '1Min') {
      this.append(t, o, h, l, c, v);
      return;
    }
    if (this.timeframe === '1Day') {
      // Daily bars are the regular session's, stamped at New York midnight (as the data API's).
      if (t >= this.bucketEnd) this.openDay(t);
      if (t < this.regularOpen || t >= this.regularClose) return;
      if (!this.dayHasBar) {
        this.dayHasBar = true;
        this.append(this.bucketStart, o, h, l, c, v);
        return;
      }
    } else if (t >= this.bucketEnd || this.size === 0) {
      const start = this.bucketStartOf(t);
      this.bucketEnd = this.bucketEndOf(start);
      this.append(start, o, h, l, c, v);
      return;
    }
    const i = this.lastIndex();
    if (h > this.h[i]!) this.h[i] = h;
    if (l < this.l[i]!) this.l[i] = l;
    this.c[i] = c;
    this.v[i] = this.v[i]! + v;
    this.version++;
    if (this.streams && this.total === this.fedTotal) this.lastRevised = true;
  }

  private bucketStartOf(t: number): number {
    const step = STEP_MS[this.timeframe as Exclude<BacktestTimeframe, '1Day'>];
    return t - (((t % step) + step) % step);
  }

  private bucketEndOf(start: number): number {
    if (this.timeframe === '1Min') return start + MINUTE_MS;
    return start + STEP_MS[this.timeframe as Exclude<BacktestTimeframe, '1Day'>];
  }

  private lastIndex(): number {
    const i = this.head - 1;
    return i < 0 ? i + this.capacity : i;
  }

  private append(t: number, o: number, h: number, l: number, c: number, v: number): void {
    const i = this.head;
    this.t[i] = t;
    this.o[i] = o;
    this.h[i] = h;
    this.l[i] = l;
    this.c[i] = c;
    this.v[i] = v;
    this.head = i + 1 === this.capacity ? 0 : i + 1;
    if (this.size < this.capacity) this.size++;
    this.total++;
    this.version++;
  }

  private stream(i: number, replace: boolean): void {
    const io = this.io;
    io.t = this.t[i]!;
    io.open = this.o[i]!;
    io.high = this.h[i]!;
    io.low = this.l[i]!;
    io.close = this.c[i]!;
    io.volume = this.v[i]!;
    this.streams!.feed(io, replace);
    this.obvAt[i] = this.streams!.obv.value;
    if (!replace) this.streamed++;
  }

  /** Ring position of the k-th bar held, oldest first. */
  private at(k: number): number {
    const i = this.head - this.size + k;
    return i < 0 ? i + this.capacity : i;
  }

  get streaming(): boolean {
    return this.active;
  }

  /**
   * Puts the timeframe in play: from now on its indicators are kept. They are fed lazily, when a
   * summary is read (a symbol in play but not among a cycle's candidates costs nothing per bar, and a
   * forming bar revised every minute is fed once per reading), which gives the same values.
   */
  startStreaming(): void {
    this.active = true;
  }

  stopStreaming(): void {
    this.active = false;
    this.streams = null;
    this.streamed = 0;
  }

  /**
   * Brings the indicators up to date: the last bar they saw again if it was revised, then the bars
   * appended since. The first time, or when more bars arrived than the window holds, they start over
   * from the bars held (what the live service would fetch).
   */
  private sync(): void {
    if (this.streams && this.total - this.fedTotal < this.size) {
      if (this.lastRevised && this.streamed > 0)
        this.stream(this.at(this.size - 1 - (this.total - this.fedTotal)), true);
      for (let k = this.total - this.fedTotal; k > 0; k--) this.stream(this.at(this.size - k), false);
    } else {
      this.streams = new SummaryStreams(this.intraday);
      this.streamed = 0;
      for (let k = 0; k < this.size; k++) this.stream(this.at(k), false);
    }
    this.fedTotal = this.total;
    this.lastRevised = false;
  }

  /** The bars held, oldest first, as checked columns (for a batch computation or a test). */
  series(from = 0): Series {
    const n = this.size - from;
    const s: Series = {
      t: new Float64Array(n),
      open: new Float64Array(n),
      high: new Float64Array(n),
      low: new Float64Array(n),
      close: new Float64Array(n),
      volume: new Float64Array(n),
    };
    for (let k = 0; k < n; k++) {
      const i = this.at(from + k);
      s.t[k] = this.t[i]!;
      s.open[k] = this.o[i]!;
      s.high[k] = this.h[i]!;
      s.low[k] = this.l[i]!;
      s.close[k] = this.c[i]!;
      s.volume[k] = this.v[i]!;
    }
    return s;
  }

  lastClose(): number {
    return this.size > 0 ? this.c[this.lastIndex()]! : NaN;
  }

  /** The k-th bar back from the last (0 = the last), or undefined. */
  back(k: number): { t: number; o: number; h: number; l: number; c: number; v: number } | undefined {
    if (k >= this.size) return undefined;
    const i = this.at(this.size - 1 - k);
    return { t: this.t[i]!, o: this.o[i]!, h: this.h[i]!, l: this.l[i]!, c: this.c[i]!, v: this.v[i]! };
  }

  /**
   * The summary `summarizeTimeframe` gives for the bars the streams have seen (the window held when
   * streaming started and every bar since), from the streams in O(1) plus the 20-bar swing scan.
   */
  summary(): TimeframeSummary {
    if (!this.active) throw new Error(`${this.timeframe}: summary() needs startStreaming() first`);
    this.sync();
    const s = this.streams!;
    const n = this.streamed;
    const last = this.lastIndex();
    const close = n > 0 ? this.c[last]! : NaN;
    const value = (r: Reader): number | null => (n < r.lookback + 1 || !Number.isFinite(r.value) ? null : r.value);
    const atr = value(s.atr);
    let bbWidth: number | null = null;
    if (n >= 20) {
      const mid = s.bbands.value;
      if (mid > 0) bbWidth = (s.bbUpper - s.bbLower) / mid;
    }
    let rvol = s.rvol ? value(s.rvol) : null;
    rvol ??= value(s.rvolSma);
    let obvSlope: number | null = null;
    // The OBV ring holds the slope's 21 values only when the window is larger than the look-back.
    if (n > RECENT_BARS && this.size > RECENT_BARS) {
      let volume = 0;
      for (let k = 0; k < RECENT_BARS; k++) volume += this.v[this.at(this.size - 1 - k)]!;
      if (volume > 0) obvSlope = (this.obvAt[last]! - this.obvAt[this.at(this.size - 1 - RECENT_BARS)]!) / volume;
    }
    let swingLow: number | null = null;
    let swingHigh: number | null = null;
    if (n >= 3) {
      swingLow = Infinity;
      swingHigh = -Infinity;
      // The bars before the last, up to RECENT_BARS of them (the window always holds them).
      const back = Math.min(RECENT_BARS, n - 1);
      for (let k = 1; k <= back; k++) {
        const i = this.at(this.size - 1 - k);
        if (this.l[i]! < swingLow) swingLow = this.l[i]!;
        if (this.h[i]! > swingHigh) swingHigh = this.h[i]!;
      }
    }
    return {
      timeframe: this.timeframe,
      bars: n,
      lastTime: n > 0 ? this.t[last]! : NaN,
      close,
      ema9: value(s.ema9),
      ema20: value(s.ema20),
      ema50: value(s.ema50),
      adx: value(s.adx),
      plusDi: value(s.plusDi),
      minusDi: value(s.minusDi),
      rsi: value(s.rsi),
      macdHist: value(s.macd),
      atr,
      natr: atr !== null && close > 0 ? (atr / close) * 100 : null,
      bbWidth,
      rvol,
      obvSlope,
      vwap: s.vwap && n > 0 ? value(s.vwap) : null,
      swingLow,
      swingHigh,
    };
  }

  /**
   * `candlestickEvidence` over the streamed bars, computed on the last few bars only (the patterns
   * look back a bounded number of bars) into buffers reused from call to call; ids carry the bar's
   * index in the streamed bars, as the whole-series call would. Equal to
   * `candlestickEvidence(timeframe, streamed bars, maxAgeBars)` (packages/backtest/test/streaming-equivalence.test.ts).
   */
  detections(maxAgeBars: number): SignalDetection[] {
    if (!this.active) throw new Error(`${this.timeframe}: detections() needs startStreaming() first`);
    this.sync();
    const cached = this.evidence;
    if (cached && cached.version === this.version && cached.maxAgeBars === maxAgeBars) {
      return cached.found.map((d) => ({ ...d }));
    }
    const found = this.readPatterns(maxAgeBars);
    this.evidence = { version: this.version, maxAgeBars, found: found.map((d) => ({ ...d })) };
    return found;
  }

  private readPatterns(maxAgeBars: number): SignalDetection[] {
    const n = this.streamed;
    const window = maxAgeBars + 1 + PATTERN_WINDOW_SLACK;
    if (n < window || this.size < window) {
      const held = Math.min(n, this.size);
      if (held === 0) return [];
      return this.renumber(candlestickEvidence(this.timeframe, this.series(this.size - held), maxAgeBars), n - held);
    }
    let scratch = this.scratch;
    if (!scratch || scratch.window !== window) {
      const col = () => new Float64Array(window);
      scratch = {
        window,
        series: { t: col(), open: col(), high: col(), low: col(), close: col(), volume: col() },
        out: new Int32Array(window),
      };
      this.scratch = scratch;
    }
    const s = scratch.series;
    for (let k = 0; k < window; k++) {
      const i = this.at(this.size - window + k);
      s.open[k] = this.o[i]!;
      s.high[k] = this.h[i]!;
      s.low[k] = this.l[i]!;
      s.close[k] = this.c[i]!;
    }
    const x = new CandleContext(s.open, s.high, s.low, s.close);
    const out = scratch.out;
    const found: SignalDetection[] = [];
    const from = window - 1 - maxAgeBars;
    const offset = n - window;
    for (const { name, kernel, lookback, penetration } of KERNELS) {
      const start = Math.max(from, lookback);
      kernel(x, out, start, penetration);
      for (let i = start; i < window; i++) {
        const value = out[i]!;
        if (value === 0) continue;
        found.push({
          id: `${this.timeframe}:${name}:${i + offset}`,
          timeframe: this.timeframe,
          name,
          direction: INDECISION.has(name) ? 'neutral' : BEARISH.has(name) || value < 0 ? 'bearish' : 'bullish',
          confidence: Math.min(1, Math.abs(value) / 100),
          barsAgo: window - 1 - i,
        });
      }
    }
    return found;
  }

  private renumber(found: SignalDetection[], offset: number): SignalDetection[] {
    if (offset === 0) return found;
    for (const d of found) {
      const cut = d.id.lastIndexOf(':');
      d.id = `${d.id.slice(0, cut)}:${Number(d.id.slice(cut + 1)) + offset}`;
    }
    return found;
  }
}
