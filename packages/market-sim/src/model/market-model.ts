import {
  DAY_MS,
  MINUTE_MS,
  daysFromCivil,
  isTradingDay,
  nextTradingDay,
  newYorkMidnight,
  sessionOf,
  toNewYork,
  type TradingSession,
} from './calendar';
import { finishStories, storiesForEvent, type NewsStory } from './headlines';
import { eventEffect, eventVolumeMultiplier, generateDayEvents, type MarketEvent } from './news-events';
import { Prng } from './prng';
import type { Stock } from './universe';

/**
 * The deterministic market. A cheap daily pass, run in order from a fixed epoch, decides each
 * stock's volatility regime, overnight gap, news events and where the day ends; the minute path
 * of any one day is then generated on demand as a Brownian bridge between those points with the
 * events' jumps, drifts and reversals laid on top. So any day can be regenerated on its own and
 * the same seed always gives the same bars.
 */

export interface Bar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
  vw: number;
}

export interface Quote {
  t: number;
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

export interface Trade {
  t: number;
  price: number;
  size: number;
  id: number;
}

export interface MarketModelOptions {
  seed: number;
  stocks: readonly Stock[];
  /** Mean number of catalysts per trading day across the universe (default 10). */
  eventsPerDay?: number;
}

/** The first simulated trading day. Nothing trades before it. */
export const MARKET_EPOCH_DAY = daysFromCivil(2020, 1, 2);

const REGULAR_START = 330; // 09:30 is minute 330 after 04:00
const REGIME_VOL = [0.7, 1.0, 1.8] as const;
const REGIME_STAY = [0.96, 0.95, 0.88] as const;
const MEAN_REVERSION_PER_DAY = 0.025;
const INTRADAY_CACHE = 800;

interface DayState {
  day: number;
  index: number;
  session: TradingSession;
  minutes: number;
  regularEnd: number;
  // Plain arrays of doubles: thousands of small typed arrays cost the garbage collector dearly.
  open: number[];
  close: number[];
  rBase: number[];
  regime: number[];
  events: MarketEvent[];
  eventsBySymbol: Map<number, MarketEvent[]>;
}

export interface Intraday {
  dayIndex: number;
  startUtc: number;
  minutes: number;
  regularStart: number;
  regularEnd: number;
  /** Price at each minute boundary (minutes + 1 values); path[i] is the price at startUtc + i minutes. */
  path: Float64Array;
  o: Float64Array;
  h: Float64Array;
  l: Float64Array;
  c: Float64Array;
  /** 0 where no trade printed in that minute (no bar). */
  v: Float64Array;
  n: Float64Array;
  vw: Float64Array;
}

export function tickFor(price: number): number {
  return price >= 1 ? 0.01 : 0.0001;
}

export function roundToTick(price: number): number {
  return price >= 1 ? Math.round(price * 100) / 100 : Math.round(price * 10000) / 10000;
}

interface SessionShape {
  sig: Float64Array;
  volume: Float64Array;
}

const shapeCache = new Map<string, SessionShape>();
// Scratch space for the bridge, reused across days (generation is synchronous).
let scratchW = new Float64Array(961);
let scratchVar = new Float64Array(961);

/**
 * Volatility and volume weights of each minute of a session: quiet pre-market building into the
 * open, the intraday U (heavy at the open, quiet at lunch, heavy into the close, a closing
 * print), and a fading after-hours session. Volume weights average 1 over the regular session.
 */
function sessionShape(n: number, rs: number, re: number): SessionShape {
  const key = `${n}/${rs}/${re}`;
  const hit = shapeCache.get(key);
  if (hit) return hit;
  const sig = new Float64Array(n);
  const volume = new Float64Array(n);
  let regularSum = 0;
  for (let i = 0; i < n; i++) {
    if (i < rs) {
      const x = i / rs;
      sig[i] = 0.35;
      volume[i] = 0.015 + 0.1 * x * x * x;
    } else if (i < re) {
      const x = (i - rs) / (re - rs);
      sig[i] = 0.8 + 0.9 * Math.exp(-15 * x) + 0.3 * Math.exp(-12 * (1 - x));
      volume[i] = (0.55 + 2.2 * Math.exp(-12 * x) + 1.6 * Math.exp(-10 * (1 - x))) * (i === re - 1 ? 2.5 : 1);
      regularSum += volume[i]!;
    } else {
      const x = (i - re) / (n - re);
      sig[i] = 0.3;
      volume[i] = 0.2 * Math.exp(-8 * x) + 0.012;
    }
  }
  const norm = (re - rs) / regularSum;
  for (let i = rs; i < re; i++) volume[i] = volume[i]! * norm;
  const shape = { sig, volume };
  shapeCache.set(key, shape);
  return shape;
}

const sharedModels = new WeakMap<readonly Stock[], Map<string, MarketModel>>();

export class MarketModel {
  /**
   * One model per (universe, seed, event rate) in the process: the model is a pure function of
   * them, so simulators started side by side (tests) share its caches instead of each paying
   * for the daily pass again.
   */
  static shared(options: MarketModelOptions): MarketModel {
    let bySeed = sharedModels.get(options.stocks);
    if (!bySeed) {
      bySeed = new Map();
      sharedModels.set(options.stocks, bySeed);
    }
    const key = `${options.seed}/${options.eventsPerDay ?? 10}`;
    let model = bySeed.get(key);
    if (!model) {
      model = new MarketModel(options);
      bySeed.set(key, model);
    }
    return model;
  }

  readonly seed: number;
  readonly stocks: readonly Stock[];
  readonly eventsPerDay: number;
  private readonly symbolIndex = new Map<string, number>();
  private readonly days: DayState[] = [];
  private readonly dayIndexByDay = new Map<number, number>();
  private readonly intradayCache = new Map<number, Intraday>();
  private readonly dailyBarCache = new Map<number, Bar | null>();
  private readonly storiesCache = new Map<number, NewsStory[]>();
  private readonly lastPriceMinute: number[] = [];
  private readonly lastPriceValue: Array<number | undefined> = [];
  private readonly previousCloseMinute: number[] = [];
  private readonly previousCloseValue: Array<number | undefined> = [];

  constructor(options: MarketModelOptions) {
    if (!Number.isInteger(options.seed)) throw new Error('seed must be an integer');
    if (options.stocks.length === 0) throw new Error('the universe is empty');
    this.seed = options.seed;
    this.stocks = options.stocks;
    this.eventsPerDay = options.eventsPerDay ?? 10;
    options.stocks.forEach((s, i) => this.symbolIndex.set(s.symbol, i));
  }

  indexOf(symbol: string): number | undefined {
    return this.symbolIndex.get(symbol);
  }

  stock(symbol: string): Stock | undefined {
    const i = this.symbolIndex.get(symbol);
    return i === undefined ? undefined : this.stocks[i];
  }

  /** Trading day state by index, generating the daily pass up to it. */
  private dayAt(index: number): DayState {
    while (this.days.length <= index) this.extend();
    return this.days[index]!;
  }

  /** Index of a trading day (day number), or undefined if the day does not trade or precedes the epoch. */
  dayIndex(day: number): number | undefined {
    if (day < MARKET_EPOCH_DAY || !isTradingDay(day)) return undefined;
    while (this.days.length === 0 || this.days[this.days.length - 1]!.day < day) this.extend();
    return this.dayIndexByDay.get(day);
  }

  /** The trading day index in force at an instant: today if its pre-market has opened, else the last one. */
  private latestDayIndexAt(utcMs: number): { index: number; started: boolean } | undefined {
    const ny = toNewYork(utcMs);
    let day = ny.day;
    for (let guard = 0; guard < 15; guard++, day--) {
      if (day < MARKET_EPOCH_DAY) return undefined;
      const index = this.dayIndex(day);
      if (index === undefined) continue;
      const s = this.dayAt(index).session;
      if (utcMs >= s.preOpen) return { index, started: true };
    }
    return undefined;
  }

  private extend(): void {
    const prev = this.days[this.days.length - 1];
    const day = prev
      ? nextTradingDay(prev.day)
      : isTradingDay(MARKET_EPOCH_DAY)
        ? MARKET_EPOCH_DAY
        : nextTradingDay(MARKET_EPOCH_DAY);
    const index = this.days.length;
    const session = sessionOf(day);
    const minutes = Math.round((session.postClose - session.preOpen) / MINUTE_MS);
    const regularEnd = Math.round((session.close - session.preOpen) / MINUTE_MS);
    const count = this.stocks.length;
    const open: number[] = [];
    const close: number[] = [];
    const rBase: number[] = [];
    const regime: number[] = [];
    const calendarGap = prev ? day - prev.day : 1;
    const gapScale = 0.3 * Math.sqrt(1 + 0.3 * (calendarGap - 1));
    // One stream per day; every symbol draws the same number of values so the order is fixed.
    const prng = Prng.for(this.seed, 'daily', day);
    for (let s = 0; s < count; s++) {
      const stock = this.stocks[s]!;
      const sigmaDay = stock.annualVol / Math.sqrt(252);
      const u = prng.next();
      const z0 = prng.normal();
      const z1 = prng.normal();
      const z2 = prng.normal();
      let reg: number;
      if (prev) {
        const was = prev.regime[s]!;
        reg =
          u < REGIME_STAY[was as 0 | 1 | 2]
            ? was
            : was !== 1
              ? 1
              : u < REGIME_STAY[1] + (1 - REGIME_STAY[1]) * 0.6
                ? 0
                : 2;
      } else {
        reg = u < 0.3 ? 0 : u < 0.85 ? 1 : 2;
      }
      regime.push(reg);
      const vol = REGIME_VOL[reg as 0 | 1 | 2];
      const prevClose = prev ? prev.close[s]! : stock.basePrice * Math.exp(z0 * 0.15);
      open.push(prevClose * Math.exp(z1 * sigmaDay * gapScale * vol));
      // Mean reversion toward the stock's level keeps years of random walk (and news) in range;
      // it pulls harder once the price is far from home.
      const away = Math.log(open[s]! / stock.basePrice);
      const pull = MEAN_REVERSION_PER_DAY * away + (Math.abs(away) > 0.9 ? 0.05 * (away - Math.sign(away) * 0.9) : 0);
      rBase.push(-pull + z2 * sigmaDay * vol);
    }
    const events = generateDayEvents({
      seed: this.seed,
      day,
      dayMinutes: minutes,
      regularOpenMinute: REGULAR_START,
      regularCloseMinute: regularEnd,
      dayStartUtc: session.preOpen,
      stocks: this.stocks,
      eventsPerDay: this.eventsPerDay,
    });
    const eventsBySymbol = new Map<number, MarketEvent[]>();
    for (const e of events) {
      const list = eventsBySymbol.get(e.symbolIndex);
      if (list) list.push(e);
      else eventsBySymbol.set(e.symbolIndex, [e]);
    }
    for (let s = 0; s < count; s++) {
      let endEffect = 0;
      for (const e of eventsBySymbol.get(s) ?? [])
        endEffect += eventEffect(e, minutes - (e.utcMs - session.preOpen) / MINUTE_MS);
      close.push(open[s]! * Math.exp(rBase[s]! + endEffect));
    }
    this.dayIndexByDay.set(day, index);
    this.days.push({ day, index, session, minutes, regularEnd, open, close, rBase, regime, events, eventsBySymbol });
  }

  /** The events of a trading day (by index). */
  eventsOfDay(index: number): readonly MarketEvent[] {
    return this.dayAt(index).events;
  }

  tradingDayNumber(index: number): number {
    return this.dayAt(index).day;
  }

  session(index: number): TradingSession {
    return this.dayAt(index).session;
  }

  /** Minute-by-minute data of one symbol on one trading day. */
  intraday(symbolIndex: number, dayIndex: number): Intraday {
    const key = dayIndex * 4096 + symbolIndex;
    const hit = this.intradayCache.get(key);
    if (hit) {
      this.intradayCache.delete(key);
      this.intradayCache.set(key, hit);
      return hit;
    }
    const data = this.generateIntraday(symbolIndex, dayIndex);
    this.intradayCache.set(key, data);
    if (this.intradayCache.size > INTRADAY_CACHE) this.intradayCache.delete(this.intradayCache.keys().next().value!);
    return data;
  }

  private generateIntraday(s: number, dayIndex: number): Intraday {
    const day = this.dayAt(dayIndex);
    const stock = this.stocks[s]!;
    const prng = Prng.for(this.seed, 'intraday', s, day.day);
    const n = day.minutes;
    const rs = REGULAR_START;
    const re = day.regularEnd;
    const regime = REGIME_VOL[day.regime[s] as 0 | 1 | 2];
    const sigmaMin = (stock.annualVol / Math.sqrt(252) / Math.sqrt(390)) * regime;
    const events = day.eventsBySymbol.get(s) ?? [];
    const eventMinutes = events.map((e) => (e.utcMs - day.session.preOpen) / MINUTE_MS);

    const shape = sessionShape(n, rs, re);
    let sig = shape.sig;
    let volW = shape.volume;
    if (events.length > 0) {
      sig = Float64Array.from(sig);
      volW = Float64Array.from(volW);
      for (let k = 0; k < events.length; k++) {
        const e = events[k]!;
        const from = Math.max(0, Math.floor(eventMinutes[k]!));
        const volatility = 1.5 * Math.min(1, Math.abs(e.magnitude) * 8);
        for (let i = from; i < n; i++) {
          const dt = i + 0.5 - eventMinutes[k]!;
          if (dt < 0) continue;
          sig[i] = sig[i]! * (1 + volatility * Math.exp(-dt / e.volumeMinutes));
          volW[i] = volW[i]! * eventVolumeMultiplier(e, dt);
        }
      }
    }

    // Brownian bridge from 0 to the day's base return, with variance following the session shape.
    if (scratchW.length < n + 1) {
      scratchW = new Float64Array(n + 1);
      scratchVar = new Float64Array(n + 1);
    }
    const w = scratchW;
    const cumVar = scratchVar;
    w[0] = 0;
    cumVar[0] = 0;
    for (let i = 0; i < n; i++) {
      const sd = sigmaMin * sig[i]!;
      w[i + 1] = w[i]! + prng.fastNormal() * sd;
      cumVar[i + 1] = cumVar[i]! + sd * sd;
    }
    const total = cumVar[n]!;
    const endGap = w[n]! - day.rBase[s]!;
    const open = day.open[s]!;
    // One buffer for the whole day (a few thousand tiny typed arrays would burden the collector).
    const buffer = new Float64Array(n + 1 + 7 * n);
    const path = buffer.subarray(0, n + 1);
    for (let i = 0; i <= n; i++) {
      let eff = 0;
      for (let k = 0; k < events.length; k++)
        if (i > eventMinutes[k]!) eff += eventEffect(events[k]!, i - eventMinutes[k]!);
      path[i] = open * Math.exp(w[i]! - (cumVar[i]! / total) * endGap + eff);
    }

    const column = (k: number) => buffer.subarray(n + 1 + k * n, n + 1 + (k + 1) * n);
    const o = column(0);
    const h = column(1);
    const l = column(2);
    const c = column(3);
    const v = column(4);
    const trades = column(5);
    const vwap = column(6);
    const perMinute = stock.avgDailyVolume / 390;
    const regimeVolume = Math.sqrt(regime);
    const tradeSize = 80 + 400 / Math.sqrt(Math.max(1, open));
    for (let i = 0; i < n; i++) {
      const expected = perMinute * volW[i]! * regimeVolume * Math.exp(prng.fastNormal() * 0.45 - 0.1);
      const presence = Math.min(1, expected / (i >= rs && i < re ? 40 : 250));
      if (prng.next() >= presence) continue;
      // Wicks beyond open/close: exponential draws, about the size of the minute's volatility.
      const scale = sigmaMin * sig[i]! * 0.4;
      const u1 = prng.next();
      const u2 = prng.next();
      const ext1 = u1 * u1 * 2 * scale;
      const ext2 = u2 * u2 * 2 * scale;
      const po = roundToTick(path[i]!);
      const pc = roundToTick(path[i + 1]!);
      const ph = roundToTick(Math.max(path[i]!, path[i + 1]!) * (1 + ext1));
      const pl = roundToTick(Math.min(path[i]!, path[i + 1]!) * (1 - ext2));
      o[i] = po;
      c[i] = pc;
      h[i] = Math.max(ph, po, pc);
      l[i] = Math.min(pl, po, pc);
      const volume = Math.max(1, Math.round(expected));
      v[i] = volume;
      trades[i] = Math.max(1, Math.round(volume / tradeSize));
      const typical = (h[i]! + l[i]! + 2 * c[i]!) / 4;
      vwap[i] = Math.round(Math.min(h[i]!, Math.max(l[i]!, typical)) * 1e6) / 1e6;
    }
    return {
      dayIndex,
      startUtc: day.session.preOpen,
      minutes: n,
      regularStart: rs,
      regularEnd: re,
      path,
      o,
      h,
      l,
      c,
      v,
      n: trades,
      vw: vwap,
    };
  }

  /** The regular-session bar of a day, up to `asOf` (partial while the session runs); null if nothing traded yet. */
  dailyBar(symbolIndex: number, dayIndex: number, asOf = Number.POSITIVE_INFINITY): Bar | null {
    return this.dailyBarOf(symbolIndex, dayIndex, asOf, true);
  }

  private dailyBarOf(symbolIndex: number, dayIndex: number, asOf: number, keepMinutes: boolean): Bar | null {
    const day = this.dayAt(dayIndex);
    const complete = asOf >= day.session.close;
    const key = dayIndex * 4096 + symbolIndex;
    if (complete && this.dailyBarCache.has(key)) return this.dailyBarCache.get(key)!;
    const cachedMinutes = keepMinutes ? undefined : this.intradayCache.get(key);
    const d = keepMinutes
      ? this.intraday(symbolIndex, dayIndex)
      : (cachedMinutes ?? this.generateIntraday(symbolIndex, dayIndex));
    const lastMinute = complete ? d.regularEnd : Math.min(d.regularEnd, Math.floor((asOf - d.startUtc) / MINUTE_MS));
    let bar: Bar | null = null;
    let pv = 0;
    for (let i = d.regularStart; i < lastMinute; i++) {
      const vol = d.v[i]!;
      if (vol === 0) continue;
      if (!bar)
        bar = { t: newYorkMidnight(day.day), o: d.o[i]!, h: d.h[i]!, l: d.l[i]!, c: d.c[i]!, v: 0, n: 0, vw: 0 };
      if (d.h[i]! > bar.h) bar.h = d.h[i]!;
      if (d.l[i]! < bar.l) bar.l = d.l[i]!;
      bar.c = d.c[i]!;
      bar.v += vol;
      bar.n += d.n[i]!;
      pv += d.vw[i]! * vol;
    }
    if (bar) bar.vw = Math.round((pv / bar.v) * 1e6) / 1e6;
    if (complete) this.dailyBarCache.set(key, bar);
    return bar;
  }

  /** Minute bars with `from <= t < to` that have completed by `asOf`, oldest first. */
  minuteBars(symbolIndex: number, from: number, to: number, asOf: number): Bar[] {
    const out: Bar[] = [];
    this.forEachMinuteBar(symbolIndex, from, Math.min(to, asOf - MINUTE_MS + 1), (bar) => out.push(bar));
    return out;
  }

  /** Visits minute bars whose start lies in [from, to), in time order. */
  forEachMinuteBar(symbolIndex: number, from: number, to: number, visit: (bar: Bar) => void): void {
    if (to <= from) return;
    let day = toNewYork(from).day;
    const lastDay = toNewYork(to).day;
    for (; day <= lastDay; day++) {
      const index = this.dayIndex(day);
      if (index === undefined) continue;
      const d = this.intraday(symbolIndex, index);
      const first = Math.max(0, Math.ceil((from - d.startUtc) / MINUTE_MS));
      const last = Math.min(d.minutes, Math.ceil((to - d.startUtc) / MINUTE_MS));
      for (let i = first; i < last; i++) {
        if (d.v[i] === 0) continue;
        visit({
          t: d.startUtc + i * MINUTE_MS,
          o: d.o[i]!,
          h: d.h[i]!,
          l: d.l[i]!,
          c: d.c[i]!,
          v: d.v[i]!,
          n: d.n[i]!,
          vw: d.vw[i]!,
        });
      }
    }
  }

  /** Daily bars of trading days whose date lies in [fromDay, toDay], as far as `asOf` allows. */
  dailyBars(symbolIndex: number, fromDay: number, toDay: number, asOf: number): Bar[] {
    const out: Bar[] = [];
    for (let day = Math.max(fromDay, MARKET_EPOCH_DAY); day <= toDay; day++) {
      const index = this.dayIndex(day);
      if (index === undefined) continue;
      if (this.dayAt(index).session.open >= asOf) break;
      const bar = this.dailyBar(symbolIndex, index, asOf);
      if (bar) out.push(bar);
    }
    return out;
  }

  /**
   * Computes and keeps the daily bars of every symbol for the `tradingDays` trading days that
   * completed before `asOf`, so the first request for a symbol's history is answered from memory
   * instead of generating a year of minute paths (tens of milliseconds a symbol) while a caller
   * waits. Works in slices of about `sliceMs` and yields between them, so the simulator keeps
   * answering meanwhile; the minute paths it generates on the way are not kept (they would push
   * the days in use out of the minute cache). Resolves with the number of bars computed.
   */
  async prewarmDailyBars(
    asOf: number,
    tradingDays: number,
    options: { signal?: AbortSignal; sliceMs?: number } = {},
  ): Promise<number> {
    const at = this.latestDayIndexAt(asOf);
    if (!at || tradingDays <= 0) return 0;
    // The day in force is still trading (or about to): its bar is partial and not kept.
    const last = asOf >= this.dayAt(at.index).session.close ? at.index : at.index - 1;
    const first = Math.max(0, last - tradingDays + 1);
    const sliceMs = options.sliceMs ?? 8;
    let computed = 0;
    let sliceStart = performance.now();
    for (let s = 0; s < this.stocks.length; s++) {
      for (let index = last; index >= first; index--) {
        if (options.signal?.aborted) return computed;
        const key = index * 4096 + s;
        if (this.dailyBarCache.has(key)) continue;
        this.dailyBarOf(s, index, Number.POSITIVE_INFINITY, false);
        computed += 1;
        if (performance.now() - sliceStart >= sliceMs) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
      }
    }
    return computed;
  }

  /**
   * The last price at an instant: the path at the last completed minute of today's extended
   * session, or the last close before it. Undefined before the epoch.
   */
  lastPrice(symbolIndex: number, utcMs: number): number | undefined {
    // The answer changes once a minute: remember the last one per symbol.
    const minute = Math.floor(utcMs / MINUTE_MS);
    if (this.lastPriceMinute[symbolIndex] === minute) return this.lastPriceValue[symbolIndex];
    const price = this.computeLastPrice(symbolIndex, utcMs);
    this.lastPriceMinute[symbolIndex] = minute;
    this.lastPriceValue[symbolIndex] = price;
    return price;
  }

  private computeLastPrice(symbolIndex: number, utcMs: number): number | undefined {
    const at = this.latestDayIndexAt(utcMs);
    if (!at) return undefined;
    const day = this.dayAt(at.index);
    if (utcMs >= day.session.postClose) return roundToTick(day.close[symbolIndex]!);
    const d = this.intraday(symbolIndex, at.index);
    const i = Math.floor((utcMs - d.startUtc) / MINUTE_MS);
    return roundToTick(d.path[Math.max(0, Math.min(d.minutes, i))]!);
  }

  /** The most recent completed minute bar at an instant (searching back up to a week of trading days). */
  latestMinuteBar(symbolIndex: number, utcMs: number): Bar | undefined {
    const at = this.latestDayIndexAt(utcMs);
    if (!at) return undefined;
    for (let index = at.index; index >= 0 && index > at.index - 6; index--) {
      const d = this.intraday(symbolIndex, index);
      const end = Math.min(d.minutes, Math.floor((utcMs - d.startUtc) / MINUTE_MS));
      for (let i = end - 1; i >= 0; i--) {
        if (d.v[i] === 0) continue;
        return {
          t: d.startUtc + i * MINUTE_MS,
          o: d.o[i]!,
          h: d.h[i]!,
          l: d.l[i]!,
          c: d.c[i]!,
          v: d.v[i]!,
          n: d.n[i]!,
          vw: d.vw[i]!,
        };
      }
    }
    return undefined;
  }

  /** The latest daily bar (today's so far once the session opened, else the last one) and the one before it. */
  dailyContext(symbolIndex: number, utcMs: number): { daily: Bar | null; previous: Bar | null } {
    const at = this.latestDayIndexAt(utcMs);
    if (!at) return { daily: null, previous: null };
    let index = at.index;
    let daily = this.dailyBar(symbolIndex, index, utcMs);
    if (!daily) {
      index -= 1;
      daily = index >= 0 ? this.dailyBar(symbolIndex, index) : null;
    }
    const previous = index > 0 ? this.dailyBar(symbolIndex, index - 1) : null;
    return { daily, previous };
  }

  /** Regular-session close of the trading day before the one in force (Alpaca's `lastday_price`). */
  previousClose(symbolIndex: number, utcMs: number): number | undefined {
    const minute = Math.floor(utcMs / MINUTE_MS);
    if (this.previousCloseMinute[symbolIndex] === minute) return this.previousCloseValue[symbolIndex];
    const at = this.latestDayIndexAt(utcMs);
    const value = !at || at.index === 0 ? undefined : this.dailyBar(symbolIndex, at.index - 1)?.c;
    this.previousCloseMinute[symbolIndex] = minute;
    this.previousCloseValue[symbolIndex] = value;
    return value;
  }

  /** Volume of the minute containing `utcMs` (0 if no trade prints in it or it is outside a session). */
  minuteVolumeAt(symbolIndex: number, utcMs: number): number {
    const at = this.latestDayIndexAt(utcMs);
    if (!at) return 0;
    const d = this.intraday(symbolIndex, at.index);
    const i = Math.floor((utcMs - d.startUtc) / MINUTE_MS);
    return i >= 0 && i < d.minutes ? d.v[i]! : 0;
  }

  /** The minute bar starting exactly at `minuteStart` (undefined when nothing traded). */
  barAt(symbolIndex: number, minuteStart: number): Bar | undefined {
    const at = this.latestDayIndexAt(minuteStart);
    if (!at) return undefined;
    const d = this.intraday(symbolIndex, at.index);
    const i = Math.round((minuteStart - d.startUtc) / MINUTE_MS);
    if (i < 0 || i >= d.minutes || d.v[i] === 0) return undefined;
    return { t: minuteStart, o: d.o[i]!, h: d.h[i]!, l: d.l[i]!, c: d.c[i]!, v: d.v[i]!, n: d.n[i]!, vw: d.vw[i]! };
  }

  /** National best bid and offer around the last price. Wider outside the regular session. */
  quote(symbolIndex: number, utcMs: number): Quote | undefined {
    const mid = this.lastPrice(symbolIndex, utcMs);
    if (mid === undefined) return undefined;
    const stock = this.stocks[symbolIndex]!;
    const tick = tickFor(mid);
    const at = this.latestDayIndexAt(utcMs);
    const regular = at
      ? utcMs >= this.dayAt(at.index).session.open && utcMs < this.dayAt(at.index).session.close
      : false;
    const half = Math.max(tick / 2, (mid * stock.spreadBps * (regular ? 1 : 4)) / 20_000);
    const bid = Math.max(tick, Math.floor((mid - half) / tick + 1e-9) * tick);
    let ask = Math.ceil((mid + half) / tick - 1e-9) * tick;
    if (ask <= bid) ask = bid + tick;
    const minute = Math.floor(utcMs / MINUTE_MS);
    const prng = Prng.for(this.seed, 'quote', symbolIndex, minute);
    const lot = stock.avgDailyVolume > 2e6 ? 5 : 2;
    return {
      // The latest quote update, somewhere in the minute before now (never in the future).
      t: Math.max(0, utcMs - prng.int(1, 59_999)),
      bid: roundToTick(bid),
      ask: roundToTick(ask),
      bidSize: prng.int(1, lot * 4),
      askSize: prng.int(1, lot * 4),
    };
  }

  /** The latest trade print: the last price, stamped inside the last minute that traded. */
  latestTrade(symbolIndex: number, utcMs: number): Trade | undefined {
    const bar = this.latestMinuteBar(symbolIndex, utcMs);
    if (!bar) return undefined;
    const prng = Prng.for(this.seed, 'trade', symbolIndex, bar.t);
    const barEnd = bar.t + MINUTE_MS;
    const t = Math.min(utcMs - 1, barEnd - 1 - prng.int(0, 20_000));
    return {
      t,
      price: bar.c,
      size: prng.int(1, 300),
      id: (Math.floor(bar.t / 1000) % 1_000_000_000) + prng.int(0, 999),
    };
  }

  /** Stories published on a trading day (by index), in time order. */
  storiesOfDay(index: number): readonly NewsStory[] {
    const hit = this.storiesCache.get(index);
    if (hit) return hit;
    const day = this.dayAt(index);
    const drafts = day.events.flatMap((event) =>
      storiesForEvent(event, this.stocks, this.seed, day.open[event.symbolIndex]!).map((d) => ({ ...d, event })),
    );
    const stories = finishStories(drafts, this.stocks, 40_000_000 + index * 1000);
    this.storiesCache.set(index, stories);
    return stories;
  }

  /**
   * Stories with `from <= createdAt <= to`, newest first when `descending`, stopping at `limit`
   * matches of `accept`.
   */
  stories(
    from: number,
    to: number,
    options: { descending: boolean; limit: number; accept?: (s: NewsStory) => boolean },
  ): NewsStory[] {
    const out: NewsStory[] = [];
    if (to < from) return out;
    const firstDay = Math.max(MARKET_EPOCH_DAY, toNewYork(from).day - 1);
    const lastDay = toNewYork(to).day;
    if (lastDay < firstDay) return out;
    const days: number[] = [];
    for (let day = firstDay; day <= lastDay; day++) if (isTradingDay(day)) days.push(day);
    if (options.descending) days.reverse();
    for (const day of days) {
      const index = this.dayIndex(day);
      if (index === undefined) continue;
      const list = this.storiesOfDay(index);
      const ordered = options.descending ? [...list].reverse() : list;
      for (const story of ordered) {
        if (story.createdAt < from || story.createdAt > to) continue;
        if (options.accept && !options.accept(story)) continue;
        out.push(story);
        if (out.length >= options.limit) return out;
      }
    }
    return out;
  }

  /** Every story with the given id (ids encode their day). */
  storyById(id: number): NewsStory | undefined {
    const index = Math.floor((id - 40_000_000) / 1000);
    if (index < 0 || index >= this.days.length) return undefined;
    return this.storiesOfDay(index).find((s) => s.id === id);
  }

  /** Number of trading days generated so far (the daily pass). */
  get generatedDays(): number {
    return this.days.length;
  }
}

export { DAY_MS };
